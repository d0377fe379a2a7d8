/**
 * What the scene language's words mean, in words: the descriptions the
 * editor's completion and the docs' tables show beside the vocabulary's
 * properties (vocabulary.ts), block kinds and command rules. Apart from the
 * vocabulary itself because a room reads none of it (docs/performance.md
 * LOAD25); vocabulary.test.ts holds the two together (a description for
 * every property, none for a property that is not there).
 *
 * @example
 *   meaningOf(propertyIn(['material'], 'opacity')!); // 'below 1 is transparent'
 */
import type { BlockKind } from './ast.ts';
import type { Property } from './vocabulary.ts';

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

/** What each property means, by `<scope>.<name>` (the order of `PROPERTIES`). */
export const PROPERTY_MEANINGS: Readonly<Record<string, string>> = {
  'node.position': 'metres, relative to the parent',
  'node.rotation': 'degrees, X then Y then Z, relative to the parent',
  'node.scale': 'scales the node and its children',
  'node.transform': '`{ position, rotation, scale }`',
  'node.visible': 'drawn or not',
  'node.hidden': 'the opposite of `visible`',
  'node.label': 'a label floating above the node',
  'node.castShadow': 'casts shadows',
  'node.receiveShadow': 'receives shadows',
  'node.shadows': 'casts and receives shadows',
  'node.state': 'state with initial values, as a `state { }` block',
  'node.type': 'what the block draws: a geometry, a light type, `text`, `model`, `group`',
  'node.id': 'an explicit id for the object state',
  'node.name': 'accepted silently; `this.name` is the block name',
  'node.description': 'accepted silently',
  'node.tags': 'accepted silently',
  'node.comment': 'accepted silently',
  'node.note': 'accepted silently',
  'mesh.geometry': 'the primitive: `box`, `sphere`, `cylinder`, …',
  'mesh.size': "the primitive's dimensions",
  'mesh.radius': 'diameter = 2 × radius',
  'mesh.width': 'x dimension',
  'mesh.height': 'y dimension',
  'mesh.depth': 'z dimension',
  'mesh.mesh': '`{ type, radius, … }`',
  'mesh.material': 'a preset name (MAT2) or the fields below',
  'mesh.glow': 'the same as `@glowing`',
  'material.color': 'base colour',
  'material.roughness': '0 mirror … 1 matte',
  'material.metallic': '0 … 1',
  'material.emissive': 'glow colour',
  'material.emissiveIntensity': 'glow strength; alone, the object glows in its colour',
  'material.opacity': 'below 1 is transparent',
  'material.transparent': 'true makes an opaque material 60 % opaque',
  'material.wireframe': 'draws the edges only',
  'material.doubleSided': 'seen from both sides',
  'model.model': 'a glTF file on this site',
  'model.mesh': '`{ type: "model", model_path }`',
  'text.text': 'what the label says (500 characters)',
  'text.color': 'text colour',
  'text.font_size': 'line height: metres up to 4, above that points (5 mm each)',
  'text.background': 'plate colour, `null` for none',
  'text.billboard': 'always faces the viewer (default true)',
  'light.color': 'light colour (the sky colour of a hemisphere light)',
  'light.groundColor': 'ground colour of a hemisphere light',
  'light.intensity': 'point and spot lights × 8',
  'light.distance': 'metres, 0 = no limit',
  'light.decay': 'falloff with distance',
  'light.angle': 'spot half-angle, degrees',
  'light.penumbra': 'soft spot edge',
  'light.target': 'the point a directional or spot light aims at',
  'light.direction': 'where a directional or spot light points',
  'physics.physics': 'the rigid body settings below, as one record',
  'physics.body_type': '`dynamic` (default), `kinematic` or `static` (also `fixed`)',
  'physics.mass': 'kilograms (default 1); 0 makes the body static',
  'physics.friction': '0 ice … 1 rubber (default 0.5)',
  'physics.restitution': 'bounciness: 0 none … 1 full (default 0.2)',
  'physics.linear_damping': 'slows sliding and flying (default 0.05)',
  'physics.angular_damping': 'slows spinning (default 0.1)',
  'physics.gravity_scale': 'gravity on this body: 0 floats (default 1)',
  'physics.kinematic': 'the same as `body_type: "kinematic"`',
  'physics.use_gravity': '`false` is the same as `gravity_scale: 0`',
  'environment.skybox': '`none`, a colour, `gradient`, a daylight or gradient name',
  'environment.background_color': 'a plain sky, or the top of a named gradient',
  'environment.background_gradient': '`[top, bottom]` colours',
  'environment.ambient_light': 'intensity (or a colour, or `{ color, intensity }`)',
  'environment.ambient_color': 'ambient light colour',
  'environment.fog': '`true`, `false`, a density below 1, a far distance, or `{ color, near, far, density }`',
  'environment.fog_color': "default: the sky's lower colour",
  'environment.fog_near': 'metres',
  'environment.fog_far': 'metres',
  'environment.fog_density': 'drawn as linear fog ending at 3 / density metres',
  'environment.shadows': 'false turns every shadow off',
  'environment.floor': '`false` removes the floor; a colour paints it',
  'environment.floor_color': "the floor's colour",
  'environment.size': "the floor's diameter, or `[width, depth]`",
  'environment.floor_radius': 'metres',
  'environment.scale': 'the size of a person in the room',
  'environment.gravity': 'm/s² (default 9.81 down); a number pulls down',
  'environment.voice_distance_model': '`inverse` (default), `linear` or `exponential`',
  'environment.voice_ref_distance': 'metres at full volume (default 5)',
  'environment.voice_rolloff': 'how fast voices fade beyond it (default 5)',
  'environment.voice_max_distance': 'metres where fading stops (default 10000)',
  'camera.position': 'where the desktop view starts',
  'camera.target': 'what it looks at',
  'camera.fov': 'vertical field of view, degrees',
};

/** The key of a property in `PROPERTY_MEANINGS`. */
export function meaningKey(property: Pick<Property, 'scope' | 'name'>): string {
  return `${property.scope}.${property.name}`;
}

/** What a property means ('' for one without a description, which vocabulary.test.ts refuses). */
export function meaningOf(property: Pick<Property, 'scope' | 'name'>): string {
  return PROPERTY_MEANINGS[meaningKey(property)] ?? '';
}

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
