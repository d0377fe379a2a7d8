/**
 * The scene language's words, written once: block keywords, the properties a
 * script may set (names, spellings, value types, ranges, and whether handlers
 * may read or write them), traits, handler events and commands. Everything
 * that needs a word reads it from here: the scene model's readers
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
 *   commandOf('play')?.name;                              // 'play_audio' (CMD5)
 */
import { BLOCK_KEYWORDS, type BlockKind } from './ast.ts';

// ---- keywords ----------------------------------------------------------------

/** What each block kind is (SYN3); the keywords come from the parser (`BLOCK_KEYWORDS`). */
export const BLOCK_MEANINGS: Readonly<Record<Exclude<BlockKind, 'UnknownBlock'>, string>> = {
  Composition: "A scene; its name is the scene's title. A file may also have no composition.",
  Object: 'A thing in the scene (`orb` and `entity` are older spellings).',
  Template: 'Named defaults; an object with `using "T"` starts from T\'s members and overrides them with its own.',
  Group: "Groups its children; their transforms compose with the group's.",
  Environment: 'Sky, ambient light, fog, shadows of the scene.',
  Light: 'A light; for `light` the `type:` property says which kind.',
  Camera: 'The starting viewpoint.',
  State: 'Variables with initial values that handlers read and change.',
  Metadata: 'A description of the scene (title, tags); not drawn.',
  Material: "An object's material, the same as a `material:` object value.",
};

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

/** Every keyword that opens a block: the parser's and the scene's own. */
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
  /** The rule that gives it its meaning. */
  rule: string;
  doc: string;
}

type Options = Partial<Pick<Property, 'aliases' | 'range' | 'readable' | 'writable' | 'stored'>>;

function property(scope: Scope, name: string, type: ValueType, rule: string, doc: string, options: Options = {}) {
  return {
    name,
    aliases: options.aliases ?? [],
    scope,
    type,
    ...(options.range ? { range: options.range } : {}),
    readable: options.readable ?? options.writable ?? false,
    writable: options.writable ?? false,
    stored: options.stored ?? 'prop',
    rule,
    doc,
  } satisfies Property;
}

const rw = { writable: true } as const;
const transform = { writable: true, stored: 'transform' } as const;

export const PROPERTIES: readonly Property[] = [
  // Every drawn node (objects, groups, lights, labels, models).
  property('node', 'position', '[x, y, z]', 'MERGE1', 'metres, relative to the parent', transform),
  property('node', 'rotation', '[x, y, z]', 'MERGE1', 'degrees, X then Y then Z, relative to the parent', transform),
  property('node', 'scale', 'number or [x, y, z]', 'MERGE1', 'scales the node and its children', transform),
  property('node', 'transform', 'record', 'MERGE1', '`{ position, rotation, scale }`'),
  property('node', 'visible', 'boolean', 'PROP1', 'drawn or not', rw),
  property('node', 'hidden', 'boolean', 'PROP1', 'the opposite of `visible`'),
  property('node', 'label', 'text or null', 'PROP1', 'a label floating above the node', rw),
  property('node', 'castShadow', 'boolean', 'ENV4', 'casts shadows', { aliases: ['castShadows'] }),
  property('node', 'receiveShadow', 'boolean', 'ENV4', 'receives shadows', { aliases: ['receiveShadows'] }),
  property('node', 'shadows', 'boolean', 'ENV4', 'casts and receives shadows'),
  property('node', 'state', 'record', 'INT2', 'state with initial values, as a `state { }` block'),
  property('node', 'type', 'name', 'KIND1', 'what the block draws: a geometry, a light type, `text`, `model`, `group`'),
  property('node', 'id', 'text', 'ID6', 'an explicit id for the object state', { readable: true }),
  property('node', 'name', 'text', 'RT1', 'accepted silently; `this.name` is the block name', { readable: true }),
  property('node', 'description', 'any', 'RT1', 'accepted silently'),
  property('node', 'tags', 'any', 'RT1', 'accepted silently'),
  property('node', 'comment', 'any', 'RT1', 'accepted silently'),
  property('node', 'note', 'any', 'RT1', 'accepted silently'),
  // Meshes.
  property('mesh', 'geometry', 'name', 'KIND4', 'the primitive: `box`, `sphere`, `cylinder`, …', {
    aliases: ['shape', 'primitive'],
  }),
  property('mesh', 'size', 'number or [x, y, z]', 'KIND4', "the primitive's dimensions", { range: [0, 1000] }),
  property('mesh', 'radius', 'number', 'KIND4', 'diameter = 2 × radius', { range: [0, 500] }),
  property('mesh', 'width', 'number', 'KIND4', 'x dimension', { range: [0, 1000] }),
  property('mesh', 'height', 'number', 'KIND4', 'y dimension', { range: [0, 1000] }),
  property('mesh', 'depth', 'number', 'KIND4', 'z dimension', { range: [0, 1000] }),
  property('mesh', 'mesh', 'record', 'KIND4', '`{ type, radius, … }`'),
  property('mesh', 'material', 'preset or record', 'MAT1', 'a preset name (MAT2) or the fields below', {
    aliases: ['advanced_pbr', 'pbr'],
  }),
  property('mesh', 'glow', 'boolean', 'TRAIT1', 'the same as `@glowing`'),
  // Materials: in `material { }`, `material: { }`, or flat on a mesh.
  property('material', 'color', 'colour', 'MAT1', 'base colour', {
    ...rw,
    aliases: ['baseColor', 'albedo', 'diffuse'],
  }),
  property('material', 'roughness', 'number', 'MAT1', '0 mirror … 1 matte', { ...rw, range: [0, 1] }),
  property('material', 'metallic', 'number', 'MAT1', '0 … 1', { ...rw, range: [0, 1], aliases: ['metalness'] }),
  property('material', 'emissive', 'colour', 'MAT1', 'glow colour', { ...rw, aliases: ['emissiveColor', 'emission'] }),
  property('material', 'emissiveIntensity', 'number', 'MAT1', 'glow strength; alone, the object glows in its colour', {
    ...rw,
    range: [0, 20],
    aliases: ['emissionIntensity'],
  }),
  property('material', 'opacity', 'number', 'MAT1', 'below 1 is transparent', {
    ...rw,
    range: [0, 1],
    aliases: ['alpha'],
  }),
  property('material', 'transparent', 'boolean', 'MAT1', 'true makes an opaque material 60 % opaque'),
  property('material', 'wireframe', 'boolean', 'MAT1', 'draws the edges only'),
  property('material', 'doubleSided', 'boolean', 'MAT1', 'seen from both sides'),
  // Models.
  property('model', 'model', 'URL', 'MODEL1', 'a glTF file on this site', {
    aliases: ['src', 'url', 'model_path', 'model_url', 'gltf', 'glb'],
  }),
  property('model', 'mesh', 'record', 'KIND3', '`{ type: "model", model_path }`'),
  // Text labels.
  property('text', 'text', 'text', 'LIMIT7', 'what the label says (500 characters)', {
    ...rw,
    aliases: ['content', 'value'],
  }),
  property('text', 'color', 'colour', 'KIND2', 'text colour', { ...rw, aliases: ['textColor', 'fontColor'] }),
  property('text', 'font_size', 'number', 'KIND2', 'line height: metres up to 4, above that points (5 mm each)', {
    range: [0.01, 10],
    aliases: ['textSize', 'size'],
  }),
  property('text', 'background', 'colour or null', 'KIND2', 'plate colour, `null` for none', {
    aliases: ['backgroundColor'],
  }),
  property('text', 'billboard', 'boolean', 'KIND2', 'always faces the viewer (default true)'),
  // Lights.
  property('light', 'color', 'colour', 'KIND1', 'light colour (the sky colour of a hemisphere light)', {
    ...rw,
    aliases: ['skyColor'],
  }),
  property('light', 'groundColor', 'colour', 'KIND1', 'ground colour of a hemisphere light'),
  property('light', 'intensity', 'number', 'LIGHT1', 'point and spot lights × 8', { ...rw, range: [0, 100] }),
  property('light', 'distance', 'number', 'KIND1', 'metres, 0 = no limit', { range: [0, 1000], aliases: ['range'] }),
  property('light', 'decay', 'number', 'KIND1', 'falloff with distance', { range: [0, 4] }),
  property('light', 'angle', 'number', 'KIND1', 'spot half-angle, degrees', { range: [1, 89], aliases: ['spotAngle'] }),
  property('light', 'penumbra', 'number', 'KIND1', 'soft spot edge', { range: [0, 1] }),
  property('light', 'target', '[x, y, z]', 'KIND1', 'the point a directional or spot light aims at', {
    aliases: ['lookAt'],
  }),
  property('light', 'direction', '[x, y, z]', 'KIND1', 'where a directional or spot light points'),
  // Rigid bodies (PHYS1): `@physics(mass: 2)`, `@physics { friction: 0.9 }`, `physics: { ... }` or flat.
  property('physics', 'physics', 'record', 'PHYS1', 'the rigid body settings below, as one record'),
  property('physics', 'body_type', 'name', 'PHYS1', '`dynamic` (default), `kinematic` or `static` (also `fixed`)', {
    aliases: ['type'],
  }),
  property('physics', 'mass', 'number', 'PHYS1', 'kilograms (default 1); 0 makes the body static', {
    range: [0, 10000],
  }),
  property('physics', 'friction', 'number', 'PHYS1', '0 ice … 1 rubber (default 0.5)', { range: [0, 2] }),
  property('physics', 'restitution', 'number', 'PHYS1', 'bounciness: 0 none … 1 full (default 0.2)', {
    range: [0, 1],
    aliases: ['bounciness'],
  }),
  property('physics', 'linear_damping', 'number', 'PHYS1', 'slows sliding and flying (default 0.05)', {
    range: [0, 10],
  }),
  property('physics', 'angular_damping', 'number', 'PHYS1', 'slows spinning (default 0.1)', {
    range: [0, 10],
  }),
  property('physics', 'gravity_scale', 'number', 'PHYS1', 'gravity on this body: 0 floats (default 1)', {
    range: [-10, 10],
  }),
  property('physics', 'kinematic', 'boolean', 'PHYS1', 'the same as `body_type: "kinematic"`', {
    aliases: ['is_kinematic'],
  }),
  property('physics', 'use_gravity', 'boolean', 'PHYS1', '`false` is the same as `gravity_scale: 0`', {
    aliases: ['gravity'],
  }),
  // The environment block.
  property(
    'environment',
    'skybox',
    'name or colour',
    'ENV1',
    '`none`, a colour, `gradient`, a daylight or gradient name',
    {
      aliases: ['sky', 'sky_type'],
    },
  ),
  property('environment', 'background_color', 'colour', 'ENV1', 'a plain sky, or the top of a named gradient', {
    aliases: ['background', 'sky_color', 'clear_color'],
  }),
  property('environment', 'background_gradient', 'record', 'ENV1', '`[top, bottom]` colours', {
    aliases: ['sky_gradient', 'gradient'],
  }),
  property('environment', 'ambient_light', 'number', 'ENV2', 'intensity (or a colour, or `{ color, intensity }`)', {
    range: [0, 5],
    aliases: ['ambient', 'ambient_intensity'],
  }),
  property('environment', 'ambient_color', 'colour', 'ENV2', 'ambient light colour'),
  property(
    'environment',
    'fog',
    'any',
    'ENV3',
    '`true`, `false`, a density below 1, a far distance, or `{ color, near, far, density }`',
  ),
  property('environment', 'fog_color', 'colour', 'ENV3', "default: the sky's lower colour"),
  property('environment', 'fog_near', 'number', 'ENV3', 'metres', { range: [0, 5000] }),
  property('environment', 'fog_far', 'number', 'ENV3', 'metres', { range: [1, 5000] }),
  property('environment', 'fog_density', 'number', 'ENV3', 'drawn as linear fog ending at 3 / density metres'),
  property('environment', 'shadows', 'boolean', 'ENV4', 'false turns every shadow off'),
  property('environment', 'floor', 'name or colour', 'ENV5', '`false` removes the floor; a colour paints it', {
    aliases: ['ground'],
  }),
  property('environment', 'floor_color', 'colour', 'ENV5', "the floor's colour", { aliases: ['ground_color'] }),
  property('environment', 'size', 'number or [x, y, z]', 'ENV7', "the floor's diameter, or `[width, depth]`", {
    aliases: ['room_size', 'floor_size'],
  }),
  property('environment', 'floor_radius', 'number', 'ENV7', 'metres', { range: [1, 1000] }),
  property('environment', 'scale', 'number', 'ENV7', 'the size of a person in the room', {
    range: [0.01, 100],
    aliases: ['player_scale'],
  }),
  property('environment', 'gravity', 'number or [x, y, z]', 'PHYS1', 'm/s² (default 9.81 down); a number pulls down'),
  property('environment', 'voice_distance_model', 'name', 'ENV8', '`inverse` (default), `linear` or `exponential`'),
  property('environment', 'voice_ref_distance', 'number', 'ENV8', 'metres at full volume (default 5)', {
    range: [0.1, 1000],
  }),
  property('environment', 'voice_rolloff', 'number', 'ENV8', 'how fast voices fade beyond it (default 5)', {
    range: [0, 100],
  }),
  property('environment', 'voice_max_distance', 'number', 'ENV8', 'metres where fading stops (default 10000)', {
    range: [1, 100_000],
  }),
  // The camera block.
  property('camera', 'position', '[x, y, z]', 'CAM1', 'where the desktop view starts'),
  property('camera', 'target', '[x, y, z]', 'CAM1', 'what it looks at', { aliases: ['look_at'] }),
  property('camera', 'fov', 'number', 'CAM1', 'vertical field of view, degrees', { range: [20, 120] }),
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
  /** The handler name completion offers. */
  handler: string;
}

export const EVENTS: readonly EventWord[] = [
  { name: 'click', aliases: ['select', 'press', 'tap', 'point', 'pinch'], handler: 'on_click' },
  { name: 'hoverenter', aliases: ['hover', 'hoverstart', 'pointerenter', 'gazeenter'], handler: 'on_hover_enter' },
  {
    name: 'hoverexit',
    aliases: ['hoverleave', 'hoverend', 'unhover', 'pointerleave', 'gazeexit'],
    handler: 'on_hover_exit',
  },
  { name: 'grab', aliases: ['grabstart', 'pickup'], handler: 'on_grab' },
  { name: 'release', aliases: ['grabend', 'drop'], handler: 'on_release' },
];

// ---- commands --------------------------------------------------------------------

export interface CommandWord {
  name: string;
  aliases: readonly string[];
  /** How it is written, for docs and completion. */
  usage: string;
  rule: string;
  /** Also callable as a method of an object (`this.playSound("x")`, INT7). */
  method?: boolean;
}

export const COMMANDS: readonly CommandWord[] = [
  { name: 'set', aliases: [], usage: 'set target value', rule: 'CMD1' },
  { name: 'increment', aliases: ['inc'], usage: 'increment target [by] [n]', rule: 'CMD2' },
  { name: 'decrement', aliases: ['dec'], usage: 'decrement target [by] [n]', rule: 'CMD3' },
  { name: 'toggle', aliases: [], usage: 'toggle target', rule: 'CMD4' },
  {
    name: 'play_audio',
    aliases: ['play_sound', 'playSound', 'playAudio', 'play', 'sound'],
    usage: 'play_audio "file"',
    rule: 'CMD5',
    method: true,
  },
  { name: 'spawn', aliases: [], usage: 'spawn "Name" [at [x, y, z]]', rule: 'CMD6' },
  { name: 'destroy', aliases: ['despawn', 'remove'], usage: 'destroy [name]', rule: 'CMD7' },
  { name: 'hide', aliases: [], usage: 'hide [name]', rule: 'CMD7' },
  { name: 'show', aliases: [], usage: 'show [name]', rule: 'CMD7' },
  { name: 'reset', aliases: [], usage: 'reset [name]', rule: 'CMD8' },
  { name: 'move', aliases: [], usage: 'move x 1` / `move [dx, dy, dz]', rule: 'CMD9' },
  { name: 'rotate', aliases: [], usage: 'rotate y 45', rule: 'CMD9' },
  { name: 'log', aliases: ['print', 'say'], usage: 'log values…', rule: 'CMD10' },
  { name: 'toggle_trait', aliases: [], usage: 'toggle_trait "glowing" [name]', rule: 'CMD11' },
  { name: 'enable_trait', aliases: [], usage: 'enable_trait', rule: 'CMD11' },
  { name: 'disable_trait', aliases: [], usage: 'disable_trait', rule: 'CMD11' },
];

/** What each command rule does, for the docs' command table (CMD12 is every other word). */
export const COMMAND_MEANINGS: Readonly<Record<string, string>> = {
  CMD1: "`target = value` (a bare name is this object's state)",
  CMD2: '`target += n` (default 1; a missing value counts as 0)',
  CMD3: '`target -= n`',
  CMD4: 'flips a true/false value',
  CMD5: 'plays a sound for the acting person: a bare name from `/scenes/sounds/`, a path as it is; this site only, `.ogg .mp3 .wav .m4a .webm .opus`',
  CMD6: 'copies a template (or else a named object) into the room for everyone (SPAWN1)',
  CMD7: 'removes a spawned object; hides a scene object (`reset` shows it again); hide/show set `visible`',
  CMD8: "forgets the object's room state: back to the script's values",
  CMD9: "nudges this object's transform",
  CMD10: "writes a line to the acting person's console",
  CMD11: 'turns a trait on or off for everyone (`trait_<name>`, PROP1)',
  CMD12: 'a warning; does nothing; the handler goes on',
};

/** The command a written name means (exact spelling), or undefined (CMD12). */
export function commandOf(name: string): CommandWord | undefined {
  return COMMANDS.find((command) => command.name === name || command.aliases.includes(name));
}
