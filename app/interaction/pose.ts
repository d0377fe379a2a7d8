/**
 * Poses for interaction code: a position and an orientation in world space
 * (metres, Y up, the room's origin; the same space the pose channel uses), and
 * the conversions to and from the room document's transform (relative to the
 * node's parent, rotation in degrees, XYZ order: docs/scene-runtime.md MERGE1).
 *
 * three.js math only (no renderer, no DOM), so Node tests use it too.
 */
import { Euler, Matrix4, Quaternion, Vector3 } from 'three';
import type { Transform } from '../sync/doc/object-state.ts';

export interface Pose {
  position: Vector3;
  quaternion: Quaternion;
}

export function createPose(): Pose {
  return { position: new Vector3(), quaternion: new Quaternion() };
}

export function copyPose(target: Pose, source: Pose): Pose {
  target.position.copy(source.position);
  target.quaternion.copy(source.quaternion);
  return target;
}

const DEG = 180 / Math.PI;
const matrixA = new Matrix4();
const matrixB = new Matrix4();
const unitScale = new Vector3(1, 1, 1);
const scratchScale = new Vector3();
const scratchEuler = new Euler();

/** `target` = `a` followed by `b` (b expressed in a's frame), like matrices `a × b`. */
export function composePose(target: Pose, a: Pose, b: Pose): Pose {
  matrixA.compose(a.position, a.quaternion, unitScale);
  matrixB.compose(b.position, b.quaternion, unitScale);
  matrixA.multiply(matrixB).decompose(target.position, target.quaternion, scratchScale);
  return target;
}

/** `target` = the pose of `b` in `a`'s frame (a⁻¹ × b): the offset that `composePose(a, offset)` turns back into b. */
export function relativePose(target: Pose, a: Pose, b: Pose): Pose {
  matrixA.compose(a.position, a.quaternion, unitScale).invert();
  matrixB.compose(b.position, b.quaternion, unitScale);
  matrixA.multiply(matrixB).decompose(target.position, target.quaternion, scratchScale);
  return target;
}

const round = (value: number, step: number) => Math.round(value / step) * step;
/** Document transforms are rounded (0.1 mm, 0.001°) so a write never carries float noise. */
const POSITION_STEP = 1e-4;
const ANGLE_STEP = 1e-3;

/**
 * The room-document transform of an object at world pose `world` whose parent
 * has world matrix `parentWorld` (the identity for top-level nodes). Scale is
 * the node's own (grabbing never scales), so a parent's scale or shear does not
 * leak into it. Undefined when the result is not finite (a degenerate parent).
 */
export function worldToTransform(world: Pose, parentWorld: Matrix4, scale: readonly number[]): Transform | undefined {
  // three.js "inverts" a singular matrix to zeros; a parent scaled to nothing has no inside.
  if (Math.abs(parentWorld.determinant()) < 1e-12) return undefined;
  matrixA.copy(parentWorld).invert();
  matrixB.compose(world.position, world.quaternion, unitScale);
  const local = createPose();
  matrixA.multiply(matrixB).decompose(local.position, local.quaternion, scratchScale);
  scratchEuler.setFromQuaternion(local.quaternion.normalize(), 'XYZ');
  const position: [number, number, number] = [
    round(local.position.x, POSITION_STEP),
    round(local.position.y, POSITION_STEP),
    round(local.position.z, POSITION_STEP),
  ];
  const rotation: [number, number, number] = [
    round(scratchEuler.x * DEG, ANGLE_STEP),
    round(scratchEuler.y * DEG, ANGLE_STEP),
    round(scratchEuler.z * DEG, ANGLE_STEP),
  ];
  const all = [...position, ...rotation, ...scale];
  if (!all.every(Number.isFinite)) return undefined;
  // -0 reads badly in documents and diffs.
  for (const list of [position, rotation]) for (let i = 0; i < 3; i++) if (Object.is(list[i], -0)) list[i] = 0;
  return { position, rotation, scale: [scale[0] ?? 1, scale[1] ?? 1, scale[2] ?? 1] };
}

/** The local pose (relative to the parent) a document transform describes. */
export function transformToLocalPose(transform: Transform, target: Pose): Pose {
  target.position.set(...transform.position);
  scratchEuler.set(transform.rotation[0] / DEG, transform.rotation[1] / DEG, transform.rotation[2] / DEG, 'XYZ');
  target.quaternion.setFromEuler(scratchEuler);
  return target;
}
