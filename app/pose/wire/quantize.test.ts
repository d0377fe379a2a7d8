import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POSITION_ESCAPE, POSITION_RANGE_M, WIDE_POSITION_LIMIT_M } from './protocol.ts';
import {
  dequantizeComponent,
  dequantizeRotation,
  type QuatLike,
  quantizeComponent,
  quantizePosition,
  quantizeRotation,
  rotationErrorDegrees,
} from './quantize.ts';

const SEED = 20_260_501;
const code = new Int32Array(3);
const wide = new Int32Array(3);

function roundTrip(value: number): number {
  expect(quantizeComponent(value, code, wide, 0)).toBe(true);
  return dequantizeComponent(code[0] as number, wide[0] as number);
}

/** A uniformly random unit quaternion from three uniforms (Shoemake). */
const unitQuaternion = fc
  .tuple(
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([u1, u2, u3]): QuatLike => {
    const a = Math.sqrt(1 - u1);
    const b = Math.sqrt(u1);
    return {
      x: a * Math.sin(2 * Math.PI * u2),
      y: a * Math.cos(2 * Math.PI * u2),
      z: b * Math.sin(2 * Math.PI * u3),
      w: b * Math.cos(2 * Math.PI * u3),
    };
  });

describe('position quantization', () => {
  it('[POSE3] keeps every value within ±32 m to 1 mm (seeded property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -POSITION_RANGE_M, max: POSITION_RANGE_M, noNaN: true }), (v) => {
        expect(Math.abs(roundTrip(v) - v)).toBeLessThanOrEqual(0.001);
        expect(code[0]).not.toBe(POSITION_ESCAPE);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('[POSE3] holds at the exact range edges', () => {
    for (const v of [-32, 32, -31.9995, 31.9995, 0, -0]) expect(Math.abs(roundTrip(v) - v)).toBeLessThanOrEqual(0.001);
  });

  it('[POSE4] escapes beyond ±32 m to millimetres instead of wrapping (seeded property)', () => {
    const far = fc.oneof(
      fc.double({ min: 32.0001, max: WIDE_POSITION_LIMIT_M, noNaN: true }),
      fc.double({ min: -WIDE_POSITION_LIMIT_M, max: -32.0001, noNaN: true }),
    );
    fc.assert(
      fc.property(far, (v) => {
        expect(Math.abs(roundTrip(v) - v)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(code[0]).toBe(POSITION_ESCAPE);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('[POSE4] rejects NaN, infinities and values beyond the wide range, leaving the old value', () => {
    code.set([1, 2, 3]);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -Number.POSITIVE_INFINITY, WIDE_POSITION_LIMIT_M + 1]) {
      expect(quantizePosition({ x: 0, y: bad, z: 0 }, code, wide, 0)).toBe(false);
      expect([...code]).toEqual([1, 2, 3]);
    }
  });
});

describe('rotation quantization (smallest three)', () => {
  const out = new Int32Array(4);
  const back: QuatLike = { x: 0, y: 0, z: 0, w: 1 };

  it('[POSE5] stays within 0.25 degrees for any rotation (seeded property)', () => {
    let worst = 0;
    fc.assert(
      fc.property(unitQuaternion, (q) => {
        expect(quantizeRotation(q, out, 0)).toBe(true);
        const error = rotationErrorDegrees(q, dequantizeRotation(out, 0, back));
        worst = Math.max(worst, error);
        expect(error).toBeLessThanOrEqual(0.25);
      }),
      { seed: SEED, numRuns: 20_000 },
    );
    expect(worst).toBeGreaterThan(0); // the test did quantize something
  });

  it('[POSE5] holds at the worst case for the dropped component (all four equal)', () => {
    for (const sign of [1, -1]) {
      const q = { x: 0.5 * sign, y: 0.5, z: -0.5, w: 0.5 };
      quantizeRotation(q, out, 0);
      expect(rotationErrorDegrees(q, dequantizeRotation(out, 0, back))).toBeLessThanOrEqual(0.25);
    }
  });

  it('[POSE5] normalizes its input and treats q and -q alike', () => {
    quantizeRotation({ x: 0, y: 0, z: 0, w: -5 }, out, 0);
    const r = dequantizeRotation(out, 0, back);
    expect(rotationErrorDegrees(r, { x: 0, y: 0, z: 0, w: 1 })).toBeLessThan(0.01);
  });

  it('[POSE5] rejects zero-length and non-finite quaternions', () => {
    expect(quantizeRotation({ x: 0, y: 0, z: 0, w: 0 }, out, 0)).toBe(false);
    expect(quantizeRotation({ x: Number.NaN, y: 0, z: 0, w: 1 }, out, 0)).toBe(false);
  });
});
