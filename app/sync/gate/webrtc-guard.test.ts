// The y-webrtc wrapper on a stand-in provider: the real y-webrtc needs
// RTCPeerConnection (the browser test covers it on real connections), but the
// wrapping only touches `provider.room.webrtcConns[*].peer` events.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { updateMessage } from '../../../server/yjs/messages.ts';
import { UpdateGate } from './update-gate.ts';
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
});
