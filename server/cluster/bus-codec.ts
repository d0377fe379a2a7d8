/**
 * The messages instances exchange over Redis pub/sub (docs/scaling.md, "Bus
 * messages"; docs/wire.md). Binary, little-endian, over the wire layer's byte
 * helpers (app/pose/wire/bytes.ts); one writer and one reader per kind; the
 * readers never throw and return undefined for anything malformed, so a bad
 * message costs that message only. Relay frames inside RELAY_FRAMES are the
 * relay's own FROM frames (app/pose/wire/relay-frames.ts), checked with its
 * reader. The format's version is in every channel's name (keys.ts).
 *
 *   header   kind: u8, instance: u32                    (the sending instance)
 *
 *   0x01 SIGNAL        frame: UTF-8 JSON (a signaling publish, already checked by the sender)
 *   0x10 RELAY_FRAMES  records: n x (length: u16, targets: u8 (0 = whole room), targets x u32, FROM frame)
 *   0x11 RELAY_JOINED  peer: u32
 *   0x12 RELAY_LEFT    peer: u32
 *   0x13 RELAY_REPLACE peer: u32, holder: u32          (holder must close its socket: 4001)
 *   0x20 DOC_UPDATE    id length: u8, stream id (ASCII), update   (stored before it is sent; the
 *                      append script in doc-journal.ts writes the same bytes as writeDocUpdate)
 *   0x21 DOC_PRESENCE  awareness update (entries the sender's connections own)
 *   0x22 DOC_QUERY     (no body: instances holding the room send their presence)
 *   0x23 DOC_STORED    bytes: f64                         (the room was compacted to this size)
 */
import type { PeerId } from '../../app/core/ids.ts';
import { readU16, readU32, writeU8, writeU16, writeU32 } from '../../app/pose/wire/bytes.ts';
import { readServerFrame } from '../../app/pose/wire/relay-frames.ts';

/** The format below; part of every channel name, so instances of another format are not heard. */
export const BUS_PROTOCOL_VERSION = 1;

export const BUS = {
  signal: 0x01,
  relayFrames: 0x10,
  relayJoined: 0x11,
  relayLeft: 0x12,
  relayReplace: 0x13,
  docUpdate: 0x20,
  docPresence: 0x21,
  docQuery: 0x22,
  docStored: 0x23,
} as const;

const BUS_HEADER_BYTES = 5;

export interface BusHeader {
  kind: number;
  instance: number;
}

export function readBusHeader(message: Uint8Array): BusHeader | undefined {
  if (message.length < BUS_HEADER_BYTES) return undefined;
  return { kind: message[0] as number, instance: readU32(message, 1) };
}

/** Writes the header into `out`; returns where the body starts. */
function writeBusHeader(out: Uint8Array, kind: number, instance: number): number {
  return writeU32(out, writeU8(out, 0, kind), instance);
}

export function writeBusMessage(kind: number, instance: number, body: Uint8Array | string = ''): Buffer {
  const bodyBytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const out = Buffer.allocUnsafe(BUS_HEADER_BYTES + bodyBytes.length);
  out.set(bodyBytes, writeBusHeader(out, kind, instance));
  return out;
}

/** A message that names one peer (RELAY_JOINED, RELAY_LEFT) or a peer and its holder (RELAY_REPLACE). */
export function writePeerMessage(kind: number, instance: number, peer: PeerId, holder?: number): Buffer {
  const out = Buffer.allocUnsafe(BUS_HEADER_BYTES + (holder === undefined ? 4 : 8));
  const at = writeU32(out, writeBusHeader(out, kind, instance), peer);
  if (holder !== undefined) writeU32(out, at, holder);
  return out;
}

export function readPeerMessage(message: Uint8Array): { peer: PeerId; holder: number | undefined } | undefined {
  if (message.length !== BUS_HEADER_BYTES + 4 && message.length !== BUS_HEADER_BYTES + 8) return undefined;
  const peer = readU32(message, BUS_HEADER_BYTES);
  if (peer === 0) return undefined;
  return {
    peer: peer as PeerId,
    holder: message.length === BUS_HEADER_BYTES + 8 ? readU32(message, BUS_HEADER_BYTES + 4) : undefined,
  };
}

/**
 * Collects relay records for one room until `finish`: one bus message for
 * everything a room's local peers sent in one turn of the event loop.
 */
export class RelayBundleWriter {
  private chunks: Uint8Array[] = [];
  private size = BUS_HEADER_BYTES;

  get bytes(): number {
    return this.size;
  }

  get empty(): boolean {
    return this.chunks.length === 0;
  }

  /**
   * `targets` undefined: everyone in the room. `fromFrame` is the relay's FROM
   * frame as local peers get it (`writeFrom`, app/pose/wire/relay-frames.ts).
   */
  add(fromFrame: Uint8Array, targets: readonly PeerId[] | undefined): void {
    const n = targets?.length ?? 0;
    const head = new Uint8Array(3 + 4 * n);
    let at = writeU8(head, writeU16(head, 0, 1 + 4 * n + fromFrame.length), n);
    for (let i = 0; i < n; i++) at = writeU32(head, at, targets?.[i] as number);
    this.chunks.push(head, fromFrame);
    this.size += head.length + fromFrame.length;
  }

  finish(instance: number): Buffer {
    const out = Buffer.allocUnsafe(this.size);
    let at = writeBusHeader(out, BUS.relayFrames, instance);
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    this.chunks = [];
    this.size = BUS_HEADER_BYTES;
    return out;
  }
}

export interface RelayRecord {
  /** Empty: the whole room. */
  targets: PeerId[];
  /** The FROM frame, a view into the message, checked by the relay's own reader. */
  frame: Uint8Array;
}

/**
 * Reads every record of a RELAY_FRAMES message; undefined when any record is
 * malformed, including a frame that the relay's reader (`readServerFrame`)
 * does not read as FROM.
 */
export function readRelayBundle(message: Uint8Array, maxFrameBytes: number): RelayRecord[] | undefined {
  const records: RelayRecord[] = [];
  let at = BUS_HEADER_BYTES;
  while (at < message.length) {
    if (at + 3 > message.length) return undefined;
    const length = readU16(message, at);
    const n = message[at + 2] as number;
    const end = at + 2 + length;
    const frameAt = at + 3 + 4 * n;
    if (end > message.length || frameAt >= end || end - frameAt > maxFrameBytes) return undefined;
    const frame = message.subarray(frameAt, end);
    const read = readServerFrame(frame);
    if (!read.ok || read.frame.type !== 'from') return undefined;
    const targets: PeerId[] = [];
    for (let i = 0; i < n; i++) targets.push(readU32(message, at + 3 + 4 * i) as PeerId);
    records.push({ targets, frame });
    at = end;
  }
  return records;
}

/** DOC_UPDATE: the stream id the update was stored under, and the update. */
export function writeDocUpdate(instance: number, id: string, update: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(BUS_HEADER_BYTES + 1 + id.length + update.length);
  const at = writeU8(out, writeBusHeader(out, BUS.docUpdate, instance), id.length);
  out.write(id, at, 'latin1');
  out.set(update, at + id.length);
  return out;
}

export function readDocUpdate(message: Buffer): { id: string; update: Uint8Array } | undefined {
  if (message.length < BUS_HEADER_BYTES + 1) return undefined;
  const idLength = message[BUS_HEADER_BYTES] as number;
  const updateAt = BUS_HEADER_BYTES + 1 + idLength;
  if (idLength === 0 || updateAt >= message.length) return undefined;
  const id = message.toString('latin1', BUS_HEADER_BYTES + 1, updateAt);
  if (!STREAM_ID.test(id)) return undefined;
  return { id, update: new Uint8Array(message.subarray(updateAt)) };
}

/** DOC_STORED: the room's stored size after a compaction. */
export function writeDocStored(instance: number, bytes: number): Buffer {
  const out = Buffer.allocUnsafe(BUS_HEADER_BYTES + 8);
  out.writeDoubleLE(bytes, writeBusHeader(out, BUS.docStored, instance));
  return out;
}

export function readDocStored(message: Buffer): number | undefined {
  if (message.length !== BUS_HEADER_BYTES + 8) return undefined;
  const bytes = message.readDoubleLE(BUS_HEADER_BYTES);
  return Number.isFinite(bytes) && bytes >= 0 ? bytes : undefined;
}

/** Bytes after the header (0 for a message too short to have one). */
export function busBodyLength(message: Uint8Array): number {
  return Math.max(0, message.length - BUS_HEADER_BYTES);
}

/** SIGNAL: the publish as text (the receiver checks it is a JSON object before clients get it). */
export function readSignalText(message: Buffer): string {
  return message.toString('utf8', BUS_HEADER_BYTES);
}

/** The body of a message whose body is opaque here (SIGNAL, DOC_PRESENCE), copied out of the message. */
export function readBusBody(message: Uint8Array): Uint8Array {
  return message.slice(BUS_HEADER_BYTES);
}

const STREAM_ID = /^\d{1,20}-\d{1,20}$/;
