/**
 * The small control messages of the pose protocol (docs/pose-protocol.md):
 * HELLO (who I am), PING/PONG (clock offset and round trip) and BYE (leaving),
 * each a writer and a reader of the same shape. Readers take untrusted bytes
 * and return a status; they never throw. PING, PONG and BYE are written into
 * and read into objects the caller reuses.
 *
 * @example
 *   const n = writePing(out, { sender, t0 });
 *   const ping: Ping = { sender: 0 as PeerId, t0: 0 };
 *   readPing(out.subarray(0, n), ping);   // 'ok', ping.t0 === t0
 */

import type { PeerId } from '../../core/ids.ts';
import { readU32, writeU32 } from './bytes.ts';
import { type MessageHeader, readHeader, writeHeader } from './header.ts';
import {
  BYE_BYTES,
  HEADER_BYTES,
  KIND_BYE,
  KIND_HELLO,
  KIND_PING,
  KIND_PONG,
  MAX_LINK_TOKEN_BYTES,
  MAX_NAME_BYTES,
  PING_BYTES,
  PONG_BYTES,
  type ReadStatus,
} from './protocol.ts';

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

export interface Ping {
  sender: PeerId;
  /** The sender's send time (u32 ticks). */
  t0: number;
}

export interface Pong {
  sender: PeerId;
  /** The ping's t0, echoed. */
  t0: number;
  /** When the ping arrived, on the answerer's clock (u32 ticks). */
  t1: number;
  /** When the pong left, on the answerer's clock (u32 ticks). */
  t2: number;
}

export interface Bye {
  sender: PeerId;
}

/** PING: header + t0. Returns its length (PING_BYTES). */
export function writePing(bytes: Uint8Array, ping: Ping): number {
  return writeU32(bytes, writeHeader(bytes, KIND_PING, ping.sender), ping.t0);
}

export function readPing(bytes: Uint8Array, out: Ping): ReadStatus {
  const status = readFixed(bytes, KIND_PING, PING_BYTES, out);
  if (status === 'ok') out.t0 = readU32(bytes, HEADER_BYTES);
  return status;
}

/** PONG: header + t0, t1, t2. Returns its length (PONG_BYTES). */
export function writePong(bytes: Uint8Array, pong: Pong): number {
  let at = writeHeader(bytes, KIND_PONG, pong.sender);
  at = writeU32(bytes, at, pong.t0);
  at = writeU32(bytes, at, pong.t1);
  return writeU32(bytes, at, pong.t2);
}

export function readPong(bytes: Uint8Array, out: Pong): ReadStatus {
  const status = readFixed(bytes, KIND_PONG, PONG_BYTES, out);
  if (status !== 'ok') return status;
  out.t0 = readU32(bytes, HEADER_BYTES);
  out.t1 = readU32(bytes, HEADER_BYTES + 4);
  out.t2 = readU32(bytes, HEADER_BYTES + 8);
  return 'ok';
}

/** BYE: the header alone. Returns its length (BYE_BYTES). */
export function writeBye(bytes: Uint8Array, bye: Bye): number {
  return writeHeader(bytes, KIND_BYE, bye.sender);
}

export function readBye(bytes: Uint8Array, out: Bye): ReadStatus {
  return readFixed(bytes, KIND_BYE, BYE_BYTES, out);
}

const fixedHeader: MessageHeader = { kind: 0, sender: 0 as PeerId };

/** The header of a fixed-size message, which must have exactly `length` bytes. */
function readFixed(bytes: Uint8Array, kind: number, length: number, out: { sender: PeerId }): ReadStatus {
  const status = readHeader(bytes, fixedHeader);
  if (status !== 'ok') return status;
  if (fixedHeader.kind !== kind) return 'kind';
  if (bytes.length < length) return 'truncated';
  if (bytes.length > length) return 'oversized';
  out.sender = fixedHeader.sender;
  return 'ok';
}
