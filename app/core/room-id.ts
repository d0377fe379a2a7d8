/**
 * Room ids and room links. A room's URL is the whole invitation:
 * `https://host/r/<roomId>` (plus `#...` fragment data that never reaches the server).
 *
 * New rooms get 16 characters from a 32-letter alphabet: 80 random bits, so a
 * room cannot be found by guessing. Ids people choose themselves (8-64 characters, so
 * never confused with a 6-character short code) are accepted too.
 */
import type { RoomId } from './ids.ts';

/** Lowercase letters and digits without l, o, 0, 1 (easy to read back). */
const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
export const ROOM_ID_LENGTH = 16;
const ROOM_ID = /^[A-Za-z0-9_-]{8,64}$/;

export type RandomFill = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;

const defaultRandom: RandomFill = (bytes) => globalThis.crypto.getRandomValues(bytes);

/** A new unguessable room id. */
export function createRoomId(random: RandomFill = defaultRandom): RoomId {
  const bytes = random(new Uint8Array(ROOM_ID_LENGTH));
  let id = '';
  // 256 is a multiple of 32, so `byte % 32` is unbiased.
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id as RoomId;
}

export function isValidRoomId(id: string): id is RoomId {
  return ROOM_ID.test(id);
}

export function roomPath(id: RoomId): string {
  return `/r/${encodeURIComponent(id)}`;
}

export type RoomLinkResult = { ok: true; roomId: RoomId } | { ok: false; error: string };

/**
 * Reads what someone pasted or typed into "join": a full room link, a path
 * (`/r/abc...`) or a bare room id. Short codes are resolved by the server.
 */
export function parseRoomInput(input: string): RoomLinkResult {
  const text = input.trim();
  if (text === '') return { ok: false, error: 'Enter a room link or code.' };
  if (text.length > 2048) return { ok: false, error: 'That link is too long.' };
  let candidate = text;
  const match = /(?:^|\/)r\/([^/?#\s]+)/.exec(text);
  if (match?.[1] !== undefined) {
    try {
      candidate = decodeURIComponent(match[1]);
    } catch {
      return { ok: false, error: 'That link is not valid.' };
    }
  }
  if (!isValidRoomId(candidate)) {
    return { ok: false, error: 'That is not a room link: room ids are 8-64 letters, digits, - or _.' };
  }
  return { ok: true, roomId: candidate };
}

/** The room id in a location pathname, if it is a room page. */
export function roomIdFromPath(pathname: string): RoomId | undefined {
  const match = /^\/r\/([^/]+)\/?$/.exec(pathname);
  if (!match?.[1]) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  return isValidRoomId(id) ? id : undefined;
}
