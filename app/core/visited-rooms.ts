/**
 * The rooms this device has visited (docs/ui.md, VISIT1-VISIT4), kept in
 * localStorage for the start page: name, scene, when, and who was there. The
 * stored text may be corrupt, edited by hand or written by an older version, so
 * loading keeps what is valid and drops the rest; it never throws.
 *
 * @example
 *   recordVisit(localStorage, { roomId, name: 'Standup', scene: 'Lobby', people: ['Ada'] });
 *   loadVisitedRooms(localStorage); // newest first
 *   removeVisitedRoom(localStorage, roomId);
 */

import { cleanName, type KeyValueStorage } from './identity.ts';
import type { RoomId } from './ids.ts';
import { isValidRoomId } from './room-id.ts';
import { cleanRoomName } from './room-name.ts';

export interface VisitedRoom {
  roomId: RoomId;
  /** The room's name when last seen; empty when it had none. */
  name: string;
  /** The scene's title when last seen (cleaned like a room name); empty when unknown. */
  scene: string;
  /** When this device was last in the room (ms since epoch). */
  visitedAt: number;
  /** Names of the others seen in the room during the last visit. */
  people: string[];
}

export const VISITED_ROOMS_KEY = 'holoroom.visited-rooms';
/** VISIT2: at most this many rooms, the most recent kept. */
export const MAX_VISITED_ROOMS = 20;
/** VISIT2: at most this many people remembered per room. */
export const MAX_PEOPLE_PER_ROOM = 8;
/** VISIT2: the stored list never exceeds this many characters (UTF-16 code units); the oldest rooms go first. */
export const MAX_VISITED_BYTES = 16 * 1024;

function cleanPeople(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  for (const entry of value.slice(0, MAX_PEOPLE_PER_ROOM * 4)) {
    const name = typeof entry === 'string' ? cleanName(entry.slice(0, 256)) : '';
    if (name && !names.includes(name)) names.push(name);
    if (names.length === MAX_PEOPLE_PER_ROOM) break;
  }
  return names;
}

/** One stored entry, validated; undefined when unusable. */
function parseEntry(value: unknown): VisitedRoom | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { roomId, name, scene, visitedAt, people } = value as Record<string, unknown>;
  if (typeof roomId !== 'string' || !isValidRoomId(roomId)) return undefined;
  if (typeof visitedAt !== 'number' || !Number.isFinite(visitedAt) || visitedAt < 0) return undefined;
  return {
    roomId,
    name: cleanRoomName(name),
    scene: cleanRoomName(scene),
    visitedAt,
    people: cleanPeople(people),
  };
}

/** VISIT3: the valid entries, newest first, one per room, at most MAX_VISITED_ROOMS. Never throws. */
export function loadVisitedRooms(storage: KeyValueStorage | undefined): VisitedRoom[] {
  let raw: string | null | undefined;
  try {
    raw = storage?.getItem(VISITED_ROOMS_KEY);
  } catch {
    return []; // storage denied
  }
  if (!raw || raw.length > MAX_VISITED_BYTES * 4) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const rooms: VisitedRoom[] = [];
  for (const value of parsed) {
    const entry = parseEntry(value);
    if (entry && !rooms.some((room) => room.roomId === entry.roomId)) rooms.push(entry);
  }
  return rooms.sort((a, b) => b.visitedAt - a.visitedAt).slice(0, MAX_VISITED_ROOMS);
}

/** Writes the list, dropping the oldest rooms until it fits MAX_VISITED_BYTES (VISIT2). */
function save(storage: KeyValueStorage | undefined, rooms: VisitedRoom[]): VisitedRoom[] {
  const kept = rooms.slice(0, MAX_VISITED_ROOMS);
  let text = JSON.stringify(kept);
  while (text.length > MAX_VISITED_BYTES && kept.length > 0) {
    kept.pop();
    text = JSON.stringify(kept);
  }
  try {
    storage?.setItem(VISITED_ROOMS_KEY, text);
  } catch {
    // Storage full or denied: the list is a convenience, the room works without it.
  }
  return kept;
}

export interface VisitUpdate {
  roomId: RoomId;
  name?: string;
  scene?: string;
  /** People seen now; added to those already seen in this visit (VISIT1). */
  people?: readonly string[];
}

/**
 * VISIT1: records (or refreshes) a visit: the room moves to the top with the
 * given name and scene; people are merged with those already recorded when
 * `sameVisit` (the page is still in the room), replaced otherwise.
 */
export function recordVisit(
  storage: KeyValueStorage | undefined,
  update: VisitUpdate,
  options: { now?: number; sameVisit?: boolean } = {},
): VisitedRoom[] {
  if (!isValidRoomId(update.roomId)) return loadVisitedRooms(storage);
  const rooms = loadVisitedRooms(storage);
  const previous = rooms.find((room) => room.roomId === update.roomId);
  const earlier = options.sameVisit ? (previous?.people ?? []) : [];
  const entry: VisitedRoom = {
    roomId: update.roomId,
    name: update.name === undefined ? (previous?.name ?? '') : cleanRoomName(update.name),
    scene: update.scene === undefined ? (previous?.scene ?? '') : cleanRoomName(update.scene),
    visitedAt: options.now ?? Date.now(),
    people: cleanPeople([...earlier, ...(update.people ?? [])]),
  };
  return save(storage, [entry, ...rooms.filter((room) => room.roomId !== update.roomId)]);
}

/** VISIT4: forgets one room on this device (nothing is sent anywhere). */
export function removeVisitedRoom(storage: KeyValueStorage | undefined, roomId: RoomId): VisitedRoom[] {
  return save(
    storage,
    loadVisitedRooms(storage).filter((room) => room.roomId !== roomId),
  );
}
