/**
 * HIST1, HIST2 (docs/history.md): when the server keeps a snapshot, decided
 * by RoomSnapshots on real Yjs updates, with a sink that records what it keeps.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { objectId } from '../../app/core/ids.ts';
import { RoomDoc } from '../../app/sync/doc/room-doc.ts';
import { createLogger } from '../log.ts';
import type { SnapshotReason } from './room-history.ts';
import { RoomSnapshots } from './room-snapshots.ts';

const quiet = createLogger('error', () => {});
const policy = { everyMs: 1_000, keepPeriodic: 24, keepWipes: 8, maxAgeMs: 60_000, maxBytesPerRoom: 1 << 20 };
const people = () => ({ present: ['Ann'], by: [] });

/** A server-side room and the snapshots it decided to keep, with a clock the test moves. */
function serverRoom() {
  const doc = new Y.Doc();
  const kept: { reason: SnapshotReason; script: string }[] = [];
  const clock = { now: 0 };
  const sink = {
    keepSnapshot(_room: string, snapshot: Uint8Array, reason: SnapshotReason) {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, snapshot);
      kept.push({ reason, script: copy.getText('script').toString() });
      return kept.length;
    },
    newestSnapshotAt: () => undefined,
  };
  const snapshots = new RoomSnapshots('room', sink, policy, quiet, () => clock.now);
  /** Applies what `edit` does on a client as the server would: decide, apply, decide again. */
  const receive = (client: Y.Doc, edit: (room: RoomDoc) => void) => {
    const updates: Uint8Array[] = [];
    const listener = (update: Uint8Array) => updates.push(update);
    client.on('update', listener);
    edit(new RoomDoc(client));
    client.off('update', listener);
    for (const update of updates) {
      const candidate = snapshots.beforeUpdate(doc, update, people);
      Y.applyUpdate(doc, update);
      if (candidate) snapshots.afterUpdate(doc, candidate, people());
    }
  };
  return { doc, kept, clock, receive };
}

const SCRIPT = 'composition "Kept" {\n  object "Crate" { geometry: "box" }\n}\n';

describe('when a room is snapshotted', () => {
  it('[HIST2] a wipe of the script or of most objects keeps the room as it was; deleting a line does not', () => {
    const { kept, receive } = serverRoom();
    const client = new Y.Doc();
    receive(client, (room) => room.replaceScript(SCRIPT));
    receive(client, (room) => room.editScript(0, 11)); // a line of many
    expect(kept).toEqual([]);
    receive(client, (room) => room.replaceScript(''));
    expect(kept).toEqual([{ reason: 'wipe', script: SCRIPT.slice(11) }]);
    receive(client, (room) => room.replaceScript(SCRIPT));
    receive(client, (room) => {
      for (let i = 0; i < 6; i++) room.setOwner(objectId(`o${i}`), null);
    });
    receive(client, (room) =>
      room.transact(() => {
        for (let i = 0; i < 4; i++) room.removeObjectState(objectId(`o${i}`));
      }),
    );
    expect(kept.map((k) => k.reason)).toEqual(['wipe', 'wipe']);
  });

  it('[HIST1] at most one periodic snapshot per interval while the room changes, of the room before the change', () => {
    const { kept, clock, receive } = serverRoom();
    const client = new Y.Doc();
    receive(client, (room) => room.replaceScript('one')); // an empty room starts the clock
    clock.now = 500;
    receive(client, (room) => room.editScript(3, 0, ' two'));
    clock.now = 1_000;
    receive(client, (room) => room.editScript(7, 0, ' three'));
    receive(client, (room) => room.editScript(13, 0, ' four'));
    expect(kept).toEqual([{ reason: 'periodic', script: 'one two' }]);
  });

  it('[HIST2] an update deletes nothing exactly when its last byte is 0 (the cheap check), over seeded random edits', () => {
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    const text = doc.getText('script');
    const map = doc.getMap('objects');
    for (let i = 0; i < 2_000; i++) {
      const at = Math.floor(random() * (text.length + 1));
      const pick = random();
      if (pick < 0.5) text.insert(at, 'ab\u{1F600}'.slice(0, 1 + Math.floor(random() * 4)));
      else if (pick < 0.8 && text.length > at)
        text.delete(at, Math.min(text.length - at, 1 + Math.floor(random() * 300)));
      else if (pick < 0.95) map.set(`k${Math.floor(random() * 40)}`, i);
      else map.delete(`k${Math.floor(random() * 40)}`);
    }
    for (const update of updates) {
      const deletes = Y.decodeUpdate(update).ds.clients.size > 0;
      expect(update[update.length - 1] === 0).toBe(!deletes);
    }
  });
});
