/**
 * Room documents for tests, which play the providers' part: `docOf(room)` is
 * the Y.Doc behind a RoomDoc opened here, to exchange updates between copies
 * or to write what a peer might (RoomDoc itself keeps its Yjs types private).
 */
import * as Y from 'yjs';
import { RoomDoc } from '../../app/sync/doc/room-doc.ts';

const docs = new WeakMap<RoomDoc, Y.Doc>();

export function openRoomDoc(doc = new Y.Doc()): RoomDoc {
  const room = new RoomDoc(doc);
  docs.set(room, doc);
  return room;
}

export function docOf(room: RoomDoc): Y.Doc {
  const doc = docs.get(room);
  if (!doc) throw new Error('docOf: this RoomDoc was not opened with openRoomDoc');
  return doc;
}

/** What a peer could write into the objects map, bypassing RoomDoc's checks. */
export function rawObjects(room: RoomDoc): Y.Map<Y.Map<unknown>> {
  return docOf(room).getMap<Y.Map<unknown>>('objects');
}
