/**
 * What the scene language's words mean, in words: the rules and descriptions
 * the docs' tables show beside the vocabulary's
 * properties (vocabulary.ts), block kinds and command rules. Apart from the
 * vocabulary itself because a room reads none of it (docs/performance.md
 * LOAD25); vocabulary.test.ts holds the two together (a description for
 * every property, none for a property that is not there).
 *
 * @example
 *   meaningOf(propertyIn(['material'], 'opacity')!); // { rule: 'MAT1', doc: 'below 1 is transparent' }
 */
import type { BlockKind } from './ast.ts';
import type { EventWord, Property } from './vocabulary.ts';

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

/** The handler name the editor's completion offers for each event (a room folds names to events, EV1, and never reads these). */
export const EVENT_HANDLERS: Readonly<Record<EventWord['name'], string>> = {
  click: 'on_click',
  hoverenter: 'on_hover_enter',
  hoverexit: 'on_hover_exit',
  grab: 'on_grab',
  release: 'on_release',
};

/** What a property means: the rule that gives it its meaning and a description. */
export interface PropertyMeaning {
  rule: string;
  doc: string;
}

/** What each property means, by `<scope>.<name>` (the order of `PROPERTIES`). */
export const PROPERTY_MEANINGS: Readonly<Record<string, PropertyMeaning>> = {
  'node.position': { rule: 'MERGE1', doc: 'metres, relative to the parent' },
  'node.rotation': { rule: 'MERGE1', doc: 'degrees, X then Y then Z, relative to the parent' },
  'node.scale': { rule: 'MERGE1', doc: 'scales the node and its children' },
  'node.transform': { rule: 'MERGE1', doc: '`{ position, rotation, scale }`' },
  'node.visible': { rule: 'PROP1', doc: 'drawn or not' },
  'node.hidden': { rule: 'PROP1', doc: 'the opposite of `visible`' },
  'node.label': { rule: 'PROP1', doc: 'a label floating above the node' },
  'node.castShadow': { rule: 'ENV4', doc: 'casts shadows' },
  'node.receiveShadow': { rule: 'ENV4', doc: 'receives shadows' },
  'node.shadows': { rule: 'ENV4', doc: 'casts and receives shadows' },
  'node.state': { rule: 'INT2', doc: 'state with initial values, as a `state { }` block' },
  'node.type': { rule: 'KIND1', doc: 'what the block draws: a geometry, a light type, `text`, `model`, `group`' },
  'node.id': { rule: 'ID6', doc: 'an explicit id for the object state' },
  'node.name': { rule: 'RT1', doc: 'accepted silently; `this.name` is the block name' },
  'node.description': { rule: 'RT1', doc: 'accepted silently' },
  'node.tags': { rule: 'RT1', doc: 'accepted silently' },
  'node.comment': { rule: 'RT1', doc: 'accepted silently' },
  'node.note': { rule: 'RT1', doc: 'accepted silently' },
  'mesh.geometry': { rule: 'KIND4', doc: 'the primitive: `box`, `sphere`, `cylinder`, …' },
  'mesh.size': { rule: 'KIND4', doc: "the primitive's dimensions" },
  'mesh.radius': { rule: 'KIND4', doc: 'diameter = 2 × radius' },
  'mesh.width': { rule: 'KIND4', doc: 'x dimension' },
  'mesh.height': { rule: 'KIND4', doc: 'y dimension' },
  'mesh.depth': { rule: 'KIND4', doc: 'z dimension' },
  'mesh.mesh': { rule: 'KIND4', doc: '`{ type, radius, … }`' },
  'mesh.material': { rule: 'MAT1', doc: 'a preset name (MAT2) or the fields below' },
  'mesh.glow': { rule: 'TRAIT1', doc: 'the same as `@glowing`' },
  'material.color': { rule: 'MAT1', doc: 'base colour' },
  'material.roughness': { rule: 'MAT1', doc: '0 mirror … 1 matte' },
  'material.metallic': { rule: 'MAT1', doc: '0 … 1' },
  'material.emissive': { rule: 'MAT1', doc: 'glow colour' },
  'material.emissiveIntensity': { rule: 'MAT1', doc: 'glow strength; alone, the object glows in its colour' },
  'material.opacity': { rule: 'MAT1', doc: 'below 1 is transparent' },
  'material.transparent': { rule: 'MAT1', doc: 'true makes an opaque material 60 % opaque' },
  'material.wireframe': { rule: 'MAT1', doc: 'draws the edges only' },
  'material.doubleSided': { rule: 'MAT1', doc: 'seen from both sides' },
  'model.model': { rule: 'MODEL1', doc: 'a glTF file on this site' },
  'model.mesh': { rule: 'KIND3', doc: '`{ type: "model", model_path }`' },
  'text.text': { rule: 'LIMIT7', doc: 'what the label says (500 characters)' },
  'text.color': { rule: 'KIND2', doc: 'text colour' },
  'text.font_size': { rule: 'KIND2', doc: 'line height: metres up to 4, above that points (5 mm each)' },
  'text.background': { rule: 'KIND2', doc: 'plate colour, `null` for none' },
  'text.billboard': { rule: 'KIND2', doc: 'always faces the viewer (default true)' },
  'light.color': { rule: 'KIND1', doc: 'light colour (the sky colour of a hemisphere light)' },
  'light.groundColor': { rule: 'KIND1', doc: 'ground colour of a hemisphere light' },
  'light.intensity': { rule: 'LIGHT1', doc: 'point and spot lights × 8' },
  'light.distance': { rule: 'KIND1', doc: 'metres, 0 = no limit' },
  'light.decay': { rule: 'KIND1', doc: 'falloff with distance' },
  'light.angle': { rule: 'KIND1', doc: 'spot half-angle, degrees' },
  'light.penumbra': { rule: 'KIND1', doc: 'soft spot edge' },
  'light.target': { rule: 'KIND1', doc: 'the point a directional or spot light aims at' },
  'light.direction': { rule: 'KIND1', doc: 'where a directional or spot light points' },
  'physics.physics': { rule: 'PHYS1', doc: 'the rigid body settings below, as one record' },
  'physics.body_type': { rule: 'PHYS1', doc: '`dynamic` (default), `kinematic` or `static` (also `fixed`)' },
  'physics.mass': { rule: 'PHYS1', doc: 'kilograms (default 1); 0 makes the body static' },
  'physics.friction': { rule: 'PHYS1', doc: '0 ice … 1 rubber (default 0.5)' },
  'physics.restitution': { rule: 'PHYS1', doc: 'bounciness: 0 none … 1 full (default 0.2)' },
  'physics.linear_damping': { rule: 'PHYS1', doc: 'slows sliding and flying (default 0.05)' },
  'physics.angular_damping': { rule: 'PHYS1', doc: 'slows spinning (default 0.1)' },
  'physics.gravity_scale': { rule: 'PHYS1', doc: 'gravity on this body: 0 floats (default 1)' },
  'physics.kinematic': { rule: 'PHYS1', doc: 'the same as `body_type: "kinematic"`' },
  'physics.use_gravity': { rule: 'PHYS1', doc: '`false` is the same as `gravity_scale: 0`' },
  'environment.skybox': { rule: 'ENV1', doc: '`none`, a colour, `gradient`, a daylight or gradient name' },
  'environment.background_color': { rule: 'ENV1', doc: 'a plain sky, or the top of a named gradient' },
  'environment.background_gradient': { rule: 'ENV1', doc: '`[top, bottom]` colours' },
  'environment.ambient_light': { rule: 'ENV2', doc: 'intensity (or a colour, or `{ color, intensity }`)' },
  'environment.ambient_color': { rule: 'ENV2', doc: 'ambient light colour' },
  'environment.fog': {
    rule: 'ENV3',
    doc: '`true`, `false`, a density below 1, a far distance, or `{ color, near, far, density }`',
  },
  'environment.fog_color': { rule: 'ENV3', doc: "default: the sky's lower colour" },
  'environment.fog_near': { rule: 'ENV3', doc: 'metres' },
  'environment.fog_far': { rule: 'ENV3', doc: 'metres' },
  'environment.fog_density': { rule: 'ENV3', doc: 'drawn as linear fog ending at 3 / density metres' },
  'environment.shadows': { rule: 'ENV4', doc: 'false turns every shadow off' },
  'environment.floor': { rule: 'ENV5', doc: '`false` removes the floor; a colour paints it' },
  'environment.floor_color': { rule: 'ENV5', doc: "the floor's colour" },
  'environment.size': { rule: 'ENV7', doc: "the floor's diameter, or `[width, depth]`" },
  'environment.floor_radius': { rule: 'ENV7', doc: 'metres' },
  'environment.scale': { rule: 'ENV7', doc: 'the size of a person in the room' },
  'environment.gravity': { rule: 'PHYS1', doc: 'm/s² (default 9.81 down); a number pulls down' },
  'environment.voice_distance_model': { rule: 'ENV8', doc: '`inverse` (default), `linear` or `exponential`' },
  'environment.voice_ref_distance': { rule: 'ENV8', doc: 'metres at full volume (default 5)' },
  'environment.voice_rolloff': { rule: 'ENV8', doc: 'how fast voices fade beyond it (default 5)' },
  'environment.voice_max_distance': { rule: 'ENV8', doc: 'metres where fading stops (default 10000)' },
  'camera.position': { rule: 'CAM1', doc: 'where the desktop view starts' },
  'camera.target': { rule: 'CAM1', doc: 'what it looks at' },
  'camera.fov': { rule: 'CAM1', doc: 'vertical field of view, degrees' },
};

/** The key of a property in `PROPERTY_MEANINGS`. */
export function meaningKey(property: Pick<Property, 'scope' | 'name'>): string {
  return `${property.scope}.${property.name}`;
}

/** What a property means (empty for one without a meaning, which vocabulary.test.ts refuses). */
export function meaningOf(property: Pick<Property, 'scope' | 'name'>): PropertyMeaning {
  return PROPERTY_MEANINGS[meaningKey(property)] ?? { rule: '', doc: '' };
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
