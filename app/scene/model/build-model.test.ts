// Scene model from scripts parsed by the real WebAssembly parser: kinds,
// transforms, materials, lights, text, models, environment and warnings.
import { describe, expect, it } from 'vitest';
import { modelOf } from '../../../testing/scene/parsed-scenes.ts';
import type { LightNode, MeshNode, ModelNode, SceneNode, TextNode } from './scene-model.ts';

function node<T extends SceneNode = MeshNode>(model: { byId: ReadonlyMap<string, SceneNode> }, id: string): T {
  const found = model.byId.get(id);
  if (!found) throw new Error(`no node ${id}; have ${[...model.byId.keys()].join(', ')}`);
  return found as T;
}

describe('objects', () => {
  it('[KIND4] geometry names and aliases; an object without geometry is a 1 m box', async () => {
    const model = await modelOf(`composition "Shapes" {
      object "A" { geometry: "cube" }
      object "B" { geometry: "sphere", radius: 0.25 }
      orb "C" { shape: "capsule" }
      entity "D" { mesh: { type: "cylinder", height: 2 } }
      object "E" { color: "#ff0000" }
      object "F" { type: "torus" }
    }`);
    expect(model.title).toBe('Shapes');
    expect(node(model, 'A').geometry).toBe('box');
    expect(node(model, 'B')).toMatchObject({ geometry: 'sphere', size: [0.5, 0.5, 0.5] });
    expect(node(model, 'C').geometry).toBe('capsule');
    expect(node(model, 'D')).toMatchObject({ geometry: 'cylinder', size: [1, 2, 1] });
    expect(node(model, 'E')).toMatchObject({ kind: 'mesh', geometry: 'box', size: [1, 1, 1] });
    expect(node(model, 'F').geometry).toBe('torus');
    expect(model.warnings).toEqual([]);
  });

  it('position, rotation in degrees, scale as a number or a vector, arithmetic folded', async () => {
    const model = await modelOf(`object "A" { position: [1, 2 * 0.75, -3]; rotation: [0, 90, 0]; scale: 0.5 }
      object "B" { scale: [1, 2, 3] }
      object "C" { transform: { position: [0, 1, 0], scale: 2 } }`);
    expect(node(model, 'A').transform).toEqual({
      position: [1, 1.5, -3],
      rotation: [0, 90, 0],
      scale: [0.5, 0.5, 0.5],
    });
    expect(node(model, 'B').transform.scale).toEqual([1, 2, 3]);
    expect(node(model, 'C').transform).toMatchObject({ position: [0, 1, 0], scale: [2, 2, 2] });
  });

  it('[MAT1] color, material blocks and literals in snake or camel case', async () => {
    const model = await modelOf(`object "A" { color: #ff8800 }
      object "B" { material: { baseColor: "#00ff00", roughness: 0.2, metallic: 0.7, emissive: "#112233", emissiveIntensity: 2, opacity: 0.5 } }
      object "C" { material { base_color: "teal"; emissive_intensity: 0.4 } }
      object "D" { advanced_pbr: { base_color: [1.0, 0.27, 0.27] } }
      object "E" { color: "#ff000080" }`);
    expect(node(model, 'A').material.color).toBe('#ff8800');
    expect(node(model, 'B').material).toMatchObject({
      color: '#00ff00',
      roughness: 0.2,
      metallic: 0.7,
      emissive: '#112233',
      emissiveIntensity: 2,
      opacity: 0.5,
    });
    expect(node(model, 'C').material).toMatchObject({ color: '#008080', emissiveIntensity: 0.4 });
    expect(node(model, 'D').material.color).toBe('#ff4545');
    expect(node(model, 'E').material.opacity).toBeCloseTo(128 / 255);
  });

  it('[MAT2] material presets by word, named material blocks, unknown presets warn', async () => {
    const model = await modelOf(`material "Brass" { baseColor: "#b5a642"; metallic: 1 }
      object "A" { color: "#808080"; material: "painted_metal" }
      object "B" { material: "Brass" }
      object "C" { material: "glass" }
      object "D" { material: "padded_wall" }`);
    expect(node(model, 'A').material).toMatchObject({ color: '#808080', metallic: 0.9 });
    expect(node(model, 'B').material).toMatchObject({ color: '#b5a642', metallic: 1 });
    expect(node(model, 'C').material.opacity).toBeLessThan(0.5);
    expect(model.warnings.map((w) => w.message)).toEqual([
      'Material "padded_wall" is not a known preset; the default material is used.',
    ]);
  });

  it('[RT1] bad values and unknown properties, blocks and traits are warnings with spans, never errors', async () => {
    const text = `composition "X" {
      object "A" { position: "up"; wobble: 3; scale: foo(); @draggable(speed: 1) @grabbable }
      post_processing { bloom { intensity: 0.3 } }
    }`;
    const model = await modelOf(text);
    const codes = model.warnings.map((w) => w.code).sort();
    expect(codes).toEqual(['BAD_VALUE', 'BAD_VALUE', 'UNSUPPORTED_BLOCK', 'UNSUPPORTED_PROPERTY', 'UNSUPPORTED_TRAIT']);
    for (const warning of model.warnings) expect(text.slice(warning.from, warning.to).length).toBeGreaterThan(0);
    expect(model.unsupported).toEqual(['@draggable', 'post_processing', 'wobble']);
    expect(node(model, 'A')).toMatchObject({ kind: 'mesh', transform: { position: [0, 0, 0] } });
    expect(node(model, 'A').traits.grabbable).toBe(true);
  });
});

describe('lights, text, models', () => {
  it('[KIND1] light blocks, *_light keywords and objects typed as lights', async () => {
    const model = await modelOf(`light "Sun" { type: "directional"; intensity: 1.2; color: "#fff5e6"; castShadow: true }
      point_light "Lamp" { position: [0, 3, 0]; distance: 8 }
      object "Fill" { type: "ambient_light"; intensity: 0.4 }
      object "Key" { type: "directional_light"; direction: [0, -1, 0] }
      spot_light "Spot" { angle: 20; target: [0, 0, -2] }`);
    expect(node<LightNode>(model, 'Sun').light).toMatchObject({
      type: 'directional',
      intensity: 1.2,
      castShadow: true,
    });
    expect(node<LightNode>(model, 'Sun').transform.position).toEqual([5, 10, 5]);
    expect(node<LightNode>(model, 'Lamp').light).toMatchObject({ type: 'point', distance: 8 });
    expect(node<LightNode>(model, 'Fill').light).toMatchObject({ type: 'ambient', intensity: 0.4 });
    const key = node<LightNode>(model, 'Key');
    expect(key.kind).toBe('light');
    expect(key.transform.position.map((n) => Math.round(n))).toEqual([0, 10, 0]);
    expect(node<LightNode>(model, 'Spot').light).toMatchObject({ type: 'spot', angle: 20, target: [0, 0, -2] });
    expect(model.stats.lights).toBe(5);
  });

  it('[KIND2] text labels from type: "text", text properties and label blocks', async () => {
    const model = await modelOf(`object "Welcome" { type: "text"; content: "Hello"; font_size: 48; color: "#ffcc00" }
      object "Sign" { text: "Exit" }
      object "Box" { geometry: "cube"; label: "A box" }`);
    expect(node<TextNode>(model, 'Welcome').text).toMatchObject({ text: 'Hello', color: '#ffcc00', size: 0.24 });
    expect(node<TextNode>(model, 'Sign')).toMatchObject({ kind: 'text', text: { text: 'Exit' } });
    expect(node(model, 'Box')).toMatchObject({ kind: 'mesh', label: 'A box' });
  });

  it('[LIMIT7] a text label keeps its first 500 characters', async () => {
    const long = 'x'.repeat(600);
    const model = await modelOf(`object "Sign" { text: "${long}" } object "Box" { label: "${long}" }`);
    expect(node<TextNode>(model, 'Sign').text.text).toBe('x'.repeat(500));
    expect(node(model, 'Box')).toMatchObject({ label: 'x'.repeat(500) });
  });

  it('[CAM1] a camera block: position, target and field of view', async () => {
    const model = await modelOf('camera { position: [3, 1.6, 4]; target: [0, 1, 0]; fov: 60 }');
    expect(model.camera).toEqual({ position: [3, 1.6, 4], target: [0, 1, 0], fov: 60 });
  });

  it('[KIND3][MODEL1] models load from this site only', async () => {
    const model = await modelOf(`object "Tree" { model: "models/tree.glb" }
      object "Abs" { model: "/assets/x.gltf" }
      object "Far" { model: "https://example.com/x.glb" }
      object "Proto" { model: "//example.com/x.glb" }
      object "Data" { model: "data:model/gltf-binary;base64,AAAA" }
      object "Up" { model: "../../etc/passwd.glb" }`);
    expect(node<ModelNode>(model, 'Tree')).toMatchObject({ kind: 'model', url: '/scenes/models/tree.glb' });
    expect(node<ModelNode>(model, 'Abs').url).toBe('/assets/x.gltf');
    // `..` cannot climb out of the site: it resolves to a path on it.
    expect(node<ModelNode>(model, 'Up').url).toBe('/etc/passwd.glb');
    for (const id of ['Far', 'Proto', 'Data']) {
      expect(node(model, id)).toMatchObject({ kind: 'mesh', material: { wireframe: true } });
    }
    expect(model.warnings.filter((w) => w.code === 'MODEL_URL')).toHaveLength(3);
  });
});

describe('environment', () => {
  it('[ENV1-ENV5] sky, ambient, fog, shadows, floor', async () => {
    const model = await modelOf(`environment {
      skybox: "gradient"; background_gradient: ["#000005", "#05000a"]
      ambient_light: 0.2; fog: { color: "#334455", near: 5, far: 40 }; shadows: false; floor: false
    }`);
    expect(model.environment).toEqual({
      declared: true,
      sky: 'gradient',
      skyColors: ['#000005', '#05000a'],
      ambient: { color: '#ffffff', intensity: 0.2 },
      fog: { color: '#334455', near: 5, far: 40 },
      shadows: false,
      floor: null,
      floorRadius: 30,
      scale: 1,
      gravity: [0, -9.81, 0],
      voice: {},
    });
  });

  it('[ENV8] voice range settings, range-checked, the rest left to the voice defaults', async () => {
    const voice = await modelOf(
      'environment { voice_distance_model: "linear"; voice_ref_distance: 2; voice_rolloff: 1; voice_max_distance: 40 }',
    );
    expect(voice.environment.voice).toEqual({
      distanceModel: 'linear',
      refDistance: 2,
      rolloffFactor: 1,
      maxDistance: 40,
    });
    expect((await modelOf('environment { voice_rolloff: 1000 }')).environment.voice).toEqual({ rolloffFactor: 100 });
    const bad = await modelOf('environment { voice_distance_model: "loud"; voice_ref_distance: "far" }');
    expect(bad.environment.voice).toEqual({});
    expect(bad.warnings.map((w) => w.code)).toEqual(['BAD_VALUE', 'BAD_VALUE']);
  });

  it('[ENV7] the room’s size and the size of a person in it', async () => {
    const sized = await modelOf('environment { size: 12; player_scale: 2 }');
    expect(sized.environment).toMatchObject({ floorRadius: 6, scale: 2 });
    expect((await modelOf('environment { room_size: [8, 20] }')).environment.floorRadius).toBe(10);
    expect((await modelOf('environment { floor_radius: 4; scale: 0.5 }')).environment).toMatchObject({
      floorRadius: 4,
      scale: 0.5,
    });
    const bad = await modelOf('environment { size: "big"; scale: -1 }');
    expect(bad.environment).toMatchObject({ floorRadius: 30, scale: 1 });
    expect(bad.warnings.map((w) => w.code)).toEqual(['BAD_VALUE', 'BAD_VALUE']);
  });

  it('[ENV1] named skies, plain colours and unknown names', async () => {
    const sky = async (value: string) => (await modelOf(`environment { skybox: "${value}" }`)).environment;
    expect((await sky('clear_day')).sky).toBe('procedural');
    expect((await sky('none')).sky).toBe('none');
    expect(await sky('#102030')).toMatchObject({ sky: 'color', skyColors: ['#102030', '#102030'] });
    expect((await sky('space_haze')).sky).toBe('gradient');
    const unknown = await modelOf('environment { skybox: "mars_canyon" }');
    expect(unknown.environment.sky).toBe('procedural');
    expect(unknown.warnings).toHaveLength(1);
  });

  it('[ENV6] a script without an environment block keeps the default room', async () => {
    expect((await modelOf('object "A" {}')).environment.declared).toBe(false);
  });
});

describe('traits', () => {
  it('[TRAIT1-TRAIT7] known traits, in the header or the body, with configuration', async () => {
    const model = await modelOf(`object "A" @glowing(intensity: 3, color: "#00ffff") @clickable {
        @animated(type: "bob", speed: 2, amplitude: 0.2)
        @hoverable { scale_on_hover: 1.2; color_on_hover: "#ffd166" }
        @grabbable @networked @collidable @throwable
      }
      object "B" { @spinning; glow: true }
      object "C" { @pointable }`);
    expect(node(model, 'A').traits).toEqual({
      glowing: { color: '#00ffff', intensity: 3, pulse: 1 },
      animated: { kind: 'bob', axis: 'y', speed: 2, amplitude: 0.2 },
      clickable: true,
      hoverable: { scale: 1.2, color: '#ffd166' },
      grabbable: true,
      networked: true,
      collidable: true,
      throwable: true,
      physics: null,
    });
    expect(node(model, 'B').traits.animated).toMatchObject({ kind: 'spin', speed: 45 });
    expect(node(model, 'B').traits.glowing).not.toBeNull();
    expect(node(model, 'C').traits.clickable).toBe(true);
  });
});

describe('handlers', () => {
  it('[EV1][EV2][EV3] events by normalized name, synonyms, unsupported events warn', async () => {
    const model = await modelOf(`object "A" {
      onClick: { set lit true }
      on_hover_enter { set hovered true }
      on_release(event) { set held false }
      on_point() { set pointed true }
      on_collision_enter(event) { set hit true }
      helper() { return 1 }
      on_click: "trigger_fireworks"
    }`);
    const handlers = node(model, 'A').handlers;
    expect([...handlers.events.keys()].sort()).toEqual(['click', 'hoverenter', 'release']);
    // on_point is a click synonym written later, so it answers clicks.
    expect(handlers.events.get('click')?.name).toBe('on_point');
    expect([...handlers.methods.keys()]).toContain('helper');
    expect(model.warnings.map((w) => w.code).sort()).toEqual(['UNSUPPORTED_HANDLER', 'UNSUPPORTED_HANDLER']);
  });
});
