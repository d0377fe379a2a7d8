/**
 * What a block draws (docs/scene-runtime.md KIND1-KIND4), decided before its
 * properties are read so each kind reads its own table.
 *
 *   KIND1 `light`, `point_light`, ... blocks, and objects with
 *         `type: "<x>_light"` (or a light type), are lights.
 *   KIND2 objects with `type: "text"` or a `text`/`content` property (and no
 *         geometry), and `text "..." { }` / `label` blocks, are text labels.
 *   KIND3 objects with a `model` (also `src`, `url`, `model_path`, `gltf`) are
 *         glTF models; `type: "model"` too.
 *   KIND4 groups (`spatial_group`, `group`, `scene`) are groups; an object with
 *         no geometry, model or text that holds other objects is a group; any
 *         other object is a mesh, a 1 m box unless it names a geometry.
 */
import type { Block, Property } from '../syntax/ast.ts';
import { normalizeKey, propertyIn, spellingsOf } from '../syntax/vocabulary.ts';
import { own } from './own.ts';
import { type LightType, PRIMITIVES, type Primitive, type SceneNodeKind } from './scene-model.ts';

const LIGHT_TYPES: Readonly<Record<string, LightType>> = {
  directional: 'directional',
  sun: 'directional',
  point: 'point',
  spot: 'spot',
  spotlight: 'spot',
  ambient: 'ambient',
  hemisphere: 'hemisphere',
  hemi: 'hemisphere',
};

/** `directional`, `directional_light`, `DirectionalLight` -> directional. */
export function lightTypeOf(text: string): LightType | undefined {
  const key = normalizeKey(text).replace(/light$/, '');
  return key === '' ? undefined : own(LIGHT_TYPES, key);
}

const GEOMETRY_ALIASES: Readonly<Record<string, Primitive>> = {
  cube: 'box',
  box: 'box',
  block: 'box',
  sphere: 'sphere',
  ball: 'sphere',
  orb: 'sphere',
  cylinder: 'cylinder',
  cone: 'cone',
  pyramid: 'tetrahedron',
  plane: 'plane',
  quad: 'plane',
  floor: 'plane',
  circle: 'circle',
  disc: 'circle',
  disk: 'circle',
  torus: 'torus',
  donut: 'torus',
  capsule: 'capsule',
  pill: 'capsule',
  ring: 'ring',
  torusknot: 'torusknot',
  knot: 'torusknot',
};

export function primitiveOf(text: string): Primitive | undefined {
  const key = normalizeKey(text);
  return (
    own(GEOMETRY_ALIASES, key) ?? ((PRIMITIVES as readonly string[]).find((p) => p === key) as Primitive | undefined)
  );
}

function spellings(scope: 'model' | 'mesh', name: string): ReadonlySet<string> {
  const property = propertyIn([scope], name);
  return new Set(property ? spellingsOf(property) : [name]);
}

/** KIND3: the spellings of `model` make an object a model. */
const MODEL_KEYS = spellings('model', 'model');
/** KIND4: the spellings of `geometry` make an object a mesh. */
const GEOMETRY_KEYS = spellings('mesh', 'geometry');
/** KIND2: `text` or `content` (not every spelling of a label's text: `value` is too common) makes a text label. */
const TEXT_KEYS: ReadonlySet<string> = new Set(['text', 'content']);

function lastString(properties: readonly Property[], keys: ReadonlySet<string>): string | undefined {
  for (let i = properties.length - 1; i >= 0; i--) {
    const property = properties[i] as Property;
    if (keys.has(normalizeKey(property.key)) && property.value.kind === 'String') return property.value.value;
  }
  return undefined;
}

/** The `type` of a `mesh: { type: ... }` object literal, if any. */
function meshType(properties: readonly Property[]): string | undefined {
  for (let i = properties.length - 1; i >= 0; i--) {
    const property = properties[i] as Property;
    if (normalizeKey(property.key) !== 'mesh' || property.value.kind !== 'ObjectLiteral') continue;
    const entry = property.value.entries.find((e) => e.key === 'type');
    if (entry?.value.kind === 'String') return entry.value.value;
  }
  return undefined;
}

const TYPE_KEY: ReadonlySet<string> = new Set(['type']);

export interface KindDecision {
  kind: SceneNodeKind;
  lightType?: LightType;
}

export function decideKind(block: Block, properties: readonly Property[], children: readonly Block[]): KindDecision {
  const written = lastString(properties, TYPE_KEY);
  if (block.kind === 'Light') {
    const fromKeyword = block.keyword === 'light' ? undefined : lightTypeOf(block.keyword);
    return { kind: 'light', lightType: (written && lightTypeOf(written)) || fromKeyword || 'point' };
  }
  if (block.kind === 'Group') return { kind: 'group' };
  if (block.kind === 'UnknownBlock') return { kind: block.keyword === 'model' ? 'model' : 'text' };
  if (written !== undefined) {
    const light = /light$/i.test(written) || own(LIGHT_TYPES, normalizeKey(written)) ? lightTypeOf(written) : undefined;
    if (light) return { kind: 'light', lightType: light };
    const type = normalizeKey(written);
    if (type === 'text' || type === 'label') return { kind: 'text' };
    if (type === 'model' || type === 'gltf' || type === 'glb') return { kind: 'model' };
    if (type === 'group' || type === 'empty') return { kind: 'group' };
  }
  const keys = new Set(properties.map((property) => normalizeKey(property.key)));
  if ([...MODEL_KEYS].some((key) => keys.has(key)) || meshType(properties) === 'model') return { kind: 'model' };
  const hasGeometry = [...GEOMETRY_KEYS].some((key) => keys.has(key)) || keys.has('mesh');
  if (!hasGeometry && [...TEXT_KEYS].some((key) => keys.has(key))) return { kind: 'text' };
  if (!hasGeometry && (written === undefined || primitiveOf(written) === undefined)) {
    const holdsNodes = children.some((child) => child.kind !== 'State' && child.kind !== 'Material');
    if (holdsNodes) return { kind: 'group' };
  }
  return { kind: 'mesh' };
}
