/**
 * The scene model: what a parsed script means, ready to render. Plain data,
 * no three.js: `buildSceneModel` (build-model.ts) makes it from the parser's
 * tree, `mergeObjectStates` (merge-state.ts) lays the room document's object
 * state over it, and app/render/scene/ draws it. docs/scene-runtime.md holds
 * the rules (ids, traits, limits) with the ids tests cite.
 *
 * Nodes form a tree: groups compose transforms, objects may hold objects.
 * Every node has a stable `id` (the path of names, rule ID1) that keys its
 * state in the room document.
 */

import type { ObjectId } from '../../core/ids.ts';
import type { JsonValue } from '../../sync/doc/object-state.ts';
import type { Handler, Span } from '../syntax/ast.ts';

export type Vec3 = [number, number, number];

/** Relative to the parent node; rotation in degrees (XYZ order), like the script. */
export interface LocalTransform {
  position: Vec3;
  rotation: Vec3;
  scale: Vec3;
}

export const PRIMITIVES = [
  'box',
  'sphere',
  'cylinder',
  'cone',
  'plane',
  'circle',
  'torus',
  'capsule',
  'ring',
  'tetrahedron',
  'octahedron',
  'dodecahedron',
  'icosahedron',
  'torusknot',
] as const;
export type Primitive = (typeof PRIMITIVES)[number];

/** A physically based material; colours are `#rrggbb`. */
export interface MaterialSpec {
  color: string;
  roughness: number;
  metallic: number;
  emissive: string;
  emissiveIntensity: number;
  /** 0..1; below 1 the material is drawn transparent. */
  opacity: number;
  wireframe: boolean;
  doubleSided: boolean;
}

export type AnimationKind = 'spin' | 'bob' | 'pulse' | 'sway';

/** Traits with a meaning in Holoroom (TRAIT1-TRAIT8); everything else is listed as unsupported. */
export interface Traits {
  /** TRAIT1: emissive glow, pulsing gently. */
  glowing: { color: string | null; intensity: number; pulse: number } | null;
  /** TRAIT2: per-frame motion around the node's own transform. */
  animated: { kind: AnimationKind; speed: number; axis: 'x' | 'y' | 'z'; amplitude: number } | null;
  /** TRAIT3: pointer select runs the click handler. */
  clickable: boolean;
  /** TRAIT4: pointer hover highlights locally and runs hover handlers. */
  hoverable: { scale: number; color: string | null } | null;
  /** TRAIT5: interaction code (issue 7) may grab and move the node. */
  grabbable: boolean;
  /** TRAIT6: the node's pose may be streamed live while it moves. */
  networked: boolean;
  /** TRAIT7: a solid surface for rays and teleport. */
  collidable: boolean;
  /** TRAIT5: released with the hand's velocity (issue 7). */
  throwable: boolean;
  /** PHYS1: a rigid body that falls, collides and comes to rest the same way for everyone. */
  physics: PhysicsSpec | null;
}

/** How a rigid body moves (PHYS1): by the simulation, only when moved (kinematic), or never. */
export type BodyType = 'dynamic' | 'kinematic' | 'static';

/** A rigid body's settings (PHYS1), with the defaults filled in. */
export interface PhysicsSpec {
  body: BodyType;
  /** Kilograms. */
  mass: number;
  friction: number;
  restitution: number;
  linearDamping: number;
  angularDamping: number;
  gravityScale: number;
}

export type LightType = 'directional' | 'point' | 'spot' | 'ambient' | 'hemisphere';

export interface LightSpec {
  type: LightType;
  color: string;
  intensity: number;
  /** Point/spot range in metres; 0 = unlimited. */
  distance: number;
  decay: number;
  /** Spot cone half-angle in degrees. */
  angle: number;
  penumbra: number;
  castShadow: boolean;
  /** Hemisphere lights: the ground colour. */
  groundColor: string;
  /** Directional/spot lights aim at this point (world space; parent transforms do not move it). */
  target: Vec3;
}

export interface TextSpec {
  text: string;
  color: string;
  /** Height of one line of text in metres. */
  size: number;
  /** Plate behind the text; null for none. */
  background: string | null;
  /** Always face the viewer (sprite) or lie in the node's plane. */
  billboard: boolean;
}

/** The handlers of one node: events by normalized name (ids EV1-EV3), methods by name as written. */
export interface HandlerTable {
  events: ReadonlyMap<string, Handler>;
  methods: ReadonlyMap<string, Handler>;
}

interface NodeBase {
  id: ObjectId;
  /** The name as written; null for unnamed blocks. */
  name: string | null;
  /** Where the node's block is in the script (for editor jumps and messages). */
  span: Span;
  transform: LocalTransform;
  visible: boolean;
  traits: Traits;
  handlers: HandlerTable;
  /** Handler state: script defaults, then the room document's values (merge-state.ts). */
  state: ReadonlyMap<string, JsonValue>;
  /** A small text label floating above the node, or null. */
  label: string | null;
  castShadow: boolean;
  receiveShadow: boolean;
  /** Id of someone holding the node (awareness client id), or null. */
  owner: number | null;
  /** True when the room document moved the node (its transform is not the script's). */
  moved: boolean;
  /** True for nodes made by a handler's `spawn` (SPAWN1). */
  spawned: boolean;
  children: SceneNode[];
}

interface GroupNode extends NodeBase {
  kind: 'group';
}

export interface MeshNode extends NodeBase {
  kind: 'mesh';
  geometry: Primitive;
  /** Primitive size before `scale` (box: width/height/depth; sphere: diameter). */
  size: Vec3;
  material: MaterialSpec;
}

export interface ModelNode extends NodeBase {
  kind: 'model';
  /** A same-origin path (MODEL1), resolved against /scenes/. */
  url: string;
  material: MaterialSpec;
}

export interface TextNode extends NodeBase {
  kind: 'text';
  text: TextSpec;
}

export interface LightNode extends NodeBase {
  kind: 'light';
  light: LightSpec;
}

export type SceneNode = GroupNode | MeshNode | ModelNode | TextNode | LightNode;
export type SceneNodeKind = SceneNode['kind'];

type SkyKind = 'procedural' | 'color' | 'gradient' | 'none';

export interface EnvironmentSpec {
  /** True when the script has an `environment` block: it replaces the default room. */
  declared: boolean;
  sky: SkyKind;
  /** Sky colour (`color`) or gradient top and bottom. */
  skyColors: [string, string];
  ambient: { color: string; intensity: number };
  fog: { color: string; near: number; far: number } | null;
  shadows: boolean;
  /** The default floor disc (`floor: false` removes it). */
  floor: { color: string } | null;
  /** ENV7: radius of the room's floor in metres: the floor disc, and where people walk and things land. */
  floorRadius: number;
  /** ENV7: the size of a person in this room (2 = twice life size): XR origin, eye height and speeds. */
  scale: number;
  /** PHYS1: gravity in m/s², world axes. */
  gravity: Vec3;
  /** ENV8: how far voices carry here; what is unset keeps the voice defaults (docs/voice.md VOICE8). */
  voice: VoiceEnvironment;
}

/** ENV8: the scene's voice range settings, each optional. */
export interface VoiceEnvironment {
  distanceModel?: 'inverse' | 'linear' | 'exponential';
  refDistance?: number;
  rolloffFactor?: number;
  maxDistance?: number;
}

export interface CameraSpec {
  position: Vec3;
  target: Vec3;
  fov: number;
}

export type WarningCode =
  | 'UNSUPPORTED_TRAIT'
  | 'UNSUPPORTED_PROPERTY'
  | 'UNSUPPORTED_BLOCK'
  | 'UNSUPPORTED_HANDLER'
  | 'UNSUPPORTED_CALL'
  | 'BAD_VALUE'
  | 'UNKNOWN_TEMPLATE'
  | 'TEMPLATE_CYCLE'
  | 'DUPLICATE_NAME'
  | 'LIMIT'
  | 'MODEL_URL';

/** A problem the runtime found in a well-formed script; never an error (RT1). */
export interface SceneWarning extends Span {
  code: WarningCode;
  message: string;
}

/** A limit the script ran into (LIMIT1-LIMIT7); shown in the room as a visible message. */
export interface LimitNotice {
  rule: string;
  message: string;
}

export interface SceneModel {
  /** The composition's name, or null. */
  title: string | null;
  environment: EnvironmentSpec;
  camera: CameraSpec | null;
  roots: SceneNode[];
  /** Every node by id (including nested and spawned ones). */
  byId: ReadonlyMap<ObjectId, SceneNode>;
  /** Parent id of every non-root node. */
  parentOf: ReadonlyMap<ObjectId, ObjectId>;
  /** What `spawn "Name"` can make: templates and named objects, each a prototype subtree. */
  spawnables: ReadonlyMap<string, SceneNode>;
  /** Scene-wide state (top-level `state` blocks), reachable in handlers as `scene`. */
  sceneState: ReadonlyMap<string, JsonValue>;
  /** Actions declared at the top of the scene (`action select(id) { }`), callable from any handler (INT7). */
  actions: ReadonlyMap<string, Handler>;
  warnings: SceneWarning[];
  /** Warnings that were not kept once MAX_WARNINGS was reached. */
  droppedWarnings: number;
  limits: LimitNotice[];
  /** Counts by kind, for status lines and tests. */
  stats: { nodes: number; meshes: number; models: number; texts: number; lights: number; groups: number };
  /** Unsupported constructs by name (traits with `@`), for the one-line summary. */
  unsupported: string[];
}
