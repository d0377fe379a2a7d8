import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntityId } from '../../core/ids.ts';
import { createDecodedBatch, entryBits, PoseBatchWriter, readPoseBatch } from './batch-codec.ts';
import { createEntry, type PoseEntry } from './entry.ts';
import {
  BATCH_HEADER_BYTES,
  FIELDS_BOTH,
  FIELDS_GONE,
  FIELDS_POSITION,
  FIELDS_ROTATION,
  MAX_MESSAGE_BYTES,
  PART_HEAD,
  PART_LEFT,
  PART_OBJECT,
  PART_RIGHT,
  type PartCode,
  POSITION_ESCAPE,
} from './protocol.ts';
import { quantizePosition, quantizeRotation } from './quantize.ts';

const SEED = 7_301_999;

function avatarEntry(part: PartCode, x: number, y: number, z: number): PoseEntry {
  const entry = createEntry();
  entry.part = part;
  entry.fields = FIELDS_BOTH;
  quantizePosition({ x, y, z }, entry.position, entry.wide, 0);
  quantizeRotation({ x: 0.1, y: 0.7, z: -0.2, w: 0.6 }, entry.rotation, 0);
  return entry;
}

const arbEntry = fc
  .record({
    part: fc.constantFrom<PartCode>(PART_HEAD, PART_LEFT, PART_RIGHT, PART_OBJECT),
    id: fc.integer({ min: 1, max: 0xffffffff }),
    fields: fc.constantFrom(FIELDS_GONE, FIELDS_POSITION, FIELDS_ROTATION, FIELDS_BOTH),
    position: fc.array(fc.integer({ min: -16384, max: 16383 }), { minLength: 3, maxLength: 3 }),
    wide: fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 3, maxLength: 3 }),
    rotation: fc.tuple(
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 2046 }),
      fc.integer({ min: 0, max: 2046 }),
      fc.integer({ min: 0, max: 2046 }),
    ),
  })
  .map((r): PoseEntry => {
    const entry = createEntry();
    entry.part = r.part;
    entry.id = (r.part === PART_OBJECT ? r.id : 0) as EntityId;
    entry.fields = r.fields;
    entry.position.set(r.position);
    entry.wide.set(r.position.map((p, i) => (p === POSITION_ESCAPE ? (r.wide[i] as number) : 0)));
    entry.rotation.set(r.rotation);
    return entry;
  });

/** What the reader must give back: fields not sent are not compared. */
function comparable(entry: PoseEntry) {
  return {
    part: entry.part,
    id: entry.id,
    fields: entry.fields,
    position: entry.fields & 1 ? [...entry.position] : null,
    wide: entry.fields & 1 ? [...entry.wide] : null,
    rotation: entry.fields & 2 ? [...entry.rotation] : null,
  };
}

describe('pose batch codec', () => {
  it('[POSE7] an avatar (head and two hands, every field) takes at most 32 bytes of entries', () => {
    const writer = new PoseBatchWriter();
    writer.begin(42, 1, 1000, 0);
    for (const part of [PART_HEAD, PART_LEFT, PART_RIGHT] as const)
      expect(writer.add(avatarEntry(part, 1.2, 1.7, -3))).toBe(true);
    const bytes = writer.finish();
    expect(bytes.length - BATCH_HEADER_BYTES).toBeLessThanOrEqual(32);
    expect(bytes.length - BATCH_HEADER_BYTES).toBe(32);
  });

  it('[POSE6] round-trips any batch of entries exactly (seeded property)', () => {
    const writer = new PoseBatchWriter();
    const out = createDecodedBatch();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(arbEntry, { maxLength: 40 }),
        (sender, seq, time, entries) => {
          writer.begin(sender, seq, time, 1);
          const written = entries.filter((e) => writer.add(e));
          const bytes = writer.finish();
          expect(bytes.length).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
          expect(bytes.length).toBe(BATCH_HEADER_BYTES + Math.ceil(written.reduce((n, e) => n + entryBits(e), 0) / 8));
          expect(readPoseBatch(bytes, out)).toBe('ok');
          expect([out.sender, out.seq, out.timeTicks, out.flags, out.count]).toEqual([
            sender,
            seq,
            time,
            1,
            written.length,
          ]);
          expect(out.entries.slice(0, out.count).map(comparable)).toEqual(written.map(comparable));
        },
      ),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('[POSE2] never writes past MAX_MESSAGE_BYTES: add() refuses what does not fit', () => {
    const writer = new PoseBatchWriter();
    writer.begin(1, 0, 0, 0);
    const big = createEntry();
    big.part = PART_OBJECT;
    big.id = 9 as EntityId;
    big.fields = FIELDS_BOTH;
    big.position.fill(POSITION_ESCAPE);
    let added = 0;
    while (writer.add(big)) added++;
    expect(added).toBeGreaterThan(10);
    expect(writer.finish().length).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
  });
});

describe('pose batch codec on malformed input ([POSE6])', () => {
  const out = createDecodedBatch();
  function valid(): Uint8Array {
    const writer = new PoseBatchWriter();
    writer.begin(77, 5, 123456, 0);
    writer.add(avatarEntry(PART_HEAD, 1, 2, 3));
    writer.add(avatarEntry(PART_LEFT, 40, 2, 3)); // escaped x
    return writer.finish().slice();
  }

  it('[POSE6] drops every truncation of a valid batch as truncated', () => {
    const bytes = valid();
    for (let n = 0; n < bytes.length; n++) {
      const status = readPoseBatch(bytes.subarray(0, n), out);
      expect(status === 'truncated' || (n < 2 && status !== 'ok')).toBe(true);
    }
  });

  it('[POSE6] drops trailing bytes and messages over the size limit as oversized', () => {
    const bytes = valid();
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(readPoseBatch(longer, out)).toBe('oversized');
    expect(readPoseBatch(new Uint8Array(MAX_MESSAGE_BYTES + 1), out)).toBe('oversized');
  });

  it('[POSE1] drops another protocol version', () => {
    const bytes = valid();
    bytes[0] = 2;
    expect(readPoseBatch(bytes, out)).toBe('version');
  });

  it('[POSE6] drops a zero sender, a zero object id and non-zero padding as garbage', () => {
    const bytes = valid();
    bytes.fill(0, 2, 6);
    expect(readPoseBatch(bytes, out)).toBe('garbage');

    const writer = new PoseBatchWriter();
    writer.begin(5, 0, 0, 0);
    const gone = createEntry();
    gone.part = PART_OBJECT;
    gone.id = 1 as EntityId;
    gone.fields = FIELDS_GONE;
    writer.add(gone);
    const objectBytes = writer.finish().slice();
    objectBytes.fill(0, BATCH_HEADER_BYTES, BATCH_HEADER_BYTES + 4);
    objectBytes[BATCH_HEADER_BYTES] = 3; // part=object, fields=gone, id bits all zero
    expect(readPoseBatch(objectBytes, out)).toBe('garbage');

    // The head entry alone is 84 bits: 4 bits of padding follow, which must be zero.
    const writer2 = new PoseBatchWriter();
    writer2.begin(5, 0, 0, 0);
    writer2.add(avatarEntry(PART_HEAD, 0, 1, 0));
    const padded = writer2.finish().slice();
    expect(readPoseBatch(padded, out)).toBe('ok');
    padded[padded.length - 1] = (padded[padded.length - 1] as number) | 0x80;
    expect(readPoseBatch(padded, out)).toBe('garbage');

    // A rotation component of 2047 is outside 0..2046.
    const rotation = createEntry();
    rotation.fields = FIELDS_ROTATION;
    rotation.rotation.set([0, 2046, 2046, 2046]);
    writer2.begin(5, 0, 0, 0);
    writer2.add(rotation);
    const bad = writer2.finish().slice();
    // Entry bits: part 2, fields 2, index 2, then components at bits 6, 17 and 28.
    // Bit 28 is the lowest bit of the last component: 2046 becomes 2047.
    bad[BATCH_HEADER_BYTES + 3] = (bad[BATCH_HEADER_BYTES + 3] as number) | 0x10;
    expect(readPoseBatch(bad, out)).toBe('garbage');
  });

  it('[POSE6] never throws on random garbage (seeded property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1300 }), fc.boolean(), (bytes, asBatch) => {
        if (asBatch && bytes.length > 1) {
          bytes[0] = 1;
          bytes[1] = 1;
        }
        const status = readPoseBatch(bytes, out);
        expect(['ok', 'truncated', 'oversized', 'version', 'kind', 'garbage']).toContain(status);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });
});
