// Stable ids, templates with overrides, groups, and the renderer's limits.
import { describe, expect, it } from 'vitest';
import { object } from '../../../testing/ids.ts';
import { modelOf } from '../../../testing/scene/parsed-scenes.ts';
import { MAX_LIGHTS, MAX_NESTING, MAX_SCENE_NODES, MAX_TEMPLATE_DEPTH } from './limits.ts';
import { boundId, escapeSegment } from './object-ids.ts';
import type { MeshNode, SceneNode } from './scene-model.ts';

const mesh = (model: { byId: ReadonlyMap<string, SceneNode> }, id: string) => model.byId.get(id) as MeshNode;

describe('ids', () => {
  it('[ID1] the path of names from the top; compositions are not part of it', async () => {
    const model = await modelOf(`composition "Room" {
      spatial_group "Shelf" { object "A" {} group "Inner" { object "B" {} } }
      object "C" { object "Child" {} }
    }`);
    expect([...model.byId.keys()].sort()).toEqual(['C', 'C/Child', 'Shelf', 'Shelf/A', 'Shelf/Inner', 'Shelf/Inner/B']);
    expect(model.parentOf.get(object('Shelf/Inner/B'))).toBe('Shelf/Inner');
    expect(model.parentOf.has(object('Shelf'))).toBe(false);
  });

  it('[ID1] renaming the composition keeps every id', async () => {
    const a = await modelOf('composition "One" { object "Lamp" {} }');
    const b = await modelOf('composition "Two" { object "Lamp" {} }');
    expect([...a.byId.keys()]).toEqual([...b.byId.keys()]);
  });

  it('[ID2] slashes, backslashes, a leading @ and control characters are escaped', async () => {
    expect(escapeSegment('a/b')).toBe('a\\/b');
    expect(escapeSegment('a\\b')).toBe('a\\\\b');
    expect(escapeSegment('@scene')).toBe('\\@scene');
    expect(escapeSegment('a\nb')).toBe('a\ufffdb');
    const model = await modelOf('group "x/y" { object "z" {} } object "x" { object "y/z" {} } object "@scene" {}');
    const ids = [...model.byId.keys()];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('x\\/y/z');
    expect(ids).toContain('x/y\\/z');
    expect(ids).toContain('\\@scene');
  });

  it('[ID3][ID4] unnamed blocks count per keyword; repeated names get #2, #3', async () => {
    const model = await modelOf(`object {} object {} point_light {} object "A" {} object "A" {} object "A#2" {}`);
    expect([...model.byId.keys()]).toEqual(['object#1', 'object#2', 'point_light#1', 'A', 'A#2', 'A#2#2']);
  });

  it('[ID5] long ids are cut and end in a hash, staying valid and distinct', async () => {
    const long = 'n'.repeat(300);
    expect(boundId(long)).toHaveLength(256);
    expect(boundId(`${long}a`)).not.toBe(boundId(`${long}b`));
    const model = await modelOf(`object "${long}" {}`);
    const [id] = model.byId.keys();
    expect(id?.length).toBeLessThanOrEqual(256);
  });

  it('[ID6] an id property replaces the path, keeps through renames and regrouping, and never clashes', async () => {
    const a = await modelOf('group "G" { object "Lamp" { id: "lamp-1"; object "Shade" {} } } object "lamp-1" {}');
    expect([...a.byId.keys()].sort()).toEqual(['G', 'lamp-1', 'lamp-1#2', 'lamp-1/Shade']);
    const b = await modelOf('object "Light" { id: "lamp-1"; object "Shade" {} }');
    expect(b.byId.get(object('lamp-1'))?.name).toBe('Light');
    const c = await modelOf('object "A" { id: "@scene" } object "B" { id: "x" } object "C" { id: "x" }');
    expect([...c.byId.keys()]).toEqual(['\\@scene', 'x', 'x#2']);
  });

  it('hostile names are only names: __proto__ and constructor objects, state keys and material fields', async () => {
    const model =
      await modelOf(`object "__proto__" { state { constructor: 1; __proto__: 2 } material: { __proto__: 1 } }
      object "constructor" { color: "#ff0000" }`);
    expect(model.byId.get(object('__proto__'))?.state.get('constructor')).toBe(1);
    expect(model.byId.get(object('__proto__'))?.state.get('__proto__')).toBe(2);
    expect(mesh(model, 'constructor').material.color).toBe('#ff0000');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(model.byId.get(object('__proto__')))).toBe(Object.prototype);
  });
});

describe('templates', () => {
  const showroom = `composition "Showroom" {
    template "Button" {
      @clickable
      geometry: "cylinder"
      color: "#f4f1de"
      material: { roughness: 0.3, metallic: 0.2 }
      state { presses: 0; label: "" }
      onClick: { increment presses }
      object "Cap" { geometry: "sphere"; position: [0, 0.6, 0] }
      object "Ring" { geometry: "torus" }
    }
    object "Lights" using "Button" {
      position: [-0.5, 1, 0]
      material: { metallic: 0.9 }
      state { label: "Lights" }
      object "Ring" { geometry: "ring" }
    }
    object "Plain" using "Button" {}
  }`;

  it('[TPL1][TPL2] an object is its template then itself: overrides by name, material fields merge', async () => {
    const model = await modelOf(showroom);
    const lights = mesh(model, 'Lights');
    expect(lights.geometry).toBe('cylinder');
    expect(lights.traits.clickable).toBe(true);
    expect(lights.material).toMatchObject({ color: '#f4f1de', roughness: 0.3, metallic: 0.9 });
    expect(Object.fromEntries(lights.state)).toEqual({ presses: 0, label: 'Lights' });
    expect(lights.handlers.events.has('click')).toBe(true);
    expect(mesh(model, 'Plain').material.metallic).toBe(0.2);
    // Templates are never drawn.
    expect([...model.byId.values()].some((node) => node.name === 'Button')).toBe(false);
  });

  it('[TPL3] template children hang under each object; a same-named child replaces in place', async () => {
    const model = await modelOf(showroom);
    expect(mesh(model, 'Lights/Cap').geometry).toBe('sphere');
    expect(mesh(model, 'Lights/Ring').geometry).toBe('ring');
    expect(mesh(model, 'Plain/Ring').geometry).toBe('torus');
    expect(model.byId.get(object('Lights'))?.children.map((child) => child.name)).toEqual(['Cap', 'Ring']);
  });

  it('[TPL4] chains, cycles and unknown templates', async () => {
    const model = await modelOf(`template "A" { color: "#ff0000" }
      template "B" using "A" { geometry: "sphere" }
      template "C" using "D" {}
      template "D" using "C" {}
      object "X" using "B" {}
      object "Y" using "C" {}
      object "Z" using "Nope" {}`);
    expect(mesh(model, 'X')).toMatchObject({ geometry: 'sphere', material: { color: '#ff0000' } });
    expect(model.warnings.map((w) => w.code).sort()).toEqual(['TEMPLATE_CYCLE', 'UNKNOWN_TEMPLATE']);
    expect(model.byId.has(object('Y')) && model.byId.has(object('Z'))).toBe(true);
  });

  it('[TPL1] a template defined twice: the later one wins, with a warning', async () => {
    const model = await modelOf(
      'template "T" { color: "#111111" } template "T" { color: "#222222" } object "X" using "T" {}',
    );
    expect(mesh(model, 'X').material.color).toBe('#222222');
    expect(model.warnings.map((w) => w.code)).toEqual(['DUPLICATE_NAME']);
  });

  it('[SPAWN2] templates and named objects can be spawned', async () => {
    const model = await modelOf(showroom);
    expect(model.spawnables.get('Button')?.children.map((child) => child.name)).toEqual(['Cap', 'Ring']);
    expect(model.spawnables.get('Lights')?.id).toBe('Lights');
    // Prototypes are not part of the scene.
    expect([...model.byId.keys()].some((id) => id.startsWith('@'))).toBe(false);
  });
});

describe('limits', () => {
  it(`[LIMIT1] only the first ${MAX_SCENE_NODES} nodes are drawn, with a notice`, async () => {
    const lines = Array.from(
      { length: MAX_SCENE_NODES + 50 },
      (_, i) => `object "o${i}" { position: [${i % 10}, 0, 0] }`,
    );
    const model = await modelOf(lines.join('\n'));
    expect(model.byId.size).toBe(MAX_SCENE_NODES);
    expect(model.byId.has(object('o0'))).toBe(true);
    expect(model.byId.has(object(`o${MAX_SCENE_NODES}`))).toBe(false);
    expect(model.limits.map((notice) => notice.rule)).toEqual(['LIMIT1']);
    expect(model.limits[0]?.message).toMatch(/first 1000 objects/);
  });

  it(`[LIMIT2] blocks nested deeper than ${MAX_NESTING} are skipped`, async () => {
    const depth = MAX_NESTING + 4;
    const text = `${'group { '.repeat(depth)}object "Deep" {}${' }'.repeat(depth)}`;
    const model = await modelOf(text);
    expect(model.byId.size).toBe(MAX_NESTING);
    expect(model.limits.map((notice) => notice.rule)).toEqual(['LIMIT2']);
  });

  it(`[LIMIT4] at most ${MAX_LIGHTS} lights besides ambient and hemisphere`, async () => {
    const lights = Array.from({ length: MAX_LIGHTS + 3 }, (_, i) => `point_light "L${i}" {}`).join('\n');
    const model = await modelOf(`${lights}\nambient_light "Amb" {}\nhemisphere_light "Hemi" {}`);
    expect(model.stats.lights).toBe(MAX_LIGHTS + 2);
    expect(model.limits.map((notice) => notice.rule)).toEqual(['LIMIT4']);
  });

  it(`[LIMIT5] template chains stop after ${MAX_TEMPLATE_DEPTH}`, async () => {
    const count = MAX_TEMPLATE_DEPTH + 3;
    const templates = Array.from({ length: count }, (_, i) =>
      i === 0 ? 'template "T0" { color: "#00ff00" }' : `template "T${i}" using "T${i - 1}" {}`,
    );
    const model = await modelOf(`${templates.join('\n')}\nobject "X" using "T${count - 1}" {}`);
    expect(model.byId.has(object('X'))).toBe(true);
    expect(model.warnings.some((w) => w.code === 'LIMIT' && w.message.includes('LIMIT5'))).toBe(true);
    // The chain stopped before reaching T0, so its colour is not applied.
    expect(mesh(model, 'X').material.color).not.toBe('#00ff00');
  });
});
