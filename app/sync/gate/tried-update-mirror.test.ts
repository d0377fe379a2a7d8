// TRN34: the shadow copy of the gate (update-gate.ts) integrates a peer's update once. y-webrtc
// applies what the guard passed to the document itself, and the document's update event used to
// hand that same update to the shadow a second time: for a newcomer's sync step 2 (the whole room)
// as costly as the trial. A Y.applyUpdate without our origin stands for y-webrtc's own handler.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fillLateJoinRoom } from '../../../bench/harness/sync-fixtures.ts';
import { syncStep2Message, updateMessage } from '../../../server/yjs/messages.ts';
import { RoomDoc } from '../doc/room-doc.ts';
import { UpdateGate } from './update-gate.ts';
import { judgePeerMessage } from './webrtc-guard.ts';

/** What y-webrtc's handler does with a message the guard passed: apply it, as the room (a remote origin). */
const Y_WEBRTC_ROOM = { name: 'y-webrtc room' };

function updateOf(doc: Y.Doc, edit: () => void): Uint8Array {
  let captured: Uint8Array = new Uint8Array();
  const keep = (update: Uint8Array) => {
    captured = update;
  };
  doc.on('update', keep);
  edit();
  doc.off('update', keep);
  return captured;
}

describe('the gate integrates a tried update into its shadow once', () => {
  it('[TRN34] a newcomer given the whole room integrates it in the trial only, and its shadow stays in step', () => {
    const holder = new Y.Doc();
    fillLateJoinRoom(new RoomDoc(holder));
    const newcomer = new Y.Doc();
    const gate = new UpdateGate(newcomer);
    const step2 = syncStep2Message(holder, Y.encodeStateVector(newcomer));
    expect(judgePeerMessage(step2, gate)).toEqual({ ok: true });
    Y.applyUpdate(newcomer, Y.encodeStateAsUpdate(holder), Y_WEBRTC_ROOM);
    expect(newcomer.getText('script').toString()).toBe(holder.getText('script').toString());
    // The document's update event did not go to the shadow: the trial had put it there.
    expect(gate.stats).toMatchObject({ accepted: 1, mirrored: 0, rebuilds: 0 });

    // The shadow is the document: a local edit is mirrored, and a peer's edit made on top of it
    // passes the trial without a rebuild (a shadow that lacked the room would need one).
    newcomer.getText('script').insert(0, '// mine\n');
    expect(gate.stats.mirrored).toBe(1);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(newcomer));
    const edit = updateOf(peer, () => peer.getText('script').insert(8, '// theirs\n'));
    expect(judgePeerMessage(updateMessage(edit), gate)).toEqual({ ok: true });
    Y.applyUpdate(newcomer, edit, Y_WEBRTC_ROOM);
    expect(gate.stats).toMatchObject({ accepted: 2, mirrored: 1, rebuilds: 0 });
    expect(newcomer.getText('script').toString()).toBe(peer.getText('script').toString());
    gate.destroy();
  });

  it('[TRN34] a local edit in the same step is still mirrored, and a tried update that never arrives skips nothing later', async () => {
    const doc = new Y.Doc();
    const gate = new UpdateGate(doc);
    const peer = new Y.Doc();
    const first = updateOf(peer, () => peer.getText('script').insert(0, 'abc'));
    expect(gate.check(first)).toEqual({ ok: true });
    // An observer's local write comes first (local transactions are never skipped).
    doc.getMap('objects').set('a', 1);
    expect(gate.stats.mirrored).toBe(1);
    Y.applyUpdate(doc, first, Y_WEBRTC_ROOM);
    expect(gate.stats.mirrored).toBe(1);

    // Tried, but the caller never applies it: once this step is over, a remote update is mirrored again.
    const second = updateOf(peer, () => peer.getText('script').insert(3, 'def'));
    expect(gate.check(second)).toEqual({ ok: true });
    await Promise.resolve();
    const other = new Y.Doc();
    const fromOther = updateOf(other, () => other.getMap('objects').set('b', 2));
    Y.applyUpdate(doc, fromOther, 'a provider that applies without the gate');
    expect(gate.stats.mirrored).toBe(2);
    // The shadow holds what the document holds (and the tried update): an update on top of both passes.
    Y.applyUpdate(doc, second, Y_WEBRTC_ROOM);
    const third = updateOf(peer, () => peer.getText('script').insert(6, 'ghi'));
    expect(gate.check(third)).toEqual({ ok: true });
    expect(gate.stats.rebuilds).toBe(0);
    gate.destroy();
  });
});
