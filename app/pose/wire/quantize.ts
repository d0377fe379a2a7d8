/**
 * Position and rotation quantization (docs/pose-protocol.md, "Entries").
 * All functions write into caller-owned arrays and return a boolean, so the
 * per-frame path allocates nothing.
 */
import {
  POSITION_ESCAPE,
  POSITION_LIMIT,
  POSITION_RANGE_M,
  POSITION_STEP_M,
  ROTATION_COMPONENT_CENTER,
  ROTATION_COMPONENT_MAX,
  WIDE_POSITION_LIMIT_M,
} from './protocol.ts';

export interface Vec3Like {
  x: number;
  y: number;
  z: number;
}

export interface QuatLike extends Vec3Like {
  w: number;
}

/** Largest magnitude of the three smallest components of a unit quaternion. */
const SMALLEST_THREE_RANGE = Math.SQRT1_2;

/**
 * Quantizes one position component: `code` gets the 15-bit value or
 * POSITION_ESCAPE, `wide` the millimetres when escaped. False for NaN,
 * infinities and values beyond WIDE_POSITION_LIMIT_M ([POSE4]).
 */
export function quantizeComponent(value: number, code: Int32Array, wide: Int32Array, index: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (Math.abs(value) <= POSITION_RANGE_M) {
    code[index] = Math.max(-POSITION_LIMIT, Math.min(POSITION_LIMIT, Math.round(value / POSITION_STEP_M)));
    wide[index] = 0;
    return true;
  }
  if (Math.abs(value) > WIDE_POSITION_LIMIT_M) return false;
  code[index] = POSITION_ESCAPE;
  wide[index] = Math.round(value * 1000);
  return true;
}

export function dequantizeComponent(code: number, wide: number): number {
  return code === POSITION_ESCAPE ? wide / 1000 : code * POSITION_STEP_M;
}

/** Quantizes a position into `code`/`wide` at `offset` (3 components). */
export function quantizePosition(p: Vec3Like, code: Int32Array, wide: Int32Array, offset: number): boolean {
  // Check all three before writing any, so a bad vector leaves the old value intact.
  if (!componentOk(p.x) || !componentOk(p.y) || !componentOk(p.z)) return false;
  quantizeComponent(p.x, code, wide, offset);
  quantizeComponent(p.y, code, wide, offset + 1);
  quantizeComponent(p.z, code, wide, offset + 2);
  return true;
}

function componentOk(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= WIDE_POSITION_LIMIT_M;
}

/**
 * Smallest-three: `out[offset]` = index of the largest component (0=x 1=y 2=z 3=w),
 * `out[offset+1..3]` = the other three in x,y,z,w order as 0..2046 (1023 = 0). The
 * quaternion is normalized first and negated if needed (q and -q are the same
 * rotation) so the dropped component is positive. False for a zero or
 * non-finite quaternion ([POSE5]).
 */
export function quantizeRotation(q: QuatLike, out: Int32Array, offset: number): boolean {
  const { x, y, z, w } = q;
  const length = Math.sqrt(x * x + y * y + z * z + w * w);
  if (!Number.isFinite(length) || length < 1e-9) return false;
  let largest = 3;
  let max = Math.abs(w);
  if (Math.abs(x) > max) {
    largest = 0;
    max = Math.abs(x);
  }
  if (Math.abs(y) > max) {
    largest = 1;
    max = Math.abs(y);
  }
  if (Math.abs(z) > max) largest = 2;
  const big = largest === 0 ? x : largest === 1 ? y : largest === 2 ? z : w;
  const scale = (big < 0 ? -1 : 1) / length;
  out[offset] = largest;
  let slot = offset + 1;
  for (let i = 0; i < 4; i++) {
    if (i === largest) continue;
    const c = (i === 0 ? x : i === 1 ? y : i === 2 ? z : w) * scale;
    const n = Math.round((c / SMALLEST_THREE_RANGE) * ROTATION_COMPONENT_CENTER) + ROTATION_COMPONENT_CENTER;
    out[slot++] = Math.max(0, Math.min(ROTATION_COMPONENT_MAX, n));
  }
  return true;
}

/** Rebuilds a unit quaternion from its smallest-three code into `target`. */
export function dequantizeRotation(code: ArrayLike<number>, offset: number, target: QuatLike): QuatLike {
  const largest = code[offset] as number;
  let sum = 0;
  let a = 0;
  let b = 0;
  let c = 0;
  for (let k = 0; k < 3; k++) {
    const n = code[offset + 1 + k] as number;
    const v = ((n - ROTATION_COMPONENT_CENTER) / ROTATION_COMPONENT_CENTER) * SMALLEST_THREE_RANGE;
    sum += v * v;
    if (k === 0) a = v;
    else if (k === 1) b = v;
    else c = v;
  }
  const d = Math.sqrt(Math.max(0, 1 - sum));
  // The dropped component goes back in its place; the other three keep their order.
  const x = largest === 0 ? d : a;
  const y = largest === 0 ? a : largest === 1 ? d : b;
  const z = largest <= 1 ? b : largest === 2 ? d : c;
  const w = largest === 3 ? d : c;
  const length = Math.sqrt(x * x + y * y + z * z + w * w);
  target.x = x / length;
  target.y = y / length;
  target.z = z / length;
  target.w = w / length;
  return target;
}

/** Angle between two rotations in degrees (for tests and stats). */
export function rotationErrorDegrees(a: QuatLike, b: QuatLike): number {
  const dot = Math.abs(a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w);
  return (2 * Math.acos(Math.min(1, dot)) * 180) / Math.PI;
}
