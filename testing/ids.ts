/** Ids for tests: a peer's number or an object's name, branded as the code expects (app/core/ids.ts). */
import { type ObjectId, objectId, type PeerId, type RoomId, toPeerId } from '../app/core/ids.ts';
import { isValidRoomId } from '../app/core/room-id.ts';

export function peer(value: number): PeerId {
  const id = toPeerId(value);
  if (id === undefined) throw new Error(`${value} is not a peer id (a non-zero u32)`);
  return id;
}

export function object(name: string): ObjectId {
  return objectId(name);
}

export function room(id: string): RoomId {
  if (!isValidRoomId(id)) throw new Error(`${id} is not a room id`);
  return id;
}
