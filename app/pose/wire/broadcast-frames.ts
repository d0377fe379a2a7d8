/**
 * Frames between tabs of this browser on the room's BroadcastChannel
 * (docs/transports.md, "BroadcastChannel frames", byte by byte):
 *
 *   offset 0  to: u32    0 = every tab, 0xffffffff = the sender is leaving, else one peer id
 *   offset 4  from: u32  the sender's peer id (never 0)
 *   offset 8  payload    a pose message; none in an announcement or a leave frame
 *
 * All integers little-endian. The protocol version is part of the channel's
 * name (`broadcastChannelName`), so tabs of different versions never hear
 * each other.
 *
 * @example
 *   const channel = new BroadcastChannel(broadcastChannelName(roomId));
 *   channel.postMessage(writeBroadcastFrame({ to: EVERY_TAB, from: selfId }));
 *   const frame = readBroadcastFrame(event.data);   // undefined when malformed
 */
import type { PeerId } from '../../core/ids.ts';
import { readU32, writeU32 } from './bytes.ts';

export const BROADCAST_PROTOCOL_VERSION = 1;

/** `to` of an announcement: every tab of the room. */
export const EVERY_TAB = 0;
/** `to` of a leave frame: the sender is going away. */
export const LEAVING = 0xffffffff;

const HEADER_BYTES = 8;

export function broadcastChannelName(roomId: string): string {
  return `holoroom-pose.${BROADCAST_PROTOCOL_VERSION}:${roomId}`;
}

export interface BroadcastFrame {
  /** EVERY_TAB, LEAVING or one peer id. */
  to: number;
  from: PeerId;
  /** Empty in an announcement and a leave frame. */
  payload: Uint8Array;
}

const EMPTY = new Uint8Array(0);

export function writeBroadcastFrame(frame: { to: number; from: PeerId; payload?: Uint8Array }): Uint8Array {
  const payload = frame.payload ?? EMPTY;
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  writeU32(out, writeU32(out, 0, frame.to), frame.from);
  out.set(payload, HEADER_BYTES);
  return out;
}

/** Reads a frame another tab posted; undefined when too short or from no one. The payload is a view. */
export function readBroadcastFrame(bytes: Uint8Array): BroadcastFrame | undefined {
  if (bytes.length < HEADER_BYTES) return undefined;
  const from = readU32(bytes, 4) as PeerId;
  if (from === 0) return undefined;
  return { to: readU32(bytes, 0), from, payload: bytes.subarray(HEADER_BYTES) };
}
