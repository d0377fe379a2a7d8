// TRN29: what the gate does with a peer's whole document. Yjs' own functions
// are wrapped (not replaced) to count how often an update is decoded outside
// Yjs' integration, which calls its internals directly.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { fillLateJoinRoom } from '../../../bench/harness/sync-fixtures.ts';
import { syncStep2Message, updateMessage } from '../../../server/yjs/messages.ts';
import { RoomDoc } from '../doc/room-doc.ts';
import { UpdateGate } from './update-gate.ts';
import { judgePeerMessage } from './webrtc-guard.ts';

vi.mock('yjs', async (original) => {
  const yjs = await original<typeof import('yjs')>();
  return { ...yjs, decodeUpdate: vi.fn(yjs.decodeUpdate), parseUpdateMeta: vi.fn(yjs.parseUpdateMeta) };
});

/** Decodes of an update by the gate (Yjs' integration does not go through these). */
const decodes = () => vi.mocked(Y.decodeUpdate).mock.calls.length + vi.mocked(Y.parseUpdateMeta).mock.calls.length;

/** A member holding the late-join room (1000 lines, 500 object states, about 152 KB). */
function member(): Y.Doc {
  const doc = new Y.Doc();
  fillLateJoinRoom(new RoomDoc(doc));
  return doc;
}

afterEach(() => vi.clearAllMocks());

describe('a peer sends the whole document', () => {
  it('[TRN29] a newcomer judges the sync step 2 it is given with one decode of the update', () => {
    const holder = member();
    const newcomer = new Y.Doc();
    const gate = new UpdateGate(newcomer);
    const step2 = syncStep2Message(holder, Y.encodeStateVector(newcomer));
    vi.clearAllMocks();
    expect(judgePeerMessage(step2, gate)).toEqual({ ok: true });
    expect(decodes()).toBe(1);
    expect(gate.stats).toMatchObject({ accepted: 1, held: 0 });
    // The trial ran: the shadow holds the document before the document does.
    Y.applyUpdate(newcomer, Y.encodeStateAsUpdate(holder));
    expect(newcomer.getText('script').toString()).toBe(holder.getText('script').toString());
    gate.destroy();
  });

  it('[TRN29] the document echoed back by the newcomer passes without a trial, and later updates still trial', () => {
    const holder = member();
    const gate = new UpdateGate(holder);
    const newcomer = new Y.Doc();
    Y.applyUpdate(newcomer, Y.encodeStateAsUpdate(holder));
    // y-webrtc sends every update to every peer: the newcomer's copy of the whole document comes back.
    const echo = updateMessage(Y.encodeStateAsUpdate(newcomer));
    vi.clearAllMocks();
    expect(judgePeerMessage(echo, gate)).toEqual({ ok: true });
    expect(decodes()).toBe(1);
    expect(gate.stats).toMatchObject({ accepted: 1, held: 1, rebuilds: 0 });

    // A deletion of what the holder has is held too; the shadow follows the document's own update.
    let deletion: Uint8Array = new Uint8Array();
    newcomer.once('update', (update: Uint8Array) => {
      deletion = update;
    });
    newcomer.getText('script').delete(0, 10);
    expect(judgePeerMessage(updateMessage(deletion), gate)).toEqual({ ok: true });
    expect(gate.stats.held).toBe(2);
    Y.applyUpdate(holder, deletion);
    // The newcomer's next edit depends on that deletion: it needs the trial, and the shadow must agree.
    let insert: Uint8Array = new Uint8Array();
    newcomer.once('update', (update: Uint8Array) => {
      insert = update;
    });
    newcomer.getText('script').insert(0, 'x');
    expect(judgePeerMessage(updateMessage(insert), gate)).toEqual({ ok: true });
    expect(gate.stats).toMatchObject({ accepted: 3, held: 2, rebuilds: 0 });
    Y.applyUpdate(holder, insert);
    expect(holder.getText('script').toString()).toBe(newcomer.getText('script').toString());
    gate.destroy();
  });

  it('[TRN29] an update beyond what the document holds is not passed as held', () => {
    const holder = member();
    const gate = new UpdateGate(holder);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(holder));
    other.getMap('objects').set('new-object', new Y.Map());
    // The whole document again, with one struct the holder lacks.
    expect(judgePeerMessage(updateMessage(Y.encodeStateAsUpdate(other)), gate)).toEqual({ ok: true });
    expect(gate.stats).toMatchObject({ accepted: 1, held: 0 });
    gate.destroy();
  });
});
