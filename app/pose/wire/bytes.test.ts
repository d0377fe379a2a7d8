import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readU16, readU32, writeU8, writeU16, writeU32 } from './bytes.ts';

describe('byte helpers', () => {
  it('[WIRE1] u16 and u32 round-trip little-endian at any offset (seeded property)', () => {
    const bytes = new Uint8Array(16);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (at, u16, u32) => {
          expect(writeU32(bytes, writeU16(bytes, at, u16), u32)).toBe(at + 6);
          expect(readU16(bytes, at)).toBe(u16);
          expect(readU32(bytes, at + 2)).toBe(u32);
        },
      ),
      { seed: 5_150, numRuns: 300 },
    );
    expect(writeU8(bytes, 0, 0x1ff)).toBe(1);
    expect(bytes[0]).toBe(0xff);
    writeU32(bytes, 0, 0x04030201);
    expect([...bytes.subarray(0, 4)]).toEqual([1, 2, 3, 4]);
  });
});
