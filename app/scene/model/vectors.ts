/** Reading numbers and vectors from folded property values, clamped to sane ranges. */
import type { JsonValue } from '../../sync/doc/object-state.ts';
import { MAX_COORDINATE } from './limits.ts';
import type { Vec3 } from './scene-model.ts';

export function finiteNumber(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Clamps `value` into a property's range (app/scene/syntax/vocabulary.ts), if it has one. */
export function within(property: { range?: readonly [number, number] }, value: number): number {
  return property.range ? clamp(value, property.range[0], property.range[1]) : value;
}

/**
 * `[x, y, z]`, `{ x, y, z }`, or (when `uniform`) one number for all three.
 * Coordinates are clamped to ±MAX_COORDINATE.
 */
export function readVec3(value: JsonValue | undefined, uniform: boolean): Vec3 | undefined {
  let parts: unknown[] | undefined;
  if (Array.isArray(value) && value.length === 3) parts = value;
  else if (typeof value === 'number' && uniform) parts = [value, value, value];
  else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { x, y, z } = value as Record<string, JsonValue>;
    parts = [x, y, z];
  }
  if (!parts?.every((part) => typeof part === 'number' && Number.isFinite(part))) return undefined;
  const [x, y, z] = parts as number[];
  return [
    clamp(x as number, -MAX_COORDINATE, MAX_COORDINATE),
    clamp(y as number, -MAX_COORDINATE, MAX_COORDINATE),
    clamp(z as number, -MAX_COORDINATE, MAX_COORDINATE),
  ];
}

export function readBoolean(value: JsonValue | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'on' || value === 'yes') return true;
  if (value === 'false' || value === 'off' || value === 'no') return false;
  return undefined;
}

const DEG = Math.PI / 180;

/** The unit vector a rotation (degrees, XYZ order) turns -Z to: where a rotated light points. */
export function directionFromRotation(rotation: Vec3): Vec3 {
  const [x, y, z] = rotation.map((angle) => angle * DEG) as Vec3;
  // R = Rz * Ry * Rx (three.js 'XYZ' Euler), applied to (0, 0, -1).
  const sx = Math.sin(x);
  const cx = Math.cos(x);
  const sy = Math.sin(y);
  const cy = Math.cos(y);
  const sz = Math.sin(z);
  const cz = Math.cos(z);
  // Rx * (0,0,-1) = (0, sx, -cx)
  const v1: Vec3 = [0, sx, -cx];
  // Ry: (x cy + z sy, y, -x sy + z cy)
  const v2: Vec3 = [v1[0] * cy + v1[2] * sy, v1[1], -v1[0] * sy + v1[2] * cy];
  // Rz: (x cz - y sz, x sz + y cz, z)
  return [v2[0] * cz - v2[1] * sz, v2[0] * sz + v2[1] * cz, v2[2]];
}

export function normalize(v: Vec3): Vec3 | undefined {
  const length = Math.hypot(v[0], v[1], v[2]);
  return length > 1e-9 ? [v[0] / length, v[1] / length, v[2] / length] : undefined;
}
