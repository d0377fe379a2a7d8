/**
 * The messages instances exchange over Redis pub/sub (docs/scaling.md, "Bus
 * messages"). Binary, little-endian, one writer and one reader per kind; the
 * readers never throw and return undefined for anything malformed, so a bad
 * message costs that message only.
 *
 *   header   kind: u8, instance: u32                    (the sending instance)
 *
 *   0x01 SIGNAL        frame: UTF-8 JSON (a signaling publish, already checked by the sender)
 *   0x10 RELAY_FRAMES  records: n x (length: u16, targets: u8 (0 = whole room), targets x u32, FROM frame)
 *   0x11 RELAY_JOINED  peer: u32
 *   0x12 RELAY_LEFT    peer: u32
 *   0x13 RELAY_REPLACE peer: u32, holder: u32          (holder must close its socket: 4001)
 *   0x20 DOC_UPDATE    id length: u8, stream id (ASCII), update   (stored before it is sent)
 *   0x21 DOC_PRESENCE  awareness update (entries the sender's connections own)
 *   0x22 DOC_QUERY     (no body: instances holding the room send their presence)
 *   0x23 DOC_STORED    bytes: f64                         (the room was compacted to this size)
 */
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

export const BUS_HEADER_BYTES = 5;

export interface BusHeader {
  kind: number;
  instance: number;
}

export function readBusHeader(message: Uint8Array): BusHeader | undefined {
  if (message.length < BUS_HEADER_BYTES) return undefined;
  return { kind: message[0] as number, instance: readU32(message, 1) };
}

export function writeBusMessage(kind: number, instance: number, body: Uint8Array | string = ''): Buffer {
  const bodyBytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const out = Buffer.allocUnsafe(BUS_HEADER_BYTES + bodyBytes.length);
  out[0] = kind;
  out.writeUInt32LE(instance, 1);
  out.set(bodyBytes, BUS_HEADER_BYTES);
  return out;
}

/** A message that names one peer (RELAY_JOINED, RELAY_LEFT) or a peer and its holder (RELAY_REPLACE). */
export function writePeerMessage(kind: number, instance: number, peer: number, holder?: number): Buffer {
  const out = Buffer.allocUnsafe(BUS_HEADER_BYTES + (holder === undefined ? 4 : 8));
  out[0] = kind;
  out.writeUInt32LE(instance, 1);
  out.writeUInt32LE(peer, 5);
  if (holder !== undefined) out.writeUInt32LE(holder, 9);
  return out;
}

export function readPeerMessage(message: Uint8Array): { peer: number; holder: number | undefined } | undefined {
  if (message.length !== BUS_HEADER_BYTES + 4 && message.length !== BUS_HEADER_BYTES + 8) return undefined;
  const peer = readU32(message, 5);
  return { peer, holder: message.length === BUS_HEADER_BYTES + 8 ? readU32(message, 9) : undefined };
}

/**
 * Collects relay records for one room until `finish`: one bus message for
 * everything a room's local peers sent in one turn of the event loop.
 */
export class RelayBundleWriter {
  private chunks: Buffer[] = [];
  private size = BUS_HEADER_BYTES;

  get bytes(): number {
    return this.size;
  }

  get empty(): boolean {
    return this.chunks.length === 0;
  }

  /** `targets` undefined: everyone in the room. `fromFrame` is the relay's FROM frame as local peers get it. */
  add(fromFrame: Uint8Array, targets: readonly number[] | undefined): void {
    const n = targets?.length ?? 0;
    const head = Buffer.allocUnsafe(3 + 4 * n);
    head.writeUInt16LE(1 + 4 * n + fromFrame.length, 0);
    head[2] = n;
    for (let i = 0; i < n; i++) head.writeUInt32LE(targets?.[i] as number, 3 + 4 * i);
    this.chunks.push(head, Buffer.from(fromFrame.buffer, fromFrame.byteOffset, fromFrame.byteLength));
    this.size += head.length + fromFrame.length;
  }

  finish(instance: number): Buffer {
    const header = Buffer.allocUnsafe(BUS_HEADER_BYTES);
    header[0] = BUS.relayFrames;
    header.writeUInt32LE(instance, 1);
    const out = Buffer.concat([header, ...this.chunks], this.size);
    this.chunks = [];
    this.size = BUS_HEADER_BYTES;
    return out;
  }
}

export interface RelayRecord {
  /** Empty: the whole room. */
  targets: number[];
  /** The FROM frame, a view into the message. */
  frame: Buffer;
}

/** Reads every record of a RELAY_FRAMES message; undefined when any record is malformed. */
export function readRelayBundle(message: Buffer, maxFrameBytes: number): RelayRecord[] | undefined {
  const records: RelayRecord[] = [];
  let at = BUS_HEADER_BYTES;
  while (at < message.length) {
    if (at + 3 > message.length) return undefined;
    const length = message.readUInt16LE(at);
    const n = message[at + 2] as number;
    const end = at + 2 + length;
    const frameAt = at + 3 + 4 * n;
    if (end > message.length || frameAt + 5 > end || end - frameAt > maxFrameBytes) return undefined;
    const targets: number[] = [];
    for (let i = 0; i < n; i++) targets.push(message.readUInt32LE(at + 3 + 4 * i));
    records.push({ targets, frame: message.subarray(frameAt, end) });
    at = end;
  }
  return records;
}

/** DOC_UPDATE: the stream id the update was stored under, and the update. */
export function writeDocUpdate(instance: number, id: string, update: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(BUS_HEADER_BYTES + 1 + id.length + update.length);
  out[0] = BUS.docUpdate;
  out.writeUInt32LE(instance, 1);
  out[5] = id.length;
  out.write(id, 6, 'latin1');
  out.set(update, 6 + id.length);
  return out;
}

export function readDocUpdate(message: Buffer): { id: string; update: Uint8Array } | undefined {
  if (message.length < BUS_HEADER_BYTES + 1) return undefined;
  const idLength = message[5] as number;
  const updateAt = 6 + idLength;
  if (idLength === 0 || updateAt >= message.length) return undefined;
  const id = message.toString('latin1', 6, updateAt);
  if (!STREAM_ID.test(id)) return undefined;
  return { id, update: new Uint8Array(message.subarray(updateAt)) };
}

const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

/** Orders two Redis stream ids (`ms-seq`): negative, zero or positive like a comparator. */
export function compareStreamIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(as) - BigInt(bs);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

/** The smallest stream id after `id` (for XTRIM MINID: keep what is newer than `id`). */
export function nextStreamId(id: string): string {
  const [ms = '0', seq = '0'] = id.split('-');
  return `${ms}-${BigInt(seq) + 1n}`;
}

function readU32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) |
      ((bytes[at + 1] as number) << 8) |
      ((bytes[at + 2] as number) << 16) |
      ((bytes[at + 3] as number) << 24)) >>>
    0
  );
}
