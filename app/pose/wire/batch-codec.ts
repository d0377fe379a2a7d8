/**
 * POSE_BATCH messages: one per tick per destination, a 14-byte header then
 * bit-packed entries (docs/pose-protocol.md). `PoseBatchWriter` writes into
 * one reused buffer; `readPoseBatch` reads untrusted bytes into a reused
 * `DecodedBatch` and returns why it dropped them instead of throwing.
 *
 * @example
 *   const writer = new PoseBatchWriter();
 *   writer.begin(senderId, seq, timeTicks, 0);
 *   writer.add(entry);                       // false when it would not fit
 *   const bytes = writer.finish();           // a view of the reused buffer
 *   const batch = createDecodedBatch();
 *   readPoseBatch(bytes, batch);             // 'ok', 'truncated', ...
 */

import type { EntityId } from '../../core/ids.ts';
import { BitReader, BitWriter } from './bits.ts';
import { readU16, readU32, writeU8, writeU16, writeU32 } from './bytes.ts';
import { createEntry, NO_ENTITY, type PoseEntry } from './entry.ts';
import { writeHeader } from './header.ts';
import {
  BATCH_HEADER_BYTES,
  HEADER_BYTES,
  KIND_BATCH,
  MAX_ENTRIES,
  MAX_MESSAGE_BYTES,
  PART_OBJECT,
  type PartCode,
  POSE_PROTOCOL_VERSION,
  POSITION_BITS,
  POSITION_ESCAPE,
  type ReadStatus,
  ROTATION_COMPONENT_BITS,
  ROTATION_COMPONENT_MAX,
  WIDE_POSITION_BITS,
} from './protocol.ts';
import { viewOf } from './views.ts';

/** Where the batch header's fields are (docs/pose-protocol.md, "BATCH"). */
const SENDER_AT = 2;
const SEQ_AT = 6;
const TIME_AT = 8;
const FLAGS_AT = 12;
const COUNT_AT = 13;

const FIELD_POSITION_BIT = 1;
const FIELD_ROTATION_BIT = 2;

/** Bits an entry takes on the wire. */
export function entryBits(entry: PoseEntry): number {
  let bits = 4;
  if (entry.part === PART_OBJECT) bits += 32;
  if (entry.fields & FIELD_POSITION_BIT) {
    for (let i = 0; i < 3; i++) {
      bits += POSITION_BITS;
      if (entry.position[i] === POSITION_ESCAPE) bits += WIDE_POSITION_BITS;
    }
  }
  if (entry.fields & FIELD_ROTATION_BIT) bits += 2 + 3 * ROTATION_COMPONENT_BITS;
  return bits;
}

export class PoseBatchWriter {
  readonly bytes: Uint8Array;
  private readonly bits: BitWriter;
  private count = 0;

  constructor(capacity = MAX_MESSAGE_BYTES) {
    this.bytes = new Uint8Array(capacity);
    this.bits = new BitWriter(this.bytes);
  }

  /** Starts a batch: version, kind, sender (u32), seq (u16), send time (u32 ticks), flags. */
  begin(sender: number, seq: number, timeTicks: number, flags: number): void {
    const b = this.bytes;
    let at = writeHeader(b, KIND_BATCH, sender);
    at = writeU16(b, at, seq);
    at = writeU32(b, at, timeTicks);
    at = writeU8(b, at, flags);
    writeU8(b, at, 0); // the entry count, raised by add()
    this.count = 0;
    this.bits.reset(BATCH_HEADER_BYTES);
  }

  clearFlags(flags: number): void {
    this.bytes[FLAGS_AT] = (this.bytes[FLAGS_AT] as number) & ~flags;
  }

  get entryCount(): number {
    return this.count;
  }

  /** Bytes the batch takes so far. */
  get byteLength(): number {
    return this.bits.byteLength;
  }

  /** Appends an entry; false (and nothing written) when it would not fit. */
  add(entry: PoseEntry): boolean {
    if (this.count >= MAX_ENTRIES || entryBits(entry) > this.bits.remaining) return false;
    const w = this.bits;
    w.write(entry.part, 2);
    w.write(entry.fields, 2);
    if (entry.part === PART_OBJECT) w.write(entry.id, 32);
    if (entry.fields & FIELD_POSITION_BIT) {
      for (let i = 0; i < 3; i++) {
        const code = entry.position[i] as number;
        w.write(code, POSITION_BITS);
        if (code === POSITION_ESCAPE) w.write(entry.wide[i] as number, WIDE_POSITION_BITS);
      }
    }
    if (entry.fields & FIELD_ROTATION_BIT) {
      w.write(entry.rotation[0] as number, 2);
      for (let i = 1; i < 4; i++) w.write(entry.rotation[i] as number, ROTATION_COMPONENT_BITS);
    }
    this.count++;
    this.bytes[COUNT_AT] = this.count;
    return true;
  }

  /** The finished message: a cached view of the reused buffer, valid until the next `begin`. */
  finish(): Uint8Array {
    return viewOf(this.bytes, this.bits.byteLength);
  }
}

export interface DecodedBatch {
  sender: number;
  seq: number;
  timeTicks: number;
  flags: number;
  count: number;
  entries: PoseEntry[];
}

export function createDecodedBatch(): DecodedBatch {
  const entries: PoseEntry[] = [];
  for (let i = 0; i < MAX_ENTRIES; i++) entries.push(createEntry());
  return { sender: 0, seq: 0, timeTicks: 0, flags: 0, count: 0, entries };
}

const reader = new BitReader();

/**
 * Reads a POSE_BATCH from untrusted bytes into `out` ([POSE6]). Returns 'ok', or
 * the reason the whole message is dropped: 'oversized' (longer than
 * MAX_MESSAGE_BYTES or bytes after the last entry), 'truncated', 'version',
 * 'kind', 'garbage' (a zero sender or object id, a rotation component of 2047, non-zero padding). Never throws.
 */
export function readPoseBatch(bytes: Uint8Array, out: DecodedBatch): ReadStatus {
  const length = bytes.length;
  if (length > MAX_MESSAGE_BYTES) return 'oversized';
  if (length < HEADER_BYTES) return 'truncated';
  if (bytes[0] !== POSE_PROTOCOL_VERSION) return 'version';
  if (bytes[1] !== KIND_BATCH) return 'kind';
  if (length < BATCH_HEADER_BYTES) return 'truncated';
  out.sender = readU32(bytes, SENDER_AT);
  if (out.sender === 0) return 'garbage';
  out.seq = readU16(bytes, SEQ_AT);
  out.timeTicks = readU32(bytes, TIME_AT);
  out.flags = bytes[FLAGS_AT] as number;
  const count = bytes[COUNT_AT] as number;
  out.count = 0;
  const r = reader;
  r.reset(bytes, BATCH_HEADER_BYTES, length);
  for (let n = 0; n < count; n++) {
    const entry = out.entries[n] as PoseEntry;
    if (r.remaining < 4) return 'truncated';
    entry.part = r.readUnsigned(2) as PartCode;
    entry.fields = r.readUnsigned(2);
    entry.id = NO_ENTITY;
    if (entry.part === PART_OBJECT) {
      if (r.remaining < 32) return 'truncated';
      entry.id = r.readUnsigned(32) as EntityId;
      if (entry.id === 0) return 'garbage';
    }
    if (entry.fields & FIELD_POSITION_BIT) {
      for (let i = 0; i < 3; i++) {
        if (r.remaining < POSITION_BITS) return 'truncated';
        const code = r.readSigned(POSITION_BITS);
        entry.position[i] = code;
        entry.wide[i] = 0;
        if (code === POSITION_ESCAPE) {
          if (r.remaining < WIDE_POSITION_BITS) return 'truncated';
          entry.wide[i] = r.readSigned(WIDE_POSITION_BITS);
        }
      }
    }
    if (entry.fields & FIELD_ROTATION_BIT) {
      if (r.remaining < 2 + 3 * ROTATION_COMPONENT_BITS) return 'truncated';
      entry.rotation[0] = r.readUnsigned(2);
      for (let i = 1; i < 4; i++) {
        const component = r.readUnsigned(ROTATION_COMPONENT_BITS);
        if (component > ROTATION_COMPONENT_MAX) return 'garbage';
        entry.rotation[i] = component;
      }
    }
  }
  // Only zero padding (fewer than 8 bits) may follow the last entry.
  if (r.remaining >= 8) return 'oversized';
  if (r.remaining > 0 && r.readUnsigned(r.remaining) !== 0) return 'garbage';
  out.count = count;
  return 'ok';
}
