/**
 * The small control messages of the pose protocol (docs/pose-protocol.md):
 * HELLO (who I am), PING/PONG (clock offset and round trip) and BYE (leaving).
 * Readers take untrusted bytes and return a status; they never throw.
 */

import type { PeerId } from '../../core/ids.ts';
import { readU32, writeU32 } from './batch-codec.ts';
import {
  BYE_BYTES,
  HEADER_BYTES,
  KIND_BATCH,
  KIND_BYE,
  KIND_HELLO,
  KIND_PING,
  KIND_PONG,
  MAX_LINK_TOKEN_BYTES,
  MAX_MESSAGE_BYTES,
  MAX_NAME_BYTES,
  PING_BYTES,
  PONG_BYTES,
  POSE_PROTOCOL_VERSION,
  type ReadStatus,
} from './protocol.ts';

export interface MessageHeader {
  kind: number;
  sender: PeerId;
}

/** Reads the common 6-byte header; checks size, version, kind and a non-zero sender. */
export function readHeader(bytes: Uint8Array, out: MessageHeader): ReadStatus {
  if (bytes.length > MAX_MESSAGE_BYTES) return 'oversized';
  if (bytes.length < HEADER_BYTES) return 'truncated';
  if (bytes[0] !== POSE_PROTOCOL_VERSION) return 'version';
  const kind = bytes[1] as number;
  if (kind < KIND_BATCH || kind > KIND_BYE) return 'kind';
  const sender = readU32(bytes, 2);
  if (sender === 0) return 'garbage';
  out.kind = kind;
  out.sender = sender as PeerId;
  return 'ok';
}

function writeHeader(bytes: Uint8Array, kind: number, sender: number): void {
  bytes[0] = POSE_PROTOCOL_VERSION;
  bytes[1] = kind;
  writeU32(bytes, 2, sender);
}

export interface Hello {
  sender: PeerId;
  /** Asks the receiver to answer with its own HELLO. */
  replyWanted: boolean;
  name: string;
  /** `#rrggbb`. */
  color: string;
  /** Opaque token naming this peer's WebRTC endpoint (used to retry WebRTC); may be empty. */
  linkToken: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character. */
function utf8Capped(text: string, max: number): Uint8Array {
  let bytes = encoder.encode(text);
  let chars = [...text];
  while (bytes.length > max) {
    chars = chars.slice(0, -1);
    bytes = encoder.encode(chars.join(''));
  }
  return bytes;
}

/** HELLO: header, flags, name (u8 length + UTF-8), colour (3 bytes), link token (u8 length + ASCII). */
export function writeHello(hello: Hello): Uint8Array {
  const name = utf8Capped(hello.name, MAX_NAME_BYTES);
  const token = utf8Capped(hello.linkToken.replace(/[^\x21-\x7e]/g, ''), MAX_LINK_TOKEN_BYTES);
  const bytes = new Uint8Array(HEADER_BYTES + 1 + 1 + name.length + 3 + 1 + token.length);
  writeHeader(bytes, KIND_HELLO, hello.sender);
  let at = HEADER_BYTES;
  bytes[at++] = hello.replyWanted ? 1 : 0;
  bytes[at++] = name.length;
  bytes.set(name, at);
  at += name.length;
  const rgb = /^#[0-9a-fA-F]{6}$/.test(hello.color) ? Number.parseInt(hello.color.slice(1), 16) : 0x808080;
  bytes[at++] = (rgb >> 16) & 0xff;
  bytes[at++] = (rgb >> 8) & 0xff;
  bytes[at++] = rgb & 0xff;
  bytes[at++] = token.length;
  bytes.set(token, at);
  return bytes;
}

export type HelloResult = { status: 'ok'; hello: Hello } | { status: Exclude<ReadStatus, 'ok'> };

export function readHello(bytes: Uint8Array): HelloResult {
  const header: MessageHeader = { kind: 0, sender: 0 as PeerId };
  const status = readHeader(bytes, header);
  if (status !== 'ok') return { status };
  if (header.kind !== KIND_HELLO) return { status: 'kind' };
  let at = HEADER_BYTES;
  if (bytes.length < at + 2) return { status: 'truncated' };
  const flags = bytes[at++] as number;
  const nameLength = bytes[at++] as number;
  if (nameLength > MAX_NAME_BYTES) return { status: 'garbage' };
  if (bytes.length < at + nameLength + 4) return { status: 'truncated' };
  let name: string;
  try {
    name = decoder.decode(bytes.subarray(at, at + nameLength));
  } catch {
    return { status: 'garbage' };
  }
  at += nameLength;
  const color = `#${[bytes[at], bytes[at + 1], bytes[at + 2]].map((b) => (b as number).toString(16).padStart(2, '0')).join('')}`;
  at += 3;
  const tokenLength = bytes[at++] as number;
  if (tokenLength > MAX_LINK_TOKEN_BYTES) return { status: 'garbage' };
  if (bytes.length < at + tokenLength) return { status: 'truncated' };
  if (bytes.length > at + tokenLength) return { status: 'oversized' };
  let linkToken = '';
  for (let i = 0; i < tokenLength; i++) {
    const c = bytes[at + i] as number;
    if (c < 0x21 || c > 0x7e) return { status: 'garbage' };
    linkToken += String.fromCharCode(c);
  }
  return { status: 'ok', hello: { sender: header.sender, replyWanted: (flags & 1) === 1, name, color, linkToken } };
}

/** PING: header + the sender's send time (u32 ticks). */
export function writePing(bytes: Uint8Array, sender: number, t0: number): number {
  writeHeader(bytes, KIND_PING, sender);
  writeU32(bytes, 6, t0);
  return PING_BYTES;
}

/** PONG: header + the ping's t0 echoed, t1 (ping received) and t2 (pong sent) on the answerer's clock. */
export function writePong(bytes: Uint8Array, sender: number, t0: number, t1: number, t2: number): number {
  writeHeader(bytes, KIND_PONG, sender);
  writeU32(bytes, 6, t0);
  writeU32(bytes, 10, t1);
  writeU32(bytes, 14, t2);
  return PONG_BYTES;
}

export function writeBye(bytes: Uint8Array, sender: number): number {
  writeHeader(bytes, KIND_BYE, sender);
  return BYE_BYTES;
}

/** Exact length each fixed-size kind must have (0: variable). */
function fixedLength(kind: number): number {
  return kind === KIND_PING ? PING_BYTES : kind === KIND_PONG ? PONG_BYTES : kind === KIND_BYE ? BYE_BYTES : 0;
}

export function checkFixedLength(bytes: Uint8Array, kind: number): ReadStatus {
  const expected = fixedLength(kind);
  if (bytes.length < expected) return 'truncated';
  if (bytes.length > expected) return 'oversized';
  return 'ok';
}

export { readU32 };
