/**
 * Short room codes on the client: recognising one in the join box, asking the
 * server for a room's code, and resolving a code to a room id.
 * The server side (issuing, expiry, rate limits) is server/room-codes.ts.
 */

import type { RoomId } from './ids.ts';
import { isValidRoomId } from './room-id.ts';

/** No 0/O, 1/I/L: easy to read aloud and to type on a headset keyboard. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 6;

export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

export function looksLikeRoomCode(input: string): boolean {
  const code = normalizeCode(input);
  return code.length === CODE_LENGTH && [...code].every((ch) => CODE_ALPHABET.includes(ch));
}

/** `K7M2QX` -> `K7M-2QX`, easier to read aloud. */
export function formatCode(code: string): string {
  return `${code.slice(0, 3)}-${code.slice(3)}`;
}

export type CodeResult = { ok: true; roomId: RoomId } | { ok: false; error: string };

export async function resolveRoomCode(input: string, fetchFn: typeof fetch = fetch): Promise<CodeResult> {
  try {
    const response = await fetchFn(`/api/codes/${encodeURIComponent(normalizeCode(input))}`);
    if (response.status === 404) return { ok: false, error: 'No room has that code (codes expire after a day).' };
    if (response.status === 429) return { ok: false, error: 'Too many tries: wait a minute and try again.' };
    if (!response.ok) return { ok: false, error: `The server answered ${response.status}.` };
    const body = (await response.json()) as { room?: unknown };
    if (typeof body.room !== 'string' || !isValidRoomId(body.room)) {
      return { ok: false, error: 'The server sent an invalid room.' };
    }
    return { ok: true, roomId: body.room };
  } catch {
    return { ok: false, error: 'Cannot reach the server to look up the code.' };
  }
}

export async function requestRoomCode(roomId: RoomId, fetchFn: typeof fetch = fetch): Promise<string | undefined> {
  try {
    const response = await fetchFn(`/api/rooms/${encodeURIComponent(roomId)}/code`, { method: 'POST' });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { code?: unknown };
    return typeof body.code === 'string' && looksLikeRoomCode(body.code) ? body.code : undefined;
  } catch {
    return undefined;
  }
}
