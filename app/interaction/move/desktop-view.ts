/**
 * The desktop and phone view (docs/interaction.md DESK1-DESK3, DESK6): a
 * person standing in the room, looking around by dragging and moving with the
 * keyboard, the wheel or two fingers. Plain math over a small state; the
 * renderer copies it into the camera each frame.
 *
 *   DESK1 dragging on empty space turns the view; the world follows the pointer
 *         (as when dragging a photo sphere), pitch within ±MAX_PITCH_DEG.
 *   DESK2 W/S or ↑/↓ forward and back, A/D or ←/→ sideways, E/Q up and down,
 *         Shift runs; WALK_SPEED × scale.
 *   DESK3 the wheel moves along the view (WHEEL_METRES_PER_PIXEL); a two-finger
 *         pinch moves forward and back, a two-finger drag sideways and up.
 *   DESK6 the view stays within the floor radius and MIN_EYE..MAX_EYE × scale high.
 */
import { Euler, type Quaternion, Vector3 } from 'three';

export const MAX_PITCH_DEG = 85;
export const WALK_SPEED = 2;
export const RUN_FACTOR = 2.5;
export const WHEEL_METRES_PER_PIXEL = 0.005;
export const PINCH_METRES_PER_PIXEL = 0.01;
const MIN_EYE = 0.2;
const MAX_EYE = 50;
/** A longer frame counts as this long: a stalled or hidden tab does not fling the view across the room. */
const MAX_STEP_MS = 250;

export interface DesktopView {
  position: Vector3;
  /** Radians, counter-clockwise seen from above; 0 looks along -Z. */
  yaw: number;
  /** Radians; positive looks up. */
  pitch: number;
}

const MAX_PITCH = (MAX_PITCH_DEG * Math.PI) / 180;
const euler = new Euler(0, 0, 0, 'YXZ');
const direction = new Vector3();

export function createView(): DesktopView {
  return { position: new Vector3(0, 1.7, 5), yaw: 0, pitch: 0 };
}

/** A view at `position` looking at `target`. */
export function lookAt(view: DesktopView, position: readonly number[], target: readonly number[]): DesktopView {
  view.position.set(position[0] ?? 0, position[1] ?? 0, position[2] ?? 0);
  direction.set(
    (target[0] ?? 0) - view.position.x,
    (target[1] ?? 0) - view.position.y,
    (target[2] ?? 0) - view.position.z,
  );
  if (direction.lengthSq() < 1e-12) return view;
  direction.normalize();
  view.yaw = Math.atan2(-direction.x, -direction.z);
  view.pitch = clampPitch(Math.asin(Math.max(-1, Math.min(1, direction.y))));
  return view;
}

/** Reads yaw and pitch back from a camera's orientation (after something else moved it). */
export function viewFromQuaternion(view: DesktopView, position: Vector3, quaternion: Quaternion): void {
  view.position.copy(position);
  euler.setFromQuaternion(quaternion, 'YXZ');
  view.yaw = euler.y;
  view.pitch = clampPitch(euler.x);
}

export function viewQuaternion(view: DesktopView, out: Quaternion): Quaternion {
  euler.set(view.pitch, view.yaw, 0, 'YXZ');
  return out.setFromEuler(euler);
}

const clampPitch = (pitch: number) => Math.max(-MAX_PITCH, Math.min(MAX_PITCH, pitch));

/** DESK1: a drag of (dx, dy) CSS pixels on a view `heightPx` tall with vertical field of view `fovYDeg`. */
export function lookDrag(view: DesktopView, dx: number, dy: number, fovYDeg: number, heightPx: number): void {
  const radiansPerPixel = (fovYDeg * Math.PI) / 180 / Math.max(1, heightPx);
  view.yaw += dx * radiansPerPixel;
  view.pitch = clampPitch(view.pitch + dy * radiansPerPixel);
}

/** Which movement keys are down (KeyboardEvent.code, so WASD is the same keys on every layout). */
export type HeldKeys = ReadonlySet<string>;

const FORWARD = ['KeyW', 'ArrowUp'];
const BACK = ['KeyS', 'ArrowDown'];
const LEFT = ['KeyA', 'ArrowLeft'];
const RIGHT = ['KeyD', 'ArrowRight'];
const UP = ['KeyE', 'PageUp'];
const DOWN = ['KeyQ', 'PageDown'];
export const MOVEMENT_KEYS: ReadonlySet<string> = new Set([...FORWARD, ...BACK, ...LEFT, ...RIGHT, ...UP, ...DOWN]);

const any = (keys: HeldKeys, codes: readonly string[]) => codes.some((code) => keys.has(code));

/** DESK2: walks for `dtMs` with the held keys; true when the view moved. */
export function keyboardMove(view: DesktopView, keys: HeldKeys, dtMs: number, scale: number): boolean {
  const forward = (any(keys, FORWARD) ? 1 : 0) - (any(keys, BACK) ? 1 : 0);
  const right = (any(keys, RIGHT) ? 1 : 0) - (any(keys, LEFT) ? 1 : 0);
  const up = (any(keys, UP) ? 1 : 0) - (any(keys, DOWN) ? 1 : 0);
  if (forward === 0 && right === 0 && up === 0) return false;
  const run = keys.has('ShiftLeft') || keys.has('ShiftRight') ? RUN_FACTOR : 1;
  const distance = (WALK_SPEED * scale * run * Math.min(dtMs, MAX_STEP_MS)) / 1000;
  const length = Math.hypot(forward, right) || 1;
  const sin = Math.sin(view.yaw);
  const cos = Math.cos(view.yaw);
  // Walking stays level whatever the pitch; E/Q change height.
  view.position.x += ((-sin * forward + cos * right) / length) * distance;
  view.position.z += ((-cos * forward - sin * right) / length) * distance;
  view.position.y += up * distance;
  return true;
}

/** DESK3: moves `metres` along where the view looks (positive is forward). */
export function moveAlongView(view: DesktopView, metres: number): void {
  const cosPitch = Math.cos(view.pitch);
  view.position.x += -Math.sin(view.yaw) * cosPitch * metres;
  view.position.y += Math.sin(view.pitch) * metres;
  view.position.z += -Math.cos(view.yaw) * cosPitch * metres;
}

/** DESK3: a two-finger drag of (dx, dy) pixels moves sideways and up (the world follows the fingers). */
export function panView(view: DesktopView, dx: number, dy: number, scale: number): void {
  const metres = PINCH_METRES_PER_PIXEL * scale;
  view.position.x += -Math.cos(view.yaw) * dx * metres;
  view.position.z += Math.sin(view.yaw) * dx * metres;
  view.position.y += dy * metres;
}

/** DESK6: keeps the view inside the room. */
export function clampView(view: DesktopView, floorRadius: number, scale: number): void {
  const distance = Math.hypot(view.position.x, view.position.z);
  if (distance > floorRadius && distance > 0) {
    view.position.x *= floorRadius / distance;
    view.position.z *= floorRadius / distance;
  }
  view.position.y = Math.max(MIN_EYE * scale, Math.min(MAX_EYE * scale, view.position.y));
}
