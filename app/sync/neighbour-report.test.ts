import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import {
  MAX_NEIGHBOUR_ID_BYTES,
  MAX_NEIGHBOURS,
  MAX_NEIGHBOURS_BYTES,
  MESSAGE_NEIGHBOURS,
  NEIGHBOURS_VERSION,
  readNeighbourReport,
  writeNeighbourReport,
} from './neighbour-report.ts';

const ID = '1f0c6b1e-3d7a-4a57-9a55-6f1f2b0d9c11';

describe('NEIGHBOURS, the neighbour report', () => {
  it('[TRN38] is written byte by byte as documented and reads back', () => {
    const bytes = writeNeighbourReport([ID, 'b']);
    expect([...bytes.subarray(0, 4)]).toEqual([MESSAGE_NEIGHBOURS, NEIGHBOURS_VERSION, 2, 36]);
    expect(bytes[4 + 36]).toBe(1);
    expect(bytes.byteLength).toBe(3 + 1 + 36 + 1 + 1);
    expect(readNeighbourReport(bytes)).toEqual({ ok: true, ids: [ID, 'b'] });
    expect(readNeighbourReport(writeNeighbourReport([]))).toEqual({ ok: true, ids: [] });
  });

  it('[TRN38] a page with more neighbours than a report holds lists the first MAX_NEIGHBOURS; ids out of bounds are left out', () => {
    const many = Array.from({ length: MAX_NEIGHBOURS + 5 }, (_, i) => `${i}`.padStart(MAX_NEIGHBOUR_ID_BYTES, 'x'));
    const bytes = writeNeighbourReport(['', 'y'.repeat(MAX_NEIGHBOUR_ID_BYTES + 1), ...many]);
    expect(bytes.byteLength).toBe(MAX_NEIGHBOURS_BYTES);
    const read = readNeighbourReport(bytes);
    expect(read.ok && read.ids).toEqual(many.slice(0, MAX_NEIGHBOURS));
  });

  it('[TRN38] abuse: a malformed, oversized or other-version report is refused with a reason, never thrown', () => {
    const good = writeNeighbourReport([ID]);
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(MAX_NEIGHBOURS_BYTES + 1).fill(MESSAGE_NEIGHBOURS), 'longer than any report'],
      [new Uint8Array([MESSAGE_NEIGHBOURS, 1]), 'not a report'],
      [new Uint8Array([0, 1, 0]), 'not a report'],
      [new Uint8Array([MESSAGE_NEIGHBOURS, 2, 0]), 'unknown version 2'],
      [
        new Uint8Array([MESSAGE_NEIGHBOURS, 1, MAX_NEIGHBOURS + 1]),
        `${MAX_NEIGHBOURS + 1} ids, more than ${MAX_NEIGHBOURS}`,
      ],
      [good.subarray(0, good.byteLength - 1), 'truncated'],
      [new Uint8Array([MESSAGE_NEIGHBOURS, 1, 2, 1, 97]), 'truncated'],
      [new Uint8Array([MESSAGE_NEIGHBOURS, 1, 1, 0]), 'an id of 0 bytes'],
      [
        new Uint8Array([MESSAGE_NEIGHBOURS, 1, 1, MAX_NEIGHBOUR_ID_BYTES + 1]),
        `an id of ${MAX_NEIGHBOUR_ID_BYTES + 1} bytes`,
      ],
      [new Uint8Array([MESSAGE_NEIGHBOURS, 1, 1, 2, 0xc3, 0x28]), 'an id that is not UTF-8'],
      [new Uint8Array([...good, 0]), 'bytes after the last id'],
    ];
    for (const [bytes, reason] of cases) expect(readNeighbourReport(bytes)).toEqual({ ok: false, reason });
  });

  it('[TRN38] abuse: random bytes after the type byte never throw (seeded)', () => {
    const gen = prng.create(38);
    let refused = 0;
    for (let i = 0; i < 2_000; i++) {
      const bytes = prng.uint8Array(gen, prng.int32(gen, 0, 200));
      if (bytes.byteLength > 0) bytes[0] = MESSAGE_NEIGHBOURS;
      if (bytes.byteLength > 1 && i % 2 === 0) bytes[1] = NEIGHBOURS_VERSION;
      // Few ids, so the reader gets past the count and into the ids.
      if (bytes.byteLength > 2 && i % 4 === 0) bytes[2] = (bytes[2] ?? 0) % 4;
      if (!readNeighbourReport(bytes).ok) refused++;
    }
    expect(refused).toBeGreaterThan(1_900);
  });
});
