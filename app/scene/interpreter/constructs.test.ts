// The constructs real scene files use, run through the real parser and the
// interpreter: template strings, conditionals, optional chaining, functions,
// loops, units, the `on` forms, actions and the data form of handlers.
import { describe, expect, it } from 'vitest';
import { object } from '../../../testing/ids.ts';
import { modelOf } from '../../../testing/scene/parsed-scenes.ts';
import type { SceneEvent } from '../model/events.ts';
import { type DispatchResult, dispatchEvent, type Effect } from './interpreter.ts';

async function click(script: string, id = 'A', event: SceneEvent = 'click'): Promise<DispatchResult> {
  const model = await modelOf(script);
  return dispatchEvent({ current: model, script: model }, object(id), event, { point: [0, 1, 0] });
}

function effects(result: DispatchResult): Effect[] {
  if (!result.ok) throw new Error(`handler failed: ${result.error.message}`);
  return result.effects;
}

/** The state values a handler wrote, in order: `[key, value]`. */
function writes(result: DispatchResult): [string, unknown][] {
  return effects(result).flatMap((effect) => (effect.kind === 'state' ? [[effect.key, effect.value]] : []));
}

describe('expressions', () => {
  it('[LEX7][INT6] template strings join text and values', async () => {
    const result = await click(`object "A" { state { angle: 12.345 }
      on_click { label = \`Angle: \${angle.toFixed(1)}° of \${[1, 2].length}\` } }`);
    expect(writes(result)).toEqual([['label', 'Angle: 12.3° of 2']]);
  });

  it('[SYN11][INT6] conditionals, optional chaining that stops at null, and ?? defaults', async () => {
    const result = await click(`object "A" { on_click {
      const user = { profile: null }
      a = user.profile?.name.first ?? "guest"
      b = user?.profile?.name
      c = missing_fn?.(1) ?? "no call"
      d = [1, 2]?.[1]
      e = d > 1 ? "big" : "small"
    } }`);
    expect(writes(result)).toEqual([
      ['a', 'guest'],
      ['b', null],
      ['c', 'no call'],
      ['d', 2],
      ['e', 'big'],
    ]);
  });

  it('[SYN11] reading a member of null without ?. is still a fault', async () => {
    const result = await click('object "A" { on_click { const x = null; y = x.name } }');
    expect(result.ok).toBe(false);
  });

  it('[INT6] | & and ** on numbers', async () => {
    const result = await click('object "A" { on_click { a = 5 | 2; b = 6 & 3; c = 2 ** 3 ** 2 } }');
    expect(writes(result)).toEqual([
      ['a', 7],
      ['b', 2],
      ['c', 512],
    ]);
  });

  it('[UNIT1] numbers with units are metres, seconds, degrees and fractions', async () => {
    const result = await click('object "A" { on_click { a = 20cm; b = 150ms; c = 50%; d = -2m; e = 45° } }');
    expect(writes(result)).toEqual([
      ['a', 0.2],
      ['b', 0.15],
      ['c', 0.5],
      ['d', -2],
      ['e', 45],
    ]);
  });

  it('[SYN9] spread copies lists and records', async () => {
    const result = await click(`object "A" { on_click {
      const base = [1, 2]
      const defaults = { size: 1, color: "red" }
      list = [...base, 3, ...base]
      record = { ...defaults, color: "blue" }
      biggest = Math.max(...base)
    } }`);
    expect(writes(result)).toEqual([
      ['list', [1, 2, 3, 1, 2]],
      ['record', { size: 1, color: 'blue' }],
      ['biggest', 2],
    ]);
  });
});

describe('functions', () => {
  it('[SYN13][INT7] list methods take functions written as arrows or `function`', async () => {
    const result = await click(`object "A" { on_click {
      const prices = [3, 10, 7]
      doubled = prices.map(p => p * 2)
      cheap = prices.filter(function (p) { return p < 8 })
      total = prices.reduce((sum, p) => sum + p, 0)
      first = prices.find((p) => p > 5)
      text = prices.map((p, i) => \`\${i}:\${p}\`).join(", ")
      loud = "hello".toUpperCase()
    } }`);
    expect(writes(result)).toEqual([
      ['doubled', [6, 20, 14]],
      ['cheap', [3, 7]],
      ['total', 20],
      ['first', 10],
      ['text', '0:3, 1:10, 2:7'],
      ['loud', 'HELLO'],
    ]);
  });

  it('[INT10] join faults at the string limit; short lists join as in JavaScript', async () => {
    const result = await click(`object "A" { on_click {
      let word = "x"
      for (const i of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]) { word = word + word }
      const many = [word, word, word, word]
      joined = many.join("")
      } }`);
    expect(result).toMatchObject({ ok: false, error: { code: 'LIMIT' } });
    const small = await click('object "A" { on_click { joined = ["a", 1, null].join("-") } }');
    expect(writes(small)).toEqual([['joined', 'a-1-null']]);
  });

  it('[INT7] a function sees and changes the locals around it; it is called like any name', async () => {
    const result = await click(`object "A" { on_click {
      let count = 0
      const add = (n) => { count += n }
      add(2)
      [1, 2, 3].forEach(n => add(n))
      result = count
    } }`);
    expect(writes(result)).toEqual([['result', 8]]);
  });

  it('[INT8] a function cannot be stored in state', async () => {
    const result = await click('object "A" { on_click { kept = () => 1 } }');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/function cannot be stored/);
  });

  it('[INT5] a runaway function stops at the call depth, not the page', async () => {
    const result = await click('object "A" { on_click { const f = (n) => f(n + 1); f(0) } }');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('DEPTH');
  });
});

describe('statements', () => {
  it('[SYN15][INT12] for ... of runs once per item, each item in its own scope', async () => {
    const result = await click(`object "A" { on_click {
      let total = 0
      for (const item of [{ v: 1 }, { v: 2 }, { v: 3 }]) { total += item.v }
      for n of [10, 20] { total += n }
      sum = total
    } }`);
    expect(writes(result)).toEqual([['sum', 36]]);
  });

  it('[INT5] a loop over a long list spends the step budget', async () => {
    const result = await click(`object "A" { on_click {
      const big = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(x => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      for (const row of big) { for (const cell of row) { for (const again of row) { for (const more of row) { n = 1 } } } }
    } }`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toMatch(/BUDGET|LIMIT/);
  });

  it('[SYN8] a branch may be one statement on the line; a block after a call is its last argument', async () => {
    const result = await click(`object "A" { on_click {
      if (event.point) hit = true else hit = false
      after(0.1) { late = true }
    } }`);
    expect(writes(result)).toEqual([['hit', true]]);
    if (result.ok) expect(result.warnings.map((w) => w.message).join(' ')).toMatch(/after\(\)/);
  });
});

describe('handler forms and actions', () => {
  it('[EV4][SYN7] `on "tap"` and `on("pinch")` are click handlers', async () => {
    const tap = await click('object "A" { on "tap" { tapped = true } }');
    expect(writes(tap)).toEqual([['tapped', true]]);
    const pinch = await click('object "A" { on("pinch") { pinched = true } }');
    expect(writes(pinch)).toEqual([['pinched', true]]);
    const hover = await click('object "A" { on "gaze_enter" { seen = true } }', 'A', 'hoverenter');
    expect(writes(hover)).toEqual([['seen', true]]);
  });

  it('[INT11][INT7] the data form calls a scene action, binding `args` by parameter name', async () => {
    const result = await click(`composition "Starter" {
      action onTargetHit(id, mode) {
        scene.lastHit = id
        scene.mode = mode ?? "hand"
      }
      object "A" {
        behavior {
          on "tap" { action: "onTargetHit" args: { id: "red" } }
        }
      }
    }`);
    expect(effects(result)).toEqual([
      { kind: 'state', id: '@scene', key: 'lastHit', value: 'red' },
      { kind: 'state', id: '@scene', key: 'mode', value: 'hand' },
    ]);
  });

  it('[INT11] fields with no meaning are skipped with a warning', async () => {
    const result = await click('object "A" { on "tap" { bind: Stats.count\n  format: "{value}"\n  ok = 1 } }');
    expect(writes(result)).toEqual([['ok', 1]]);
    if (result.ok) expect(result.warnings.map((w) => w.message)).toHaveLength(2);
  });

  it('[EV5] a handler-named property holding a function is a handler', async () => {
    const result = await click('object "A" { onClick: () => { clicked = true } }');
    expect(writes(result)).toEqual([['clicked', true]]);
  });

  it('[INT7] an action declared with `action` or `function` is a method, not an event', async () => {
    const result = await click(`object "A" {
      function double(x) { return x * 2 }
      action onReset() { reset_ran = true }
      on_click { value = double(21) }
    }`);
    expect(writes(result)).toEqual([['value', 42]]);
  });
});
