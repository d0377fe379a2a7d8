/**
 * The 6 bytes every pose message starts with (docs/pose-protocol.md, "Common
 * header"): version, kind, sender. `readHeader` is how a receiver learns what
 * kind of message it holds before it reads the rest with that kind's reader.
 *
 * @example
 *   const at = writeHeader(out, KIND_BYE, sender);   // at === HEADER_BYTES
 *   readHeader(out.subarray(0, at), header);         // 'ok', header.kind === KIND_BYE
 */
import type { PeerId } from '../../core/ids.ts';
import { readU32, writeU8, writeU32 } from './bytes.ts';
import {
  HEADER_BYTES,
  KIND_BATCH,
  KIND_BYE,
  MAX_MESSAGE_BYTES,
  POSE_PROTOCOL_VERSION,
  type ReadStatus,
} from './protocol.ts';

export interface MessageHeader {
  kind: number;
  sender: PeerId;
}

/** Writes the common header; returns the offset after it (HEADER_BYTES). */
export function writeHeader(bytes: Uint8Array, kind: number, sender: number): number {
  return writeU32(bytes, writeU8(bytes, writeU8(bytes, 0, POSE_PROTOCOL_VERSION), kind), sender);
}

/** Where the kind byte is: a transport that only sorts messages peeks at it (`kindOf`). */
const KIND_AT = 1;

/** The kind byte of a message this peer wrote, unchecked (a reader checks what it receives). */
export function kindOf(bytes: Uint8Array): number {
  return bytes[KIND_AT] ?? 0;
}

/** Reads the common header; checks size, version, kind and a non-zero sender. */
export function readHeader(bytes: Uint8Array, out: MessageHeader): ReadStatus {
  if (bytes.length > MAX_MESSAGE_BYTES) return 'oversized';
  if (bytes.length < HEADER_BYTES) return 'truncated';
  if (bytes[0] !== POSE_PROTOCOL_VERSION) return 'version';
  const kind = bytes[KIND_AT] as number;
  if (kind < KIND_BATCH || kind > KIND_BYE) return 'kind';
  const sender = readU32(bytes, 2);
  if (sender === 0) return 'garbage';
  out.kind = kind;
  out.sender = sender as PeerId;
  return 'ok';
}
