/**
 * The scene as the physics engine sees it (docs/physics.md PHYS1-PHYS3):
 * rigid bodies for `@physics` meshes and models, static colliders for
 * `@collidable` ones, the floor and the room's bounds, all in world space.
 * Plain data that crosses to the physics worker by structured clone; computed
 * from the scene model (the script with the room document's transforms laid
 * over it), so Node tests need no renderer.
 */
import { Euler, Matrix4, Quaternion, Vector3 } from 'three';
import type { ObjectId } from '../core/ids.ts';
import type { BodyType, SceneModel, SceneNode, Vec3 } from '../scene/model/scene-model.ts';

/** A collider's shape, in the body's frame, scale applied (metres). */
export type ShapeSpec =
  | { kind: 'box'; half: Vec3 }
  | { kind: 'ball'; radius: number }
  | { kind: 'cylinder' | 'cone' | 'capsule'; halfHeight: number; radius: number }
  | { kind: 'hull'; points: number[] };

/** [x, y, z, qx, qy, qz, qw]: a world pose as plain numbers. */
export type PoseArray = [number, number, number, number, number, number, number];

export interface BodySpec {
  id: ObjectId;
  body: Exclude<BodyType, 'static'>;
  shape: ShapeSpec;
  pose: PoseArray;
  mass: number;
  friction: number;
  restitution: number;
  linearDamping: number;
  angularDamping: number;
  gravityScale: number;
}

export interface StaticSpec {
  shape: ShapeSpec;
  pose: PoseArray;
  friction: number;
  restitution: number;
}

export interface WorldSpec {
  gravity: Vec3;
  bodies: BodySpec[];
  statics: StaticSpec[];
}

/** PHYS3: at most this many bodies in one scene; more `@physics` objects are drawn but do not move. */
export const MAX_BODIES = 256;
/** PHYS3: static colliders (collidable meshes) beyond this are left out. */
const MAX_STATICS = 1024;
/** PHYS2: the room's bounds are a ring of this many wall segments at the floor's edge. */
const WALL_SEGMENTS = 32;
/** PHYS2: walls reach this high (× the person scale) and are this thick. */
const WALL_HEIGHT = 4;
const WALL_THICKNESS = 0.5;

const DEG = Math.PI / 180;
const scratchMatrix = new Matrix4();
const scratchEuler = new Euler();
const scratchQuat = new Quaternion();
const unit = new Vector3(1, 1, 1);
const position = new Vector3();
const quaternion = new Quaternion();
const scale = new Vector3();

/** The world matrix of a node of the model: its transform composed with its parents'. */
function worldMatrixOf(model: SceneModel, id: ObjectId, target: Matrix4): Matrix4 | undefined {
  const node = model.byId.get(id);
  if (!node) return undefined;
  localMatrix(node, target);
  for (let parent = model.parentOf.get(id); parent !== undefined; parent = model.parentOf.get(parent)) {
    const parentNode = model.byId.get(parent);
    if (!parentNode) break;
    target.premultiply(localMatrix(parentNode, scratchMatrix));
  }
  return target;
}

function localMatrix(node: SceneNode, target: Matrix4): Matrix4 {
  const { position: p, rotation: r, scale: s } = node.transform;
  scratchEuler.set(r[0] * DEG, r[1] * DEG, r[2] * DEG, 'XYZ');
  scratchQuat.setFromEuler(scratchEuler);
  return target.compose(position.set(p[0], p[1], p[2]), scratchQuat, scale.set(s[0], s[1], s[2]));
}

/** The world matrix of a node's parent (the identity for roots), for document transforms. */
export function parentMatrixOf(model: SceneModel, id: ObjectId, target: Matrix4): Matrix4 {
  const parent = model.parentOf.get(id);
  if (parent === undefined || !worldMatrixOf(model, parent, target)) target.identity();
  return target;
}

const near = (a: number, b: number) => Math.abs(a - b) <= 0.01 * Math.max(Math.abs(a), Math.abs(b));

/** Points of a unit sphere (radius 0.5), for ellipsoids as convex hulls. */
function spherePoints(rx: number, ry: number, rz: number): number[] {
  const points: number[] = [];
  for (let i = 0; i <= 6; i++) {
    const theta = (i / 6) * Math.PI;
    for (let j = 0; j < 12; j++) {
      const phi = (j / 12) * 2 * Math.PI;
      points.push(rx * Math.sin(theta) * Math.cos(phi), ry * Math.cos(theta), rz * Math.sin(theta) * Math.sin(phi));
      if (i === 0 || i === 6) break;
    }
  }
  return points;
}

/**
 * PHYS2: the collider of a drawn node at world scale `s`. Primitives fit a 1 m
 * box before `size` (docs/scene-runtime.md KIND4); a box, ball, cylinder, cone
 * or capsule where the engine has one, an ellipsoid as a convex hull, flat
 * primitives as thin boxes, everything else (tori, polyhedra, models) as its
 * bounding box.
 */
export function shapeOf(node: SceneNode, s: Vector3): ShapeSpec {
  const size: Vec3 = node.kind === 'mesh' ? node.size : [1, 1, 1];
  const w = Math.abs(size[0] * s.x);
  const h = Math.abs(size[1] * s.y);
  const d = Math.abs(size[2] * s.z);
  const geometry = node.kind === 'mesh' ? node.geometry : 'box';
  switch (geometry) {
    case 'sphere':
      if (near(w, h) && near(h, d)) return { kind: 'ball', radius: w / 2 };
      return { kind: 'hull', points: spherePoints(w / 2, h / 2, d / 2) };
    case 'cylinder':
    case 'cone':
      if (near(w, d)) return { kind: geometry, halfHeight: h / 2, radius: w / 2 };
      return { kind: 'box', half: [w / 2, h / 2, d / 2] };
    case 'capsule':
      if (near(w, d)) return { kind: 'capsule', halfHeight: h / 4, radius: w / 4 };
      return { kind: 'box', half: [w / 4, h / 2, d / 4] };
    case 'plane':
    case 'circle':
    case 'ring':
      return { kind: 'box', half: [w / 2, 0.005, d / 2] };
    case 'torus':
      return { kind: 'box', half: [w / 2, h / 2, d * 0.15] };
    default:
      return { kind: 'box', half: [w / 2, h / 2, d / 2] };
  }
}

function poseArray(p: Vector3, q: Quaternion): PoseArray {
  return [p.x, p.y, p.z, q.x, q.y, q.z, q.w];
}

/**
 * PHYS1, PHYS2: the bodies and colliders of a scene. `@physics` meshes and models
 * are bodies (static ones, `mass: 0` or `body_type: "static"`, are colliders);
 * `@collidable` meshes and models, and every mesh inside a `@collidable` group,
 * are colliders; the floor disc and a ring of walls at its edge hold the room.
 */
export function buildWorldSpec(model: SceneModel): WorldSpec {
  const bodies: BodySpec[] = [];
  const statics: StaticSpec[] = [];
  const matrix = new Matrix4();
  const visit = (node: SceneNode, solid: boolean) => {
    if (!node.visible) return;
    const collidable = solid || node.traits.collidable;
    const physics = node.traits.physics;
    const drawn = node.kind === 'mesh' || node.kind === 'model';
    if (drawn && (physics || collidable) && worldMatrixOf(model, node.id, matrix)) {
      matrix.decompose(position, quaternion, scale);
      const shape = shapeOf(node, scale);
      if (physics && physics.body !== 'static' && bodies.length < MAX_BODIES) {
        bodies.push({
          id: node.id,
          body: physics.body,
          shape,
          pose: poseArray(position, quaternion),
          mass: physics.mass,
          friction: physics.friction,
          restitution: physics.restitution,
          linearDamping: physics.linearDamping,
          angularDamping: physics.angularDamping,
          gravityScale: physics.gravityScale,
        });
      } else if (statics.length < MAX_STATICS) {
        statics.push({
          shape,
          pose: poseArray(position, quaternion),
          friction: physics?.friction ?? 0.6,
          restitution: physics?.restitution ?? 0.1,
        });
      }
    }
    // A body's children ride on it as drawn parts; they are not bodies or colliders of their own.
    if (physics && drawn) return;
    for (const child of node.children) visit(child, collidable);
  };
  for (const root of model.roots) visit(root, false);
  statics.push(...roomColliders(model.environment.floorRadius, model.environment.scale));
  return { gravity: [...model.environment.gravity], bodies, statics };
}

/** PHYS2: the floor (1 m thick under y = 0) and a ring of walls at the floor's edge. */
function roomColliders(radius: number, personScale: number): StaticSpec[] {
  const out: StaticSpec[] = [
    // A box, not a disc: box-box contacts are exact where a cylinder's are approximated (boxes sank 3 cm into
    // a cylinder floor on landing); the ring of walls keeps bodies off its corners.
    {
      shape: { kind: 'box', half: [radius + WALL_THICKNESS * 2, 0.5, radius + WALL_THICKNESS * 2] },
      pose: [0, -0.5, 0, 0, 0, 0, 1],
      friction: 0.7,
      restitution: 0.2,
    },
  ];
  const height = WALL_HEIGHT * personScale;
  const half = radius * Math.tan(Math.PI / WALL_SEGMENTS) + WALL_THICKNESS;
  for (let i = 0; i < WALL_SEGMENTS; i++) {
    const angle = (i / WALL_SEGMENTS) * 2 * Math.PI;
    const r = radius + WALL_THICKNESS / 2;
    quaternion.setFromAxisAngle(unit.set(0, 1, 0), -angle);
    out.push({
      shape: { kind: 'box', half: [WALL_THICKNESS / 2, height / 2, half] },
      pose: poseArray(position.set(Math.cos(angle) * r, height / 2, Math.sin(angle) * r), quaternion),
      friction: 0.3,
      restitution: 0.3,
    });
  }
  unit.set(1, 1, 1);
  return out;
}
