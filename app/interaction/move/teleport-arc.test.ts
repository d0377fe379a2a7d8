import { Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { createArcResult, type SegmentCast, traceArc } from './teleport-arc.ts';

const nothing: SegmentCast = () => false;
const forwardDown = new Vector3(0, 0.3, -1).normalize();

/** A box platform (top at y = 0.5) between z = -3 and z = -2, with a wall face at z = -2. */
const platform: SegmentCast = (from, to, hit) => {
  // The wall face z = -2 (facing +z) below the top.
  if (from.z > -2 && to.z <= -2) {
    const f = (from.z + 2) / (from.z - to.z);
    const y = from.y + (to.y - from.y) * f;
    if (y <= 0.5 && y >= 0) {
      hit.point.set(from.x + (to.x - from.x) * f, y, -2);
      hit.normal.set(0, 0, 1);
      return true;
    }
  }
  // The top y = 0.5 between z = -3 and -2.
  if (from.y > 0.5 && to.y <= 0.5) {
    const f = (from.y - 0.5) / (from.y - to.y);
    const z = from.z + (to.z - from.z) * f;
    if (z <= -2 && z >= -3) {
      hit.point.set(from.x + (to.x - from.x) * f, 0.5, z);
      hit.normal.set(0, 1, 0);
      return true;
    }
  }
  return false;
};

describe('teleport arc', () => {
  it('[LOCO3] lands on the floor within the room', () => {
    const result = traceArc(new Vector3(0, 1.2, 0), forwardDown, 1, 30, nothing, createArcResult());
    expect(result.valid).toBe(true);
    expect(result.landing.y).toBe(0);
    expect(result.landing.z).toBeLessThan(-2);
    expect(result.count).toBeGreaterThan(2);
    // The drawn arc ends at the landing.
    expect(result.points[(result.count - 1) * 3 + 2]).toBeCloseTo(result.landing.z);
  });

  it('[LOCO3] the floor beyond the room is not a landing', () => {
    const result = traceArc(new Vector3(0, 1.2, 0), forwardDown, 1, 2, nothing, createArcResult());
    expect(result.valid).toBe(false);
  });

  it('[LOCO3] the top of a surface is a landing, a wall is not', () => {
    const top = traceArc(new Vector3(0, 1.5, 0), new Vector3(0, 0, -1), 0.5, 30, platform, createArcResult());
    expect(top.valid).toBe(true);
    expect(top.landing.y).toBe(0.5);
    const wall = traceArc(new Vector3(0, 0.45, 0), new Vector3(0, 0, -1), 1, 30, platform, createArcResult());
    expect(wall.valid).toBe(false);
    expect(wall.landing.z).toBe(-2);
  });

  it('[LOCO3] an arc aimed at the sky lands nowhere within its length', () => {
    const result = traceArc(new Vector3(0, 1.2, 0), new Vector3(0, 1, 0), 1, 30, nothing, createArcResult());
    expect(result.valid).toBe(false);
  });
});
