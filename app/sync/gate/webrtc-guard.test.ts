// The y-webrtc wrapper on a stand-in provider: the real y-webrtc needs
// RTCPeerConnection (the browser test covers it on real connections), but the
// wrapping only touches `provider.room.webrtcConns[*].peer` events.
import { EventEmitter } from 'node:events';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import type { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { updateMessage } from '../../../server/yjs/messages.ts';
import { UpdateGate } from './update-gate.ts';
import { MESSAGE_BC_PEER_ID } from './update-guard.ts';
import { guardWebrtcProvider } from './webrtc-guard.ts';

function fakeProvider() {
  const events = new EventEmitter();
  const webrtcConns = new Map<string, { peer: EventEmitter }>();
  const provider = {
    room: { webrtcConns },
    on: (event: string, fn: () => void) => events.on(event, fn),
    off: (event: string, fn: () => void) => events.off(event, fn),
  };
  /** What y-webrtc does: create the connection with its own data listener, then emit `peers`. */
  const addPeer = (id: string, received: Uint8Array[]) => {
    const peer = new EventEmitter();
    peer.on('data', (data: Uint8Array) => received.push(data));
    webrtcConns.set(id, { peer });
    events.emit('peers');
    return peer;
  };
  return { provider: provider as unknown as WebrtcProvider, addPeer };
}

describe('y-webrtc guard', () => {
  it('[CAP4] passes good messages to y-webrtc and drops bad ones whole, reporting them', () => {
    const doc = new Y.Doc();
    const gate = new UpdateGate(doc);
    const rejected: string[] = [];
    const { provider, addPeer } = fakeProvider();
    const stop = guardWebrtcProvider(provider, gate, (verdict) => rejected.push(verdict.reason));
    const received: Uint8Array[] = [];
    const peer = addPeer('p1', received);

    const source = new Y.Doc();
    source.getText('script').insert(0, 'hello');
    const good = updateMessage(Y.encodeStateAsUpdate(source));
    peer.emit('data', good);
    peer.emit('data', updateMessage(new Uint8Array([1, 1, 200, 200])));
    peer.emit('data', new Uint8Array(5 * 1024 * 1024));

    expect(received).toEqual([good]);
    expect(rejected).toEqual(['malformed', 'too-large']);
    // Later peers are wrapped too, and a peer is never wrapped twice.
    const later: Uint8Array[] = [];
    const second = addPeer('p2', later);
    second.emit('data', new Uint8Array([42]));
    expect(later).toEqual([]);
    expect(peer.listenerCount('data')).toBe(1);
    stop();
    gate.destroy();
  });

  it('[SEC17] drops the tabs-only peer-id message and updates written under this peer\u2019s own client id', () => {
    const doc = new Y.Doc();
    doc.getText('script').insert(0, 'mine');
    const gate = new UpdateGate(doc);
    const rejected: string[] = [];
    const { provider, addPeer } = fakeProvider();
    const stop = guardWebrtcProvider(provider, gate, (verdict) => rejected.push(verdict.message));
    const received: Uint8Array[] = [];
    const peer = addPeer('p1', received);

    // y-webrtc's BroadcastChannel peer-id message (type 4), from across the network.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_BC_PEER_ID);
    encoding.writeUint8(encoder, 1);
    encoding.writeVarString(encoder, 'pretend-tab');
    peer.emit('data', encoding.toUint8Array(encoder));

    // A forger writes this peer's next clock first.
    const forger = new Y.Doc();
    Y.applyUpdate(forger, Y.encodeStateAsUpdate(doc));
    forger.clientID = doc.clientID;
    const forged: Uint8Array[] = [];
    forger.on('update', (update: Uint8Array) => forged.push(update));
    forger.getText('script').insert(4, ' EVIL');
    for (const update of forged) peer.emit('data', updateMessage(update));

    // Our own old structs coming back (a peer relaying what we wrote) are fine.
    const echo = updateMessage(Y.encodeStateAsUpdate(doc));
    peer.emit('data', echo);

    expect(received).toEqual([echo]);
    expect(rejected).toEqual([
      'a remote peer sent a message only tabs of this browser send',
      'a peer wrote under this peer\u2019s own client id',
    ]);
    doc.getText('script').insert(4, ' own');
    expect(doc.getText('script').toString()).toBe('mine own');
    stop();
    gate.destroy();
  });
});
