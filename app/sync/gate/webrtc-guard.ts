/**
 * Puts the update guard in front of y-webrtc. y-webrtc applies what a peer's
 * data channel delivers straight to the document; here every message is
 * inspected (and an update trial-applied by the gate) first, and dropped
 * whole if rejected (how y-webrtc's handler is reached is y-webrtc-internals.ts).
 * Messages between tabs of one browser (BroadcastChannel) come from this app's
 * own code on this device and are not judged.
 */
import * as decoding from 'lib0/decoding';
import type { WebrtcProvider } from 'y-webrtc';
import { filterRtcMessages } from '../y-webrtc-internals.ts';
import type { UpdateGate } from './update-gate.ts';
import { inspectProviderMessage, MESSAGE_SYNC, SYNC_STEP1, type Verdict } from './update-guard.ts';

type Rejection = Extract<Verdict, { ok: false }>;

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

/** Guards every current and future peer connection of `provider`; returns an unsubscribe. */
export function guardWebrtcProvider(
  provider: WebrtcProvider,
  gate: UpdateGate,
  onReject: (rejection: Rejection) => void,
): () => void {
  return filterRtcMessages(provider, (data) => {
    const verdict = judgePeerMessage(data, gate);
    if (!verdict.ok) onReject(verdict);
    return verdict.ok;
  });
}
