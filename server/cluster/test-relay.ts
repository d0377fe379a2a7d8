/**
 * Relay frames for the cluster tests, through the wire layer's own writers
 * and reader (app/pose/wire/relay-frames.ts), so the tests never spell bytes.
 */
import type { PeerId } from '../../app/core/ids.ts';
import {
  type ReadRelayServerFrame,
  readServerFrame,
  relaySecretParam,
  toPeersLength,
  writeToPeers,
  writeToRoom,
} from '../../app/pose/wire/relay-frames.ts';

type ServerFrame = Extract<ReadRelayServerFrame, { ok: true }>['frame'];

/** A frame from the server, or undefined when it does not read. */
function serverFrame(data: Uint8Array): ServerFrame | undefined {
  const read = readServerFrame(data);
  return read.ok ? read.frame : undefined;
}

export function isFrame(data: Uint8Array, type: ServerFrame['type']): boolean {
  return serverFrame(data)?.type === type;
}

/** FROM `sender`: its payload, else undefined. */
export function fromPayload(data: Uint8Array, sender: number): Uint8Array | undefined {
  const frame = serverFrame(data);
  return frame?.type === 'from' && frame.sender === sender ? frame.payload : undefined;
}

/** JOINED or LEFT of `peer`. */
export function isPeerEvent(data: Uint8Array, type: 'joined' | 'left', peer: number): boolean {
  const frame = serverFrame(data);
  return frame?.type === type && frame.peer === peer;
}

/** The peer ids of a PEERS frame, else undefined. */
export function peersIn(data: Uint8Array): PeerId[] | undefined {
  const frame = serverFrame(data);
  return frame?.type === 'peers' ? frame.peers : undefined;
}

/** The SESSION secret as the upgrade's `secret` parameter, else undefined. */
export function sessionSecret(data: Uint8Array): string | undefined {
  const frame = serverFrame(data);
  return frame?.type === 'session' ? relaySecretParam(frame.secret) : undefined;
}

export function toRoom(payload: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(1 + payload.length);
  writeToRoom(out, Uint8Array.from(payload));
  return out;
}

export function toPeers(targets: number[], payload: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(toPeersLength(targets.length, payload.length));
  writeToPeers(out, targets, targets.length, Uint8Array.from(payload));
  return out;
}
