/**
 * Where a voice comes from and where the listener's ears are, every frame
 * (docs/voice.md VOICE10): the speaker's avatar head pose from the pose
 * channel places its `PannerNode` (position, and the direction the face
 * points for the voice cone); the camera places the `AudioListener`. Written
 * against the small parts of the Web Audio interfaces it touches, so Node
 * tests check the math with plain objects. Allocates nothing.
 *
 * @example
 *   if (channel.sampleAvatarPart(peer, PART_HEAD, position, rotation) !== 'empty') placeSource(panner, position, rotation);
 *   placeListener(context.listener, camera.position, camera.quaternion);
 */
import type { QuatLike, Vec3Like } from '../pose/wire/quantize.ts';

/** An `AudioParam` as far as placement uses it. */
export interface ParamLike {
  value: number;
}

export interface SourceLike {
  positionX: ParamLike;
  positionY: ParamLike;
  positionZ: ParamLike;
  orientationX: ParamLike;
  orientationY: ParamLike;
  orientationZ: ParamLike;
}

export interface ListenerLike {
  positionX: ParamLike;
  positionY: ParamLike;
  positionZ: ParamLike;
  forwardX: ParamLike;
  forwardY: ParamLike;
  forwardZ: ParamLike;
  upX: ParamLike;
  upY: ParamLike;
  upZ: ParamLike;
}

const scratch = { x: 0, y: 0, z: 0 };

/** Rotates (x, y, z) by the unit quaternion `q` into `scratch`. */
function rotate(q: QuatLike, x: number, y: number, z: number): typeof scratch {
  // v' = v + 2w (q×v) + 2 q×(q×v)
  const tx = 2 * (q.y * z - q.z * y);
  const ty = 2 * (q.z * x - q.x * z);
  const tz = 2 * (q.x * y - q.y * x);
  scratch.x = x + q.w * tx + (q.y * tz - q.z * ty);
  scratch.y = y + q.w * ty + (q.z * tx - q.x * tz);
  scratch.z = z + q.w * tz + (q.x * ty - q.y * tx);
  return scratch;
}

/** Sets `param` only when it changes: writing an AudioParam costs a cross-thread event. */
function set(param: ParamLike, value: number): void {
  if (param.value !== value) param.value = value;
}

/** A head looks down its local -Z (three.js cameras and the pose channel's head part). */
export function placeSource(source: SourceLike, position: Vec3Like, rotation: QuatLike): void {
  set(source.positionX, position.x);
  set(source.positionY, position.y);
  set(source.positionZ, position.z);
  const forward = rotate(rotation, 0, 0, -1);
  set(source.orientationX, forward.x);
  set(source.orientationY, forward.y);
  set(source.orientationZ, forward.z);
}

/** The listener's ears at the camera: forward is its -Z, up its +Y. */
export function placeListener(listener: ListenerLike, position: Vec3Like, rotation: QuatLike): void {
  set(listener.positionX, position.x);
  set(listener.positionY, position.y);
  set(listener.positionZ, position.z);
  const forward = rotate(rotation, 0, 0, -1);
  set(listener.forwardX, forward.x);
  set(listener.forwardY, forward.y);
  set(listener.forwardZ, forward.z);
  const up = rotate(rotation, 0, 1, 0);
  set(listener.upX, up.x);
  set(listener.upY, up.y);
  set(listener.upZ, up.z);
}
