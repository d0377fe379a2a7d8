/**
 * The relay's frames (docs/transports.md, "Relay frames", byte by byte): the
 * small envelope the server reads around pose messages, never the pose
 * payload itself. Shared by the browser transport
 * (app/pose/transports/relay-transport.ts) and the server (server/relay.ts).
 *
 *   client -> server  0x01 TO_ROOM   payload                 (every other peer in the room)
 *   client -> server  0x02 TO_PEERS  n:u8, n x peer:u32, payload
 *   server -> client  0x10 FROM      sender:u32, payload     (sender stamped by the server)
 *   server -> client  0x11 PEERS     n:u16, n x peer:u32     (who else is here, on join)
 *   server -> client  0x12 JOINED    peer:u32
 *   server -> client  0x13 LEFT      peer:u32
 *   server -> client  0x14 SESSION   secret: 16 bytes        (version 2; sent on join)
 *
 * All integers little-endian. The protocol version travels once per socket,
 * in the upgrade URL (`v`), not in every frame. Version 2 added SESSION and
 * the upgrade's `secret` (docs/transports.md, RELAY9): a version 1 client
 * skips SESSION and simply cannot take over its own id while its old socket
 * lives. Each frame has one writer and
 * is read by its direction's reader; readers take untrusted bytes and return
 * a reason instead of throwing.
 *
 * @example
 *   const n = writeToPeers(out, [peerB, peerC], 2, poseMessage);   // client, into a reused buffer
 *   const frame = readClientFrame(out.subarray(0, n));             // server: { ok, frame: { type: 'to-peers', ... } }
 *   socket.send(writeFrom(sender, frame.payload));                 // server, a new array per message
 *   readServerFrame(bytes);                                        // client: from, peers, joined, left or session
 */
import type { PeerId } from '../../core/ids.ts';
import { readU16, readU32, writeU8, writeU16, writeU32 } from './bytes.ts';

/** The relay protocol this code speaks: sent as `v` in the upgrade URL (RELAY12). */
export const RELAY_PROTOCOL_VERSION = 2;

export const RELAY_TO_ROOM = 0x01;
export const RELAY_TO_PEERS = 0x02;
export const RELAY_FROM = 0x10;
export const RELAY_PEERS = 0x11;
export const RELAY_JOINED = 0x12;
export const RELAY_LEFT = 0x13;
export const RELAY_SESSION = 0x14;

/** Bytes of the session secret that binds a peer id to its socket (RELAY9). */
export const RELAY_SECRET_BYTES = 16;

/** Most targets one TO_PEERS frame may name. */
export const RELAY_MAX_TARGETS = 64;

/** A room id on the relay: what the room URL allows. */
export const RELAY_ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

// --- the upgrade -------------------------------------------------------------------------

/** `session`: in a protected room, the session id this page proves elsewhere (docs/roles.md MOD5). */
export function relayUrl(
  base: { protocol: string; host: string },
  roomId: string,
  peerId: number,
  session?: string,
): string {
  const scheme = base.protocol === 'https:' ? 'wss' : 'ws';
  const tail = session ? `&session=${session}` : '';
  return `${scheme}://${base.host}/relay?room=${encodeURIComponent(roomId)}&peer=${peerId}&v=${RELAY_PROTOCOL_VERSION}${tail}`;
}

/** The upgrade's `secret` (RELAY9): a SESSION frame's secret as 32 lowercase hex digits. */
export function relaySecretParam(secret: Uint8Array): string {
  let hex = '';
  for (const byte of secret) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Parses the upgrade's optional `secret` parameter (32 hex digits): undefined
 * when absent, null when malformed.
 */
export function parseRelaySecret(value: string | null): Uint8Array | undefined | null {
  if (value === null) return undefined;
  if (!/^[0-9a-f]{32}$/.test(value)) return null;
  const bytes = new Uint8Array(RELAY_SECRET_BYTES);
  for (let i = 0; i < RELAY_SECRET_BYTES; i++) bytes[i] = Number.parseInt(value.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Parses the `peer` query value: a decimal u32 above zero, else undefined. */
export function parseRelayPeerId(value: string | null): PeerId | undefined {
  if (value === null || !/^[1-9][0-9]{0,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id <= 0xffffffff ? (id as PeerId) : undefined;
}

/**
 * Parses the `v` query value: the client's relay protocol version. Absent is
 * 1 (clients from before the version was sent); a version above the server's
 * own, or not a small decimal, is undefined.
 */
export function parseRelayVersion(value: string | null): number | undefined {
  if (value === null) return 1;
  if (!/^[1-9][0-9]{0,3}$/.test(value)) return undefined;
  const version = Number(value);
  return version <= RELAY_PROTOCOL_VERSION ? version : undefined;
}

// --- client -> server --------------------------------------------------------------------

type RelayClientFrame =
  | { type: 'to-room'; payload: Uint8Array }
  | { type: 'to-peers'; targets: PeerId[]; payload: Uint8Array };

/** Bytes a TO_PEERS frame for `count` targets and a payload of `payloadLength` bytes takes. */
export function toPeersLength(count: number, payloadLength: number): number {
  return 2 + 4 * count + payloadLength;
}

/** TO_ROOM into `out`; returns its length. */
export function writeToRoom(out: Uint8Array, payload: Uint8Array): number {
  const at = writeU8(out, 0, RELAY_TO_ROOM);
  out.set(payload, at);
  return at + payload.length;
}

/**
 * TO_PEERS to the first `count` of `targets` into `out` (a buffer the caller
 * reuses every tick); returns its length. `payload` may be omitted when the
 * caller has already put it at `toPeersLength(count, 0)`.
 */
export function writeToPeers(out: Uint8Array, targets: ArrayLike<number>, count: number, payload?: Uint8Array): number {
  let at = writeU8(out, 0, RELAY_TO_PEERS);
  at = writeU8(out, at, count);
  for (let i = 0; i < count; i++) at = writeU32(out, at, targets[i] as number);
  if (!payload) return at;
  out.set(payload, at);
  return at + payload.length;
}

export type ReadRelayClientFrame = { ok: true; frame: RelayClientFrame } | { ok: false; reason: string };

/** Reads a client frame (server side): the payload is a view into `bytes`. Never throws (RELAY4). */
export function readClientFrame(bytes: Uint8Array): ReadRelayClientFrame {
  if (bytes.length < 2) return { ok: false, reason: 'frame too short' };
  const type = bytes[0];
  if (type === RELAY_TO_ROOM) return { ok: true, frame: { type: 'to-room', payload: bytes.subarray(1) } };
  if (type !== RELAY_TO_PEERS) return { ok: false, reason: 'unknown frame type' };
  const count = bytes[1] as number;
  if (count === 0 || count > RELAY_MAX_TARGETS) return { ok: false, reason: 'bad target count' };
  const payloadAt = toPeersLength(count, 0);
  if (bytes.length <= payloadAt) return { ok: false, reason: 'frame too short' };
  const targets: PeerId[] = [];
  for (let i = 0; i < count; i++) targets.push(readU32(bytes, 2 + 4 * i) as PeerId);
  return { ok: true, frame: { type: 'to-peers', targets, payload: bytes.subarray(payloadAt) } };
}

// --- server -> client --------------------------------------------------------------------

type RelayServerFrame =
  | { type: 'from'; sender: PeerId; payload: Uint8Array }
  | { type: 'peers'; peers: PeerId[] }
  | { type: 'joined'; peer: PeerId }
  | { type: 'left'; peer: PeerId }
  | { type: 'session'; secret: Uint8Array };

/** FROM: one new array, sent as is to every receiver of the message. */
export function writeFrom(sender: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + payload.length);
  const at = writeU32(out, writeU8(out, 0, RELAY_FROM), sender);
  out.set(payload, at);
  return out;
}

export function writePeers(peers: readonly number[]): Uint8Array {
  const out = new Uint8Array(3 + 4 * peers.length);
  let at = writeU16(out, writeU8(out, 0, RELAY_PEERS), peers.length);
  for (const peer of peers) at = writeU32(out, at, peer);
  return out;
}

export function writeJoined(peer: number): Uint8Array {
  return writePeerEvent(RELAY_JOINED, peer);
}

export function writeLeft(peer: number): Uint8Array {
  return writePeerEvent(RELAY_LEFT, peer);
}

/** SESSION: this socket's secret for its peer id (RELAY9); sent on join, before PEERS. */
export function writeSession(secret: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + RELAY_SECRET_BYTES);
  out.set(secret.subarray(0, RELAY_SECRET_BYTES), writeU8(out, 0, RELAY_SESSION));
  return out;
}

function writePeerEvent(type: number, peer: number): Uint8Array {
  const out = new Uint8Array(5);
  writeU32(out, writeU8(out, 0, type), peer);
  return out;
}

export type ReadRelayServerFrame = { ok: true; frame: RelayServerFrame } | { ok: false; reason: string };

/**
 * Reads a server frame (client side): the payload is a view into `bytes`.
 * A frame of an unknown type is reported, not thrown: a client skips what a
 * newer server may add. Never throws.
 */
export function readServerFrame(bytes: Uint8Array): ReadRelayServerFrame {
  switch (bytes[0]) {
    case RELAY_FROM:
      if (bytes.length <= 5) return { ok: false, reason: 'frame too short' };
      return { ok: true, frame: { type: 'from', sender: readU32(bytes, 1) as PeerId, payload: bytes.subarray(5) } };
    case RELAY_PEERS: {
      if (bytes.length < 3) return { ok: false, reason: 'frame too short' };
      const count = readU16(bytes, 1);
      if (bytes.length !== 3 + 4 * count) return { ok: false, reason: 'bad peer count' };
      const peers: PeerId[] = [];
      for (let i = 0; i < count; i++) peers.push(readU32(bytes, 3 + 4 * i) as PeerId);
      return { ok: true, frame: { type: 'peers', peers } };
    }
    case RELAY_JOINED:
    case RELAY_LEFT:
      if (bytes.length !== 5) return { ok: false, reason: 'bad frame length' };
      return {
        ok: true,
        frame: { type: bytes[0] === RELAY_JOINED ? 'joined' : 'left', peer: readU32(bytes, 1) as PeerId },
      };
    case RELAY_SESSION:
      if (bytes.length !== 1 + RELAY_SECRET_BYTES) return { ok: false, reason: 'bad frame length' };
      return { ok: true, frame: { type: 'session', secret: bytes.subarray(1) } };
    default:
      return { ok: false, reason: 'unknown frame type' };
  }
}
