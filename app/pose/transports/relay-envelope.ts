/**
 * The relay's own small envelope around pose messages (docs/transports.md,
 * "Relay frames"). The server reads only this envelope, never the pose
 * payload. Shared by the browser transport and `server/relay.ts`.
 *
 *   client -> server  0x01 TO_ROOM   payload                 (every other peer in the room)
 *   client -> server  0x02 TO_PEERS  n:u8, n x peer:u32, payload
 *   server -> client  0x10 FROM      sender:u32, payload     (sender stamped by the server)
 *   server -> client  0x11 PEERS     n:u16, n x peer:u32     (who else is here, on join)
 *   server -> client  0x12 JOINED    peer:u32
 *   server -> client  0x13 LEFT      peer:u32
 *   server -> client  0x14 SESSION   secret: 16 bytes         (version 2; sent on join)
 * All integers little-endian. Version 2 adds SESSION and the upgrade's
 * `secret` parameter (docs/transports.md, RELAY9): a version 1 client ignores
 * SESSION and simply cannot take over its own id while its old socket lives.
 */
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

export function relayUrl(base: { protocol: string; host: string }, roomId: string, peerId: number): string {
  const scheme = base.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${base.host}/relay?room=${encodeURIComponent(roomId)}&peer=${peerId}`;
}

/** Parses the `peer` query value: a decimal u32 above zero, else undefined. */
export function parseRelayPeerId(value: string | null): number | undefined {
  if (value === null || !/^[1-9][0-9]{0,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id <= 0xffffffff ? id : undefined;
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

/** The SESSION frame's secret as the upgrade parameter, or undefined if `frame` is not a SESSION frame. */
export function readRelaySession(frame: Uint8Array): string | undefined {
  if (frame[0] !== RELAY_SESSION || frame.length !== 1 + RELAY_SECRET_BYTES) return undefined;
  let hex = '';
  for (let i = 1; i < frame.length; i++) hex += (frame[i] as number).toString(16).padStart(2, '0');
  return hex;
}

export type ClientFrame =
  | { ok: true; targets: number[] | 'room'; payloadOffset: number }
  | { ok: false; reason: string };

/** Reads a client frame's envelope (server side). Never throws. */
export function readClientFrame(frame: Uint8Array): ClientFrame {
  if (frame.length < 2) return { ok: false, reason: 'frame too short' };
  const type = frame[0];
  if (type === RELAY_TO_ROOM) return { ok: true, targets: 'room', payloadOffset: 1 };
  if (type !== RELAY_TO_PEERS) return { ok: false, reason: 'unknown frame type' };
  const n = frame[1] as number;
  if (n === 0 || n > RELAY_MAX_TARGETS) return { ok: false, reason: 'bad target count' };
  const payloadOffset = 2 + 4 * n;
  if (frame.length <= payloadOffset) return { ok: false, reason: 'frame too short' };
  const targets: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = 2 + 4 * i;
    targets.push(
      ((frame[at] as number) |
        ((frame[at + 1] as number) << 8) |
        ((frame[at + 2] as number) << 16) |
        ((frame[at + 3] as number) << 24)) >>>
        0,
    );
  }
  return { ok: true, targets, payloadOffset };
}

/** Writes a TO_PEERS frame header into `out`; returns the payload offset. */
export function writeToPeersHeader(out: Uint8Array, targets: ArrayLike<number>, count: number): number {
  out[0] = RELAY_TO_PEERS;
  out[1] = count;
  for (let i = 0; i < count; i++) {
    const id = targets[i] as number;
    const at = 2 + 4 * i;
    out[at] = id & 0xff;
    out[at + 1] = (id >>> 8) & 0xff;
    out[at + 2] = (id >>> 16) & 0xff;
    out[at + 3] = (id >>> 24) & 0xff;
  }
  return 2 + 4 * count;
}

export function readU32LE(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) |
      ((bytes[at + 1] as number) << 8) |
      ((bytes[at + 2] as number) << 16) |
      ((bytes[at + 3] as number) << 24)) >>>
    0
  );
}
