/**
 * LOCO3 (docs/interaction.md): the teleport arc. Pushing the right thumbstick
 * forward aims a parabola from the controller (launch speed TELEPORT_SPEED ×
 * scale, gravity); where it first meets something is the landing. A landing
 * is valid on the room's floor (y = 0, within the floor radius) or on a
 * surface facing up (within MAX_SLOPE_DEG of vertical, e.g. the top of a
 * @collidable platform); walls and the floor beyond the room are not.
 * Letting the stick go teleports there when valid.
 */
import { Vector3 } from 'three';

const TELEPORT_SPEED = 7;
const ARC_GRAVITY = 9.81;
const ARC_POINTS = 40;
const ARC_STEP_S = 0.04;
const MAX_SLOPE_DEG = 35;
const MIN_UP = Math.cos((MAX_SLOPE_DEG * Math.PI) / 180);

/** A hit of the segment from `from` to `to` against solid scene surfaces; false when none. */
export type SegmentCast = (from: Vector3, to: Vector3, hit: { point: Vector3; normal: Vector3 }) => boolean;

export interface ArcResult {
  /** xyz of the arc's points, up to the landing (for drawing). */
  points: Float32Array;
  count: number;
  /** True when it landed somewhere one may stand. */
  valid: boolean;
  landing: Vector3;
}

export function createArcResult(): ArcResult {
  return { points: new Float32Array(ARC_POINTS * 3), count: 0, valid: false, landing: new Vector3() };
}

const previous = new Vector3();
const current = new Vector3();
const velocity = new Vector3();
const hit = { point: new Vector3(), normal: new Vector3() };

/**
 * Traces the arc from `start` along `direction` (unit) and writes it into `out`.
 * `floorRadius` is the room's floor (LOCO4); `cast` finds scene surfaces.
 */
export function traceArc(
  start: Vector3,
  direction: Vector3,
  scale: number,
  floorRadius: number,
  cast: SegmentCast,
  out: ArcResult,
): ArcResult {
  out.valid = false;
  out.count = 0;
  velocity.copy(direction).multiplyScalar(TELEPORT_SPEED * scale);
  const gravity = ARC_GRAVITY * scale;
  previous.copy(start);
  push(out, previous);
  for (let i = 1; i < ARC_POINTS; i++) {
    const t = i * ARC_STEP_S;
    current.set(start.x + velocity.x * t, start.y + velocity.y * t - 0.5 * gravity * t * t, start.z + velocity.z * t);
    // Scene surfaces first (they may stand above the floor), then the floor plane.
    let landed = false;
    if (cast(previous, current, hit)) {
      landed = true;
      out.landing.copy(hit.point);
      out.valid = hit.normal.y >= MIN_UP;
    } else if (current.y <= 0 && previous.y > 0) {
      landed = true;
      const f = previous.y / (previous.y - current.y);
      out.landing.copy(previous).lerp(current, f);
      out.landing.y = 0;
      out.valid = Math.hypot(out.landing.x, out.landing.z) <= floorRadius;
    }
    if (landed) {
      push(out, out.landing);
      return out;
    }
    push(out, current);
    previous.copy(current);
  }
  return out;
}

function push(out: ArcResult, point: Vector3): void {
  if (out.count >= ARC_POINTS) return;
  out.points[out.count * 3] = point.x;
  out.points[out.count * 3 + 1] = point.y;
  out.points[out.count * 3 + 2] = point.z;
  out.count++;
}
