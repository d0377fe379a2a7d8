/**
 * Puts the update guard in front of y-webrtc. y-webrtc applies what a peer's
 * data channel delivers straight to the document; here every message is
 * inspected (and an update trial-applied by the gate) first, and dropped
 * whole if rejected (how y-webrtc's handler is reached is y-webrtc-internals.ts).
 * Messages between tabs of one browser (BroadcastChannel) come from this app's
 * own code on this device and are not judged.
 *
 * Two more rules hold for messages from remote peers (docs/security.md SEC17):
 * the BroadcastChannel-only message (a tab's peer id) is dropped, since a
 * remote peer sending it would pose as a tab of this browser; and an update
 * with new structs under this document's own client id is refused: nobody else
 * writes as us, and accepting such structs first would split the room for good.
 */
import * as decoding from 'lib0/decoding';
import type { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { MAX_UPDATE_BYTES } from '../doc/limits.ts';
import { filterRtcMessages, type RtcPeerHandle } from '../y-webrtc-internals.ts';
import type { UpdateGate } from './update-gate.ts';
import {
  type DecodedUpdate,
  inspectProviderMessage,
  MESSAGE_BC_PEER_ID,
  MESSAGE_SYNC,
  readUpdate,
  SYNC_STEP2,
  SYNC_UPDATE,
  type Verdict,
} from './update-guard.ts';

type Rejection = Extract<Verdict, { ok: false }>;

/**
 * Judges one y-webrtc message from a remote peer: framing first, then SEC17,
 * then the gate's trial for updates.
 */
export function judgePeerMessage(message: Uint8Array, gate: UpdateGate): Verdict {
  const update = syncUpdateOf(message);
  // TRN29: an update is decoded once here, and that one reading serves every check below.
  if (update) return judgePeerUpdate(update, gate);
  const verdict = inspectProviderMessage(message);
  if (!verdict.ok) return verdict;
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) === MESSAGE_BC_PEER_ID) {
    return { ok: false, reason: 'malformed', message: 'a remote peer sent a message only tabs of this browser send' };
  }
  return verdict;
}

/** The update in a sync step 2 or sync update message; undefined for any other (or a truncated) message. */
function syncUpdateOf(message: Uint8Array): Uint8Array | undefined {
  if (message.byteLength > MAX_UPDATE_BYTES + 16) return undefined;
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return undefined;
    const subtype = decoding.readVarUint(decoder);
    if (subtype !== SYNC_STEP2 && subtype !== SYNC_UPDATE) return undefined;
    return decoding.readVarUint8Array(decoder);
  } catch {
    return undefined;
  }
}

function judgePeerUpdate(update: Uint8Array, gate: UpdateGate): Verdict {
  const read = readUpdate(update);
  if (!read.ok) return read;
  if (writesAs(gate.doc, read.decoded)) {
    return { ok: false, reason: 'malformed', message: 'a peer wrote under this peer\u2019s own client id' };
  }
  // The shadow now holds the update (unless the document held it whole); y-webrtc's own handler applies it.
  return gate.checkRead(update, read.decoded);
}

/** SEC17: does `decoded` (already validated) carry structs under `doc`'s own client id that `doc` does not have? */
function writesAs(doc: Y.Doc, { structs }: DecodedUpdate): boolean {
  const state = Y.getState(doc.store, doc.clientID);
  return structs.some((struct) => struct.id.client === doc.clientID && struct.id.clock + struct.length > state);
}

/**
 * Guards every current and future peer connection of `provider`; returns an
 * unsubscribe. `admit`, if given, sees each message first (roles in a
 * protected room, docs/roles.md ROLE6) and may drop or replace it.
 */
export function guardWebrtcProvider(
  provider: WebrtcProvider,
  gate: UpdateGate,
  onReject: (rejection: Rejection) => void,
  admit?: (data: Uint8Array, from: RtcPeerHandle) => Uint8Array | undefined,
): () => void {
  return filterRtcMessages(provider, (data, from) => {
    const admitted = admit ? admit(data, from) : data;
    if (!admitted) return undefined;
    const verdict = judgePeerMessage(admitted, gate);
    if (!verdict.ok) onReject(verdict);
    return verdict.ok ? admitted : undefined;
  });
}
