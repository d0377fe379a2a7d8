/**
 * The scene language's words, written once: block keywords, the properties a
 * script may set (names, spellings, value types, ranges, and whether handlers
 * may read or write them), traits and handler events; its commands are in
 * command-words.ts and what the words mean, in prose, in
 * vocabulary-meanings.ts (a room reads neither before it runs a handler, so
 * they load with the interpreter or the editor: docs/performance.md LOAD25).
 * Everything that needs a word reads it from these: the scene model's readers
 * (app/scene/model/), the interpreter's writes and commands
 * (app/scene/interpreter/), the editor's highlighting and completion
 * (app/editor/holo-language.ts) and the tables in docs/scene-language.md and
 * docs/scene-runtime.md (written by `npm run docs`, checked by
 * vocabulary.test.ts, which also holds the block keywords against the
 * parser's own schema).
 *
 * Spellings match without regard to case and underscores (`base_color` is
 * `baseColor`, MAT1).
 *
 * @example
 *   propertyIn(['mesh', 'material'], 'base_color')?.name; // 'color'
 *   writableProperty('diffuse')?.name;                    // 'color' (PROP1)
 */
import { BLOCK_KEYWORDS } from './ast.ts';

// ---- keywords ----------------------------------------------------------------

/** Block keywords the parser keeps as unknown blocks but the scene draws (KIND2, KIND3). */
export const NODE_KEYWORDS: readonly string[] = ['text', 'label', 'model'];
/** Words with a meaning in a block header or an import (SYN3, SYN10). */
export const HEADER_WORDS: readonly string[] = ['using', 'import', 'from', 'as'];
/** Words that declare a scene action or a function value (SYN7, SYN13). */
export const DECLARATION_WORDS: readonly string[] = ['action', 'function'];
/** Words that start a statement (SYN8). */
export const STATEMENT_WORDS: readonly string[] = ['if', 'else', 'let', 'const', 'var', 'return'];
/** The words of loops (SYN15) and of the `on` handler forms (SYN7). */
export const FORM_WORDS: readonly string[] = ['for', 'of', 'on'];
/** Literal values (SYN5); `undefined` is `null`. */
export const VALUE_WORDS: readonly string[] = ['true', 'false', 'null', 'undefined'];
/** Words inside command lines (`spawn "X" at [0, 1, 0]`, `increment n by 2`). */
export const ARGUMENT_WORDS: readonly string[] = ['at', 'by'];

/** Every keyword that opens a block: the parser's and the scene's own (what each means: vocabulary-meanings.ts). */
export function blockKeywords(): string[] {
  return [...Object.keys(BLOCK_KEYWORDS), ...NODE_KEYWORDS];
}

// ---- properties --------------------------------------------------------------

/**
 * Where a property is read: on every drawn node, on one kind of node, in a
 * material (also written flat on a mesh), in a rigid body's settings (`@physics`
 * arguments, its `{ }` body, a `physics: { }` record, or flat on a mesh or
 * model), or in the `environment` or `camera` block.
 */
export type Scope = 'node' | 'mesh' | 'material' | 'model' | 'text' | 'light' | 'physics' | 'environment' | 'camera';

type ValueType =
  | 'number'
  | 'colour'
  | 'boolean'
  | 'text'
  | 'text or null'
  | 'colour or null'
  | '[x, y, z]'
  | 'number or [x, y, z]'
  | 'name'
  | 'name or colour'
  | 'URL'
  | 'record'
  | 'preset or record'
  | 'any';

export interface Property {
  /** The name documents and completion show; for writable properties also the stored key (`prop.<name>`). */
  name: string;
  /** Other spellings scripts use for the same property. */
  aliases: readonly string[];
  scope: Scope;
  type: ValueType;
  /** Values are clamped into this range. */
  range?: readonly [number, number];
  /** Handlers read it as `this.<name>` (INT2). */
  readable: boolean;
  /** Handlers change it for everyone (PROP1). */
  writable: boolean;
  /** Where a handler's write goes: the node's transform (MERGE1) or a `prop.<name>` override (PROP1). */
  stored: 'prop' | 'transform';
}

type Options = Partial<Pick<Property, 'aliases' | 'range' | 'readable' | 'writable' | 'stored'>>;

function property(scope: Scope, name: string, type: ValueType, options: Options = {}) {
  return {
    name,
    aliases: options.aliases ?? [],
    scope,
    type,
    ...(options.range ? { range: options.range } : {}),
    readable: options.readable ?? options.writable ?? false,
    writable: options.writable ?? false,
    stored: options.stored ?? 'prop',
  } satisfies Property;
}

const rw = { writable: true } as const;
const transform = { writable: true, stored: 'transform' } as const;

export const PROPERTIES: readonly Property[] = [
  // Every drawn node (objects, groups, lights, labels, models).
  property('node', 'position', '[x, y, z]', transform),
  property('node', 'rotation', '[x, y, z]', transform),
  property('node', 'scale', 'number or [x, y, z]', transform),
  property('node', 'transform', 'record'),
  property('node', 'visible', 'boolean', rw),
  property('node', 'hidden', 'boolean'),
  property('node', 'label', 'text or null', rw),
  property('node', 'castShadow', 'boolean', { aliases: ['castShadows'] }),
  property('node', 'receiveShadow', 'boolean', { aliases: ['receiveShadows'] }),
  property('node', 'shadows', 'boolean'),
  property('node', 'state', 'record'),
  property('node', 'type', 'name'),
  property('node', 'id', 'text', { readable: true }),
  property('node', 'name', 'text', { readable: true }),
  property('node', 'description', 'any'),
  property('node', 'tags', 'any'),
  property('node', 'comment', 'any'),
  property('node', 'note', 'any'),
  // Meshes.
  property('mesh', 'geometry', 'name', {
    aliases: ['shape', 'primitive'],
  }),
  property('mesh', 'size', 'number or [x, y, z]', { range: [0, 1000] }),
  property('mesh', 'radius', 'number', { range: [0, 500] }),
  property('mesh', 'width', 'number', { range: [0, 1000] }),
  property('mesh', 'height', 'number', { range: [0, 1000] }),
  property('mesh', 'depth', 'number', { range: [0, 1000] }),
  property('mesh', 'mesh', 'record'),
  property('mesh', 'material', 'preset or record', {
    aliases: ['advanced_pbr', 'pbr'],
  }),
  property('mesh', 'glow', 'boolean'),
  // Materials: in `material { }`, `material: { }`, or flat on a mesh.
  property('material', 'color', 'colour', {
    ...rw,
    aliases: ['baseColor', 'albedo', 'diffuse'],
  }),
  property('material', 'roughness', 'number', { ...rw, range: [0, 1] }),
  property('material', 'metallic', 'number', { ...rw, range: [0, 1], aliases: ['metalness'] }),
  property('material', 'emissive', 'colour', { ...rw, aliases: ['emissiveColor', 'emission'] }),
  property('material', 'emissiveIntensity', 'number', {
    ...rw,
    range: [0, 20],
    aliases: ['emissionIntensity'],
  }),
  property('material', 'opacity', 'number', {
    ...rw,
    range: [0, 1],
    aliases: ['alpha'],
  }),
  property('material', 'transparent', 'boolean'),
  property('material', 'wireframe', 'boolean'),
  property('material', 'doubleSided', 'boolean'),
  // Models.
  property('model', 'model', 'URL', {
    aliases: ['src', 'url', 'model_path', 'model_url', 'gltf', 'glb'],
  }),
  property('model', 'mesh', 'record'),
  // Text labels.
  property('text', 'text', 'text', {
    ...rw,
    aliases: ['content', 'value'],
  }),
  property('text', 'color', 'colour', { ...rw, aliases: ['textColor', 'fontColor'] }),
  property('text', 'font_size', 'number', {
    range: [0.01, 10],
    aliases: ['textSize', 'size'],
  }),
  property('text', 'background', 'colour or null', {
    aliases: ['backgroundColor'],
  }),
  property('text', 'billboard', 'boolean'),
  // Lights.
  property('light', 'color', 'colour', {
    ...rw,
    aliases: ['skyColor'],
  }),
  property('light', 'groundColor', 'colour'),
  property('light', 'intensity', 'number', { ...rw, range: [0, 100] }),
  property('light', 'distance', 'number', { range: [0, 1000], aliases: ['range'] }),
  property('light', 'decay', 'number', { range: [0, 4] }),
  property('light', 'angle', 'number', { range: [1, 89], aliases: ['spotAngle'] }),
  property('light', 'penumbra', 'number', { range: [0, 1] }),
  property('light', 'target', '[x, y, z]', {
    aliases: ['lookAt'],
  }),
  property('light', 'direction', '[x, y, z]'),
  // Rigid bodies (PHYS1): `@physics(mass: 2)`, `@physics { friction: 0.9 }`, `physics: { ... }` or flat.
  property('physics', 'physics', 'record'),
  property('physics', 'body_type', 'name', {
    aliases: ['type'],
  }),
  property('physics', 'mass', 'number', {
    range: [0, 10000],
  }),
  property('physics', 'friction', 'number', { range: [0, 2] }),
  property('physics', 'restitution', 'number', {
    range: [0, 1],
    aliases: ['bounciness'],
  }),
  property('physics', 'linear_damping', 'number', {
    range: [0, 10],
  }),
  property('physics', 'angular_damping', 'number', {
    range: [0, 10],
  }),
  property('physics', 'gravity_scale', 'number', {
    range: [-10, 10],
  }),
  property('physics', 'kinematic', 'boolean', {
    aliases: ['is_kinematic'],
  }),
  property('physics', 'use_gravity', 'boolean', {
    aliases: ['gravity'],
  }),
  // The environment block.
  property('environment', 'skybox', 'name or colour', {
    aliases: ['sky', 'sky_type'],
  }),
  property('environment', 'background_color', 'colour', {
    aliases: ['background', 'sky_color', 'clear_color'],
  }),
  property('environment', 'background_gradient', 'record', {
    aliases: ['sky_gradient', 'gradient'],
  }),
  property('environment', 'ambient_light', 'number', {
    range: [0, 5],
    aliases: ['ambient', 'ambient_intensity'],
  }),
  property('environment', 'ambient_color', 'colour'),
  property('environment', 'fog', 'any'),
  property('environment', 'fog_color', 'colour'),
  property('environment', 'fog_near', 'number', { range: [0, 5000] }),
  property('environment', 'fog_far', 'number', { range: [1, 5000] }),
  property('environment', 'fog_density', 'number'),
  property('environment', 'shadows', 'boolean'),
  property('environment', 'floor', 'name or colour', {
    aliases: ['ground'],
  }),
  property('environment', 'floor_color', 'colour', { aliases: ['ground_color'] }),
  property('environment', 'size', 'number or [x, y, z]', {
    aliases: ['room_size', 'floor_size'],
  }),
  property('environment', 'floor_radius', 'number', { range: [1, 1000] }),
  property('environment', 'scale', 'number', {
    range: [0.01, 100],
    aliases: ['player_scale'],
  }),
  property('environment', 'gravity', 'number or [x, y, z]'),
  property('environment', 'voice_distance_model', 'name'),
  property('environment', 'voice_ref_distance', 'number', {
    range: [0.1, 1000],
  }),
  property('environment', 'voice_rolloff', 'number', {
    range: [0, 100],
  }),
  property('environment', 'voice_max_distance', 'number', {
    range: [1, 100_000],
  }),
  // The camera block.
  property('camera', 'position', '[x, y, z]'),
  property('camera', 'target', '[x, y, z]', { aliases: ['look_at'] }),
  property('camera', 'fov', 'number', { range: [20, 120] }),
];

const normalized = new Map<string, string>();
const MAX_NORMALIZED = 4096;

/** `emissiveIntensity`, `emissive_intensity` and `EmissiveIntensity` are one key: lower case, no underscores. */
export function normalizeKey(key: string): string {
  let result = normalized.get(key);
  if (result === undefined) {
    result = key.replace(/_/g, '').toLowerCase();
    // Scripts use few distinct keys; a hostile one with many cannot grow this without bound.
    if (normalized.size >= MAX_NORMALIZED) normalized.clear();
    normalized.set(key, result);
  }
  return result;
}

/** Normalized spelling -> property, per scope. */
const BY_SCOPE = new Map<Scope, Map<string, Property>>();
for (const entry of PROPERTIES) {
  let table = BY_SCOPE.get(entry.scope);
  if (!table) {
    table = new Map();
    BY_SCOPE.set(entry.scope, table);
  }
  for (const spelling of [entry.name, ...entry.aliases]) table.set(normalizeKey(spelling), entry);
}

/** Every spelling of a property, normalized. */
export function spellingsOf(entry: Property): string[] {
  return [entry.name, ...entry.aliases].map(normalizeKey);
}

/** The property a written key means in the first of `scopes` that has it. */
export function propertyIn(scopes: readonly Scope[], key: string): Property | undefined {
  const spelling = normalizeKey(key);
  for (const scope of scopes) {
    const entry = BY_SCOPE.get(scope)?.get(spelling);
    if (entry) return entry;
  }
  return undefined;
}

/** Spellings of the properties handlers override (PROP1), whatever the node: one entry per stored key. */
const WRITABLE = new Map<string, Property>();
for (const entry of PROPERTIES) {
  if (!entry.writable || entry.stored !== 'prop') continue;
  for (const spelling of [entry.name, ...entry.aliases]) {
    const key = normalizeKey(spelling);
    if (!WRITABLE.has(key)) WRITABLE.set(key, entry);
  }
}

/** The property a handler overrides as `this.<key>` (PROP1), or undefined; transforms are written as such. */
export function writableProperty(key: string): Property | undefined {
  return WRITABLE.get(normalizeKey(key));
}

/** Names of the properties handlers can override, for messages and docs. */
export function writableNames(): string[] {
  return [...new Set([...WRITABLE.values()].map((entry) => entry.name))];
}

// ---- traits --------------------------------------------------------------------

export interface TraitWord {
  /** The trait's name (`@glowing`). */
  name: string;
  aliases: readonly string[];
  rule: string;
  /** Handlers switch it with `toggle_trait` (CMD11, stored as `trait_<name>`). */
  toggleable: boolean;
}

export const TRAITS: readonly TraitWord[] = [
  { name: 'glowing', aliases: ['glow'], rule: 'TRAIT1', toggleable: true },
  { name: 'animated', aliases: ['spinning', 'rotating', 'floating', 'bobbing'], rule: 'TRAIT2', toggleable: true },
  { name: 'clickable', aliases: ['pointable'], rule: 'TRAIT3', toggleable: true },
  { name: 'hoverable', aliases: [], rule: 'TRAIT4', toggleable: true },
  { name: 'grabbable', aliases: [], rule: 'TRAIT5', toggleable: true },
  { name: 'throwable', aliases: [], rule: 'TRAIT5', toggleable: false },
  { name: 'networked', aliases: ['synced'], rule: 'TRAIT6', toggleable: false },
  { name: 'collidable', aliases: [], rule: 'TRAIT7', toggleable: false },
  { name: 'physics', aliases: [], rule: 'PHYS1', toggleable: false },
];

/** The trait a written name (without `@`) means; spellings are exact. */
export function traitWord(name: string): TraitWord | undefined {
  return TRAITS.find((trait) => trait.name === name || trait.aliases.includes(name));
}

// ---- events ----------------------------------------------------------------------

export interface EventWord {
  /** The event Holoroom fires, as handler names fold to it (EV1). */
  name: 'click' | 'hoverenter' | 'hoverexit' | 'grab' | 'release';
  /** Other events people write for it (EV2). */
  aliases: readonly string[];
}

export const EVENTS: readonly EventWord[] = [
  { name: 'click', aliases: ['select', 'press', 'tap', 'point', 'pinch'] },
  { name: 'hoverenter', aliases: ['hover', 'hoverstart', 'pointerenter', 'gazeenter'] },
  {
    name: 'hoverexit',
    aliases: ['hoverleave', 'hoverend', 'unhover', 'pointerleave', 'gazeexit'],
  },
  { name: 'grab', aliases: ['grabstart', 'pickup'] },
  { name: 'release', aliases: ['grabend', 'drop'] },
];
