/**
 * One branded type per kind of id (docs/architecture.md, "Glossary"), so the
 * compiler keeps them apart: a peer's number is never taken for an object's
 * wire id, a room id never for a room code. Values get their brand where they
 * are made or checked (these functions, and the readers of untrusted input).
 *
 * @example
 *   const self = peerIdOf(awareness);          // this page's PeerId
 *   const id = objectId('Shelf/Lamp');         // a stable scene object id (tests, tools)
 */
declare const brand: unique symbol;
type Brand<T, Name extends string> = T & { readonly [brand]: Name };

/** A room: 8-64 of `[A-Za-z0-9_-]`, the `<id>` of `/r/<id>` (core/room-id.ts). */
export type RoomId = Brand<string, 'RoomId'>;

/**
 * A person's page in a room: a non-zero u32, the room's Yjs awareness client
 * id (also the Yjs client id of its document and its id on the pose channel).
 * Named by its role where one is meant: `selfId` (this page), `owner` (who
 * holds an object), `sender` (who sent a pose message).
 */
export type PeerId = Brand<number, 'PeerId'>;

/** A scene object's stable id: its name path or `id:` property (scene-runtime ID1-ID6, room-doc OBJ1). */
export type ObjectId = Brand<string, 'ObjectId'>;

/** An object's 32-bit id on the pose wire: FNV-1a of its ObjectId, never 0 (pose-protocol "Objects"). */
export type EntityId = Brand<number, 'EntityId'>;

/** A PeerId from a number that is one (a non-zero u32), else undefined. */
export function toPeerId(value: number): PeerId | undefined {
  return Number.isInteger(value) && value > 0 && value <= 0xffffffff ? (value as PeerId) : undefined;
}

/** This page's PeerId: the awareness (and document) client id, as a non-zero u32. */
export function peerIdOf(awareness: { clientID: number }): PeerId {
  return (awareness.clientID >>> 0 || 1) as PeerId;
}

/** Brands a string as an object id; callers with untrusted input check it first (isValidObjectId). */
export function objectId(id: string): ObjectId {
  return id as ObjectId;
}
