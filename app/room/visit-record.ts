import type { RoomId } from '../core/ids.ts';
import { recordVisit } from '../core/visited-rooms.ts';
import { passwordFromHash } from '../sync/room-link.ts';
import type { Room } from './open-room.ts';

/**
 * VISIT1: keeps this device's entry for the open room up to date from the
 * moment it opens (not when its panels show, LOAD14): its name, its scene and
 * everyone seen in it during this visit. Password rooms are not listed
 * (VISIT5): their link carries the password, which stays out of storage.
 * Returns how to stop.
 */
export function keepVisitRecord(roomId: RoomId, room: Room, storage: Storage): () => void {
  if (passwordFromHash(location.hash) !== undefined) return () => {};
  let last = '';
  let first = true;
  const write = () => {
    const update = {
      roomId,
      name: room.session.room.roomName(),
      scene: room.scene.view.get().model?.title ?? '',
      people: room.session.status.get().peers.map((peer) => peer.name),
    };
    const key = JSON.stringify(update);
    if (key === last) return;
    last = key;
    recordVisit(storage, update, { sameVisit: !first });
    first = false;
  };
  write();
  const stops = [
    room.session.room.observeRoomName(write),
    room.scene.view.subscribe(write),
    room.session.status.subscribe(write),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
