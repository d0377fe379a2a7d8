// Handler semantics through the real parser: state, properties, transforms,
// commands, calls, and what a handler cannot do.
import { describe, expect, it } from 'vitest';
import { object } from '../../../testing/ids.ts';
import { modelOf } from '../../../testing/scene/parsed-scenes.ts';
import type { SceneEvent } from '../model/events.ts';
import { type DispatchResult, dispatchEvent, type Effect } from './interpreter.ts';

async function click(script: string, id = 'A', event: SceneEvent = 'click', data = {}): Promise<DispatchResult> {
  const model = await modelOf(script);
  let n = 0;
  return dispatchEvent({ current: model, script: model }, object(id), event, data, { spawnId: () => `s${++n}` });
}

function effects(result: DispatchResult): Effect[] {
  if (!result.ok) throw new Error(`handler failed: ${result.error.message}`);
  return result.effects;
}

describe('state', () => {
  it('[CMD1][CMD2][CMD3][CMD4] set, increment, decrement and toggle write the object state', async () => {
    const result = await click(`object "A" {
      state { presses: 2; lit: false; lives: 3 }
      on_click { set grabbed true; increment presses; increment presses by 5; decrement lives; toggle lit }
    }`);
    expect(effects(result)).toEqual([
      { kind: 'state', id: 'A', key: 'grabbed', value: true },
      { kind: 'state', id: 'A', key: 'presses', value: 3 },
      { kind: 'state', id: 'A', key: 'presses', value: 8 },
      { kind: 'state', id: 'A', key: 'lives', value: 2 },
      { kind: 'state', id: 'A', key: 'lit', value: true },
    ]);
  });

  it('[INT2] assignments: bare names and state.x are state, reads see earlier writes, locals stay local', async () => {
    const result = await click(`object "A" {
      state { n: 1 }
      onClick: {
        let k = 10
        n += 1
        state.n += k
        this.state.n *= 2
        k = 0
        state.total = "n=" + n
      }
    }`);
    expect(effects(result)).toEqual([
      { kind: 'state', id: 'A', key: 'n', value: 2 },
      { kind: 'state', id: 'A', key: 'n', value: 12 },
      { kind: 'state', id: 'A', key: 'n', value: 24 },
      { kind: 'state', id: 'A', key: 'total', value: 'n=24' },
    ]);
  });

  it('[INT3] scene state is shared by all objects as `scene`', async () => {
    const result = await click(`state { score: 5 }
      object "A" { on_click { scene.score += 10 } }`);
    expect(effects(result)).toEqual([{ kind: 'state', id: '@scene', key: 'score', value: 15 }]);
  });
});

describe('properties and transforms', () => {
  it('[PROP1][PROP2] this.color and other writable properties, normalized', async () => {
    const result = await click(`object "A" {
      color: "#ff0000"
      on_click { this.color = "blue"; this.baseColor = #0f0; this.opacity = 2; this.visible = false; this.label = "hi" }
    }`);
    expect(effects(result)).toEqual([
      { kind: 'prop', id: 'A', key: 'color', value: '#0000ff' },
      { kind: 'prop', id: 'A', key: 'color', value: '#00ff00' },
      { kind: 'prop', id: 'A', key: 'opacity', value: 1 },
      { kind: 'prop', id: 'A', key: 'visible', value: false },
      { kind: 'prop', id: 'A', key: 'label', value: 'hi' },
    ]);
  });

  it('[PROP1] a handler changes another object found by name', async () => {
    const result = await click(`object "Lamp" { color: "#333333" }
      object "A" { on_click { const lamp = find("Lamp"); lamp.color = "#ffcc00"; lamp.state.on = true } }`);
    expect(effects(result)).toEqual([
      { kind: 'prop', id: 'Lamp', key: 'color', value: '#ffcc00' },
      { kind: 'state', id: 'Lamp', key: 'on', value: true },
    ]);
  });

  it('[PROP2] a bad value or an unwritable property stops the handler with a message and no changes', async () => {
    const bad = await click('object "A" { on_click { set lit true; this.color = "not a colour" } }');
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'TYPE', message: 'color needs a colour such as "#ff8800"' },
    });
    const unwritable = await click('object "A" { on_click { this.geometry = "sphere" } }');
    expect(unwritable).toMatchObject({ ok: false, error: { code: 'READONLY' } });
  });

  it('[INT2][CMD9] position, rotation and scale: whole vectors, components, move and rotate commands', async () => {
    const result = await click(`object "A" {
      position: [1, 2, 3]
      on_click { this.position.y = 5; move x -1; rotate y 45; this.scale = 2 }
    }`);
    const transforms = effects(result).map((effect) => (effect.kind === 'transform' ? effect.transform : null));
    expect(transforms.at(-1)).toEqual({ position: [0, 5, 3], rotation: [0, 45, 0], scale: [2, 2, 2] });
  });
});

describe('commands', () => {
  it('[CMD5][CMD10] sounds and logs are effects for the acting person', async () => {
    const result = await click(
      `object "A" { on_click { play_audio "click.ogg"; this.playSound("hard"); log "pressed" 3; console.log("x", [1, 2]) } }`,
    );
    expect(effects(result)).toEqual([
      { kind: 'sound', url: 'click.ogg' },
      { kind: 'sound', url: 'hard' },
      { kind: 'log', message: 'pressed 3' },
      { kind: 'log', message: 'x [1, 2]' },
    ]);
  });

  it('[CMD6] spawn copies a template to a place; unknown names warn', async () => {
    const result = await click(`template "Spark" { geometry: "sphere"; scale: 0.1 }
      object "A" { on_click { spawn "Spark" at [0, 1, 0]; spawn Nothing } }`);
    expect(effects(result)).toEqual([
      {
        kind: 'spawn',
        id: '@spawn/s1',
        of: 'Spark',
        transform: { position: [0, 1, 0], rotation: [0, 0, 0], scale: [0.1, 0.1, 0.1] },
      },
    ]);
    expect(result.warnings.map((w) => w.message)).toEqual([
      '`spawn` needs the name of a template or object; "Nothing" is neither',
    ]);
  });

  it('[CMD7][CMD8] hide, show, destroy and reset', async () => {
    const result = await click(`object "Lamp" {}
      object "A" { on_click { hide Lamp; show "Lamp"; destroy; reset Lamp } }`);
    expect(effects(result)).toEqual([
      { kind: 'prop', id: 'Lamp', key: 'visible', value: false },
      { kind: 'prop', id: 'Lamp', key: 'visible', value: true },
      { kind: 'prop', id: 'A', key: 'visible', value: false },
      { kind: 'reset', id: 'Lamp' },
    ]);
  });

  it('[CMD11] toggle_trait flips a trait for everyone', async () => {
    const result = await click('object "A" { @glowing; on_click { toggle_trait "glowing"; toggle_trait "physics" } }');
    expect(effects(result)).toEqual([{ kind: 'prop', id: 'A', key: 'trait_glowing', value: false }]);
    expect(result.warnings).toHaveLength(1);
  });

  it('[CMD12] unknown commands and calls are warnings that do nothing; the rest still runs', async () => {
    const result = await click(
      `object "A" { on_click { animate "press_down" duration 0.1; trigger "x"; this.pulse(1); set done true } }`,
    );
    expect(effects(result)).toEqual([{ kind: 'state', id: 'A', key: 'done', value: true }]);
    expect(result.warnings.map((w) => w.message)).toEqual([
      '`animate` is not a command Holoroom runs; it does nothing',
      '`trigger` is not a command Holoroom runs; it does nothing',
      '`pulse()` is not a method of A; it does nothing',
    ]);
  });
});

describe('control flow and calls', () => {
  it('[INT6] if/else, comparisons, logic and arithmetic', async () => {
    const result = await click(`object "A" {
      state { n: 3 }
      on_click {
        if (n > 2 && !false) { set big true } else { set big false }
        if n == 4 { set four true } else if n % 2 == 1 { set odd true }
        set mixed (1 + 2) * 3 - 4 / 2
      }
    }`);
    expect(effects(result)).toEqual([
      { kind: 'state', id: 'A', key: 'big', value: true },
      { kind: 'state', id: 'A', key: 'odd', value: true },
      { kind: 'state', id: 'A', key: 'mixed', value: 7 },
    ]);
  });

  it('[INT7] methods: bare and this.calls run the object handler with arguments and return values', async () => {
    const result = await click(`object "A" {
      double(x) { return x * 2 }
      onButtonPress() { set pressed double(21) }
      on_click { this.onButtonPress(); set m Math.max(1, 7, 3); set f floor(2.7) }
    }`);
    expect(effects(result)).toEqual([
      { kind: 'state', id: 'A', key: 'pressed', value: 42 },
      { kind: 'state', id: 'A', key: 'm', value: 7 },
      { kind: 'state', id: 'A', key: 'f', value: 2 },
    ]);
  });

  it('[INT1] events bubble to the nearest enclosing object with a handler; event.target is the object acted on', async () => {
    const result = await click(
      `group "Panel" { on_click { set last event.target.name } object "Key" {} }`,
      'Panel/Key',
    );
    expect(effects(result)).toEqual([{ kind: 'state', id: 'Panel', key: 'last', value: 'Key' }]);
    const none = await click('object "A" {}');
    expect(none).toMatchObject({ ok: true, handled: false, effects: [] });
  });

  it('[INT1] the event carries the data the renderer passes (event.point)', async () => {
    const result = await click('object "A" { on_click(e) { set y e.point[1] } }', 'A', 'click', { point: [0, 1.5, 0] });
    expect(effects(result)).toEqual([{ kind: 'state', id: 'A', key: 'y', value: 1.5 }]);
  });

  it('reads of unknown names are null with a warning; reading a field of null stops the handler', async () => {
    const soft = await click('object "A" { on_click { if (missing) { set x 1 } else { set x 2 } } }');
    expect(effects(soft)).toEqual([{ kind: 'state', id: 'A', key: 'x', value: 2 }]);
    expect(soft.warnings.map((w) => w.message)).toEqual(['`missing` is not defined here; it reads as null']);
    const hard = await click('object "A" { on_click { set v event.controller.pulse } }');
    expect(hard).toMatchObject({ ok: false, error: { code: 'TYPE', message: 'cannot read .pulse of null' } });
  });

  it('[INT4] a fault anywhere drops every change of the handler', async () => {
    const result = await click('object "A" { on_click { set a 1; set b 2; set c 1 / 0 } }');
    expect(result).toMatchObject({ ok: false, error: { code: 'TYPE' } });
    expect('effects' in result).toBe(false);
  });

  it('constants cannot change; reserved names cannot be assigned', async () => {
    expect(await click('object "A" { on_click { const k = 1; k = 2 } }')).toMatchObject({
      ok: false,
      error: { code: 'READONLY' },
    });
    expect(await click('object "A" { on_click { this = 1 } }')).toMatchObject({
      ok: false,
      error: { code: 'READONLY' },
    });
    expect(await click('object "A" { on_click { event = 1 } }')).toMatchObject({
      ok: false,
      error: { code: 'READONLY' },
    });
  });
});
