/**
 * Puts the update guard in front of y-webrtc. y-webrtc applies what a peer's
 * data channel delivers straight to the document; here every new peer
 * connection's `data` listeners are wrapped so a message is inspected (and an
 * update trial-applied by the gate) first, and dropped whole if rejected.
 *
 * y-webrtc creates a connection and emits `peers` in the same synchronous step,
 * before any data can arrive, so wrapping on `peers` never misses a message.
 * Messages between tabs of one browser (BroadcastChannel) come from this app's
 * own code on this device and are not wrapped.
 */
import * as decoding from 'lib0/decoding';
import type { WebrtcProvider } from 'y-webrtc';
import type { UpdateGate } from './update-gate.ts';
import { inspectProviderMessage, MESSAGE_SYNC, SYNC_STEP1, type Verdict } from './update-guard.ts';

type Rejection = Extract<Verdict, { ok: false }>;
type DataListener = (data: Uint8Array) => void;

/** The part of a simple-peer instance this module touches. */
interface PeerEvents {
  listeners(event: 'data'): DataListener[];
  removeAllListeners(event: 'data'): void;
  on(event: 'data', listener: DataListener): void;
}

const wrapped = new WeakSet<object>();

/** Judges one y-webrtc message: framing first, then the gate's trial for updates. */
export function judgePeerMessage(message: Uint8Array, gate: UpdateGate): Verdict {
  const verdict = inspectProviderMessage(message);
  if (!verdict.ok) return verdict;
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return verdict;
  if (decoding.readVarUint(decoder) === SYNC_STEP1) return verdict;
  // The shadow now holds the update; y-webrtc's own handler applies it to the document.
  return gate.check(decoding.readVarUint8Array(decoder));
}

function wrapPeer(peer: PeerEvents, gate: UpdateGate, onReject: (rejection: Rejection) => void): void {
  if (wrapped.has(peer)) return;
  wrapped.add(peer);
  const originals = peer.listeners('data');
  peer.removeAllListeners('data');
  peer.on('data', (data) => {
    const verdict = judgePeerMessage(data, gate);
    if (!verdict.ok) {
      onReject(verdict);
      return;
    }
    for (const listener of originals) listener.call(peer, data);
  });
}

/** Guards every current and future peer connection of `provider`; returns an unsubscribe. */
export function guardWebrtcProvider(
  provider: WebrtcProvider,
  gate: UpdateGate,
  onReject: (rejection: Rejection) => void,
): () => void {
  const sweep = () => {
    const room = provider.room;
    if (!room) return;
    for (const conn of room.webrtcConns.values()) wrapPeer(conn.peer as PeerEvents, gate, onReject);
  };
  provider.on('peers', sweep);
  sweep();
  return () => provider.off('peers', sweep);
}
