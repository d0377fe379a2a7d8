/**
 * HIST7 (docs/history.md): restoring a snapshot is an ordinary edit of the
 * room document, so every peer converges to it, including one that was
 * offline during the wipe and the restore; one that also edited offline keeps
 * its edit, merged by Yjs's rules. Three documents exchange updates by hand.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { objectId } from '../../core/ids.ts';
import { RoomDoc } from './room-doc.ts';

const SCRIPT = 'composition "Kept" {\n  object "Crate" { geometry: "box" }\n}\n';
const crate = objectId('Crate');
const lamp = objectId('Lamp');
const moved = { position: [1, 2, 3], rotation: [0, 90, 0], scale: [1, 1, 1] } as {
  position: [number, number, number];
  rotation: [number, number, number];
  scale: [number, number, number];
};

/** Brings every document up to date with every other one. */
function sync(...docs: Y.Doc[]): void {
  for (const from of docs) {
    for (const to of docs) if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
  }
}

/** What a peer shows: script, object states (without their write times) and name. */
function contentOf(doc: Y.Doc) {
  const room = new RoomDoc(doc);
  const objects = [...room.allObjectStates()].map(([id, state]) => [
    id,
    state.transform,
    state.owner,
    [...state.state],
    [...state.props],
  ]);
  return { script: room.scriptText(), objects, name: room.roomName() };
}

/** Owner, wiper and a third peer share a room with a script, two objects and a name. */
function sharedRoom() {
  const [owner, wiper, offline] = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  const room = new RoomDoc(owner);
  room.replaceScript(SCRIPT);
  room.setTransform(crate, moved);
  room.setStateValue(crate, 'clicks', 3);
  room.setOwner(crate, 7 as never);
  room.setPropValue(lamp, 'color', '#ffd166');
  room.setRoomName('Kept room');
  sync(owner, wiper, offline);
  const snapshot = Y.encodeStateAsUpdate(wiper); // what the server keeps (HIST2)
  return { owner, wiper, offline, snapshot };
}

function wipe(doc: Y.Doc): void {
  const room = new RoomDoc(doc);
  room.replaceScene('');
  room.setRoomName('');
}

describe('restoring a snapshot', () => {
  it('[HIST7] brings a wiped room back on every peer, one that was offline throughout included', () => {
    const { owner, wiper, offline, snapshot } = sharedRoom();
    const expected = contentOf(owner);
    wipe(wiper);
    sync(owner, wiper); // the offline peer hears nothing
    expect(contentOf(owner).script).toBe('');
    expect(new RoomDoc(owner).restore(snapshot)).toEqual({ ok: true });
    sync(owner, wiper);
    sync(owner, wiper, offline); // it comes back
    // Nobody holds anything after a restore; everything else is as it was.
    const restored = expected.objects.map((o) => (o[0] === 'Crate' ? [o[0], o[1], null, o[3], o[4]] : o));
    for (const doc of [owner, wiper, offline]) {
      expect(contentOf(doc)).toEqual({ script: SCRIPT, objects: restored, name: 'Kept room' });
    }
  });

  it('[HIST7] an offline peer that edited keeps its edit: its new line is merged into the restored room', () => {
    const { owner, wiper, offline, snapshot } = sharedRoom();
    wipe(wiper);
    sync(owner, wiper);
    new RoomDoc(owner).restore(snapshot);
    sync(owner, wiper);
    const offlineRoom = new RoomDoc(offline);
    offlineRoom.editScript(offlineRoom.scriptLength, 0, '// added offline\n');
    sync(owner, wiper, offline);
    const scripts = [owner, wiper, offline].map((doc) => new RoomDoc(doc).scriptText());
    expect(new Set(scripts).size).toBe(1);
    // The restored copy once, and the offline line once, wherever Yjs places it.
    expect(scripts[0]?.split('\n').sort()).toEqual(`${SCRIPT}// added offline\n`.split('\n').sort());
  });

  it('[HIST7] changes only what differs: restoring an unchanged room writes nothing', () => {
    const { owner, snapshot } = sharedRoom();
    const room = new RoomDoc(owner);
    room.setOwner(crate, null);
    room.editScript(SCRIPT.indexOf('box'), 3, 'ball');
    const updates: Uint8Array[] = [];
    owner.on('update', (update: Uint8Array) => updates.push(update));
    room.restore(snapshot);
    expect(room.scriptText()).toBe(SCRIPT);
    // Only the changed word travels: the rest of the script keeps its identity.
    expect(Y.decodeUpdate(updates[0] as Uint8Array).structs.length).toBeLessThanOrEqual(2);
    updates.length = 0;
    room.restore(snapshot);
    expect(updates).toHaveLength(0);
  });

  it('[HIST7] a damaged snapshot changes nothing and says so', () => {
    const { owner } = sharedRoom();
    const before = contentOf(owner);
    const result = new RoomDoc(owner).restore(new Uint8Array([1, 2, 3, 250, 251]));
    expect(result).toEqual({ ok: false, error: 'This snapshot is damaged and cannot be restored.' });
    expect(contentOf(owner)).toEqual(before);
  });
});
