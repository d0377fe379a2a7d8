/**
 * Judges untrusted sync traffic before any of it touches a Y.Doc. Every peer
 * message (y-webrtc data channel) and server frame (y-websocket) passes
 * through here first; a rejected message is dropped whole, so a malformed or
 * oversized update can never half-apply to the local document.
 *
 * Functions here never throw: they return a verdict.
 *
 * @example
 *   const verdict = inspectProviderMessage(bytes);
 *   if (!verdict.ok) report(verdict.reason, verdict.message); // and drop `bytes`
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { MAX_AWARENESS_BYTES, MAX_AWARENESS_ENTRIES, MAX_UPDATE_BYTES } from '../doc/limits.ts';

/** Message types of the y-websocket / y-webrtc framing (first varUint of a message). */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/** y-webrtc only (BroadcastChannel peer ids). */
const MESSAGE_BC_PEER_ID = 4;

/** Sync sub-types (y-protocols/sync). */
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

type RejectReason = 'too-large' | 'malformed';
export type Verdict = { ok: true } | { ok: false; reason: RejectReason; message: string };

const OK: Verdict = { ok: true };
const malformed = (message: string): Verdict => ({ ok: false, reason: 'malformed', message });
const tooLarge = (message: string): Verdict => ({ ok: false, reason: 'too-large', message });

/** CAP3/CAP4: a Yjs update (v1 encoding) is accepted only if it is small enough and decodes completely. */
export function validateUpdate(update: Uint8Array, maxBytes = MAX_UPDATE_BYTES): Verdict {
  if (update.byteLength > maxBytes) {
    return tooLarge(`update of ${update.byteLength} bytes exceeds the ${maxBytes}-byte limit`);
  }
  try {
    const { structs } = Y.decodeUpdate(update);
    for (const struct of structs) {
      const end = struct.id.clock + struct.length;
      if (!Number.isSafeInteger(end) || struct.length < 0) return malformed('update has an impossible clock range');
    }
    return OK;
  } catch (error) {
    return malformed(`update does not decode: ${(error as Error).message}`);
  }
}

/** A state vector (sync step 1) must decode too: a bad one would throw inside the reply. */
function validateStateVector(vector: Uint8Array): Verdict {
  if (vector.byteLength > MAX_AWARENESS_BYTES) return tooLarge('state vector too large');
  try {
    Y.decodeStateVector(vector);
    return OK;
  } catch (error) {
    return malformed(`state vector does not decode: ${(error as Error).message}`);
  }
}

/** Inspects the body of a sync message (after its MESSAGE_SYNC type byte). */
export function inspectSyncBody(decoder: decoding.Decoder, maxUpdateBytes = MAX_UPDATE_BYTES): Verdict {
  try {
    const subtype = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    switch (subtype) {
      case SYNC_STEP1:
        return validateStateVector(payload);
      case SYNC_STEP2:
      case SYNC_UPDATE:
        return validateUpdate(payload, maxUpdateBytes);
      default:
        return malformed(`unknown sync message type ${subtype}`);
    }
  } catch {
    return malformed('truncated sync message');
  }
}

/**
 * Inspects the body of an awareness message: y-protocols would JSON.parse each
 * state and throw into the provider on bad JSON, so check that first.
 */
export function inspectAwarenessBody(decoder: decoding.Decoder): Verdict {
  try {
    const update = decoding.readVarUint8Array(decoder);
    if (update.byteLength > MAX_AWARENESS_BYTES) return tooLarge(`awareness update of ${update.byteLength} bytes`);
    const inner = decoding.createDecoder(update);
    const count = decoding.readVarUint(inner);
    if (count > MAX_AWARENESS_ENTRIES) return tooLarge(`awareness update with ${count} entries`);
    for (let i = 0; i < count; i++) {
      decoding.readVarUint(inner); // client id
      decoding.readVarUint(inner); // clock
      JSON.parse(decoding.readVarString(inner));
    }
    return OK;
  } catch {
    return malformed('awareness update does not decode');
  }
}

/** Inspects one whole provider message (y-webrtc data channel or y-websocket frame). */
export function inspectProviderMessage(message: Uint8Array, maxUpdateBytes = MAX_UPDATE_BYTES): Verdict {
  if (message.byteLength > maxUpdateBytes + 16) return tooLarge(`message of ${message.byteLength} bytes`);
  const decoder = decoding.createDecoder(message);
  let type: number;
  try {
    type = decoding.readVarUint(decoder);
  } catch {
    return malformed('empty message');
  }
  switch (type) {
    case MESSAGE_SYNC:
      return inspectSyncBody(decoder, maxUpdateBytes);
    case MESSAGE_AWARENESS:
      return inspectAwarenessBody(decoder);
    case MESSAGE_AUTH:
    case MESSAGE_QUERY_AWARENESS:
    case MESSAGE_BC_PEER_ID:
      return OK;
    default:
      return malformed(`unknown message type ${type}`);
  }
}
