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
import { parseJsonLimited } from '../../core/safe-json.ts';
import {
  MAX_AWARENESS_BYTES,
  MAX_AWARENESS_ENTRIES,
  MAX_PRESENCE_JSON_DEPTH,
  MAX_UPDATE_BYTES,
  MAX_UPDATE_CLIENTS,
  MAX_UPDATE_STRUCTS,
  OBJECT_STATES_HARD_MAX,
  SCRIPT_HARD_MAX_CHARS,
} from '../doc/limits.ts';

/** Message types of the y-websocket / y-webrtc framing (first varUint of a message). */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/** y-webrtc only (BroadcastChannel peer ids). */
export const MESSAGE_BC_PEER_ID = 4;

/** Sync sub-types (y-protocols/sync). */
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

type RejectReason = 'too-large' | 'malformed';
export type Verdict = { ok: true } | { ok: false; reason: RejectReason; message: string };

const OK: Verdict = { ok: true };
type Rejection = Extract<Verdict, { ok: false }>;
const malformed = (message: string): Rejection => ({ ok: false, reason: 'malformed', message });
const tooLarge = (message: string): Rejection => ({ ok: false, reason: 'too-large', message });

/** A Yjs update decoded once (v1 encoding), for every later judgement of it. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/**
 * CAP3/CAP4: a Yjs update (v1 encoding) is accepted only if it is small enough,
 * decodes completely and stays within the work one update may cause (CAP5:
 * structs and client ids per update).
 */
export function validateUpdate(update: Uint8Array, maxBytes = MAX_UPDATE_BYTES): Verdict {
  const read = readUpdate(update, maxBytes);
  return read.ok ? OK : read;
}

/**
 * `validateUpdate` that hands back what it decoded (TRN29: a 152 KB update is
 * decoded once per message, not once per check).
 */
export function readUpdate(
  update: Uint8Array,
  maxBytes = MAX_UPDATE_BYTES,
): { ok: true; decoded: DecodedUpdate } | Rejection {
  if (update.byteLength > maxBytes) {
    return tooLarge(`update of ${update.byteLength} bytes exceeds the ${maxBytes}-byte limit`);
  }
  try {
    const decoded = Y.decodeUpdate(update);
    const { structs, ds } = decoded;
    for (const ranges of ds.clients.values()) {
      for (const range of ranges) {
        // Yjs re-encodes pending deletions and throws on an empty range.
        if (range.len <= 0 || !Number.isSafeInteger(range.clock + range.len)) {
          return malformed('update has an impossible delete range');
        }
      }
    }
    if (structs.length > MAX_UPDATE_STRUCTS) return tooLarge(`update with ${structs.length} structs`);
    const clients = new Set<number>();
    for (const struct of structs) {
      const end = struct.id.clock + struct.length;
      if (!Number.isSafeInteger(end) || struct.length < 0) return malformed('update has an impossible clock range');
      // CAP4: a struct can only refer to earlier structs of its own client; Yjs
      // trusts that and throws halfway through integration when it is false.
      if (struct instanceof Y.Item && !ownReferencesAreEarlier(struct)) {
        return malformed('update refers to a later struct of the same client');
      }
      clients.add(struct.id.client);
    }
    if (clients.size > MAX_UPDATE_CLIENTS) return tooLarge(`update from ${clients.size} client ids`);
    return { ok: true, decoded };
  } catch (error) {
    return malformed(`update does not decode: ${(error as Error).message}`);
  }
}

/**
 * TRN29: does `doc` already hold everything `decoded` carries? True when every
 * struct and every deletion lies within the document's state vector, so
 * applying it adds no struct and leaves nothing pending (y-webrtc sends every
 * update to every peer, so a newcomer sends the whole document it was just
 * given straight back to the peer that gave it).
 */
export function holdsAll(doc: Y.Doc, { structs, ds }: DecodedUpdate): boolean {
  for (const struct of structs) {
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return false;
  }
  for (const [client, ranges] of ds.clients) {
    const state = Y.getState(doc.store, client);
    for (const range of ranges) if (range.clock + range.len > state) return false;
  }
  return true;
}

function ownReferencesAreEarlier(item: Y.Item): boolean {
  const { client, clock } = item.id;
  for (const ref of [item.origin, item.rightOrigin, item.parent]) {
    if (ref instanceof Y.ID && ref.client === client && ref.clock >= clock) return false;
  }
  return true;
}

/**
 * CAP6: refuses an update (already validated) that would take the room's
 * script past SCRIPT_HARD_MAX_CHARS or its object states past
 * OBJECT_STATES_HARD_MAX. Judged from the update and the document alone,
 * before anything is applied: every new string counts towards the script (the
 * script is the document's only text), and every new key of `objects`
 * towards the objects. Roots are named here as in room-doc.ts.
 */
export function judgeGrowth(doc: Y.Doc, update: Uint8Array | DecodedUpdate): Verdict {
  let structs: DecodedUpdate['structs'];
  try {
    structs = (update instanceof Uint8Array ? Y.decodeUpdate(update) : update).structs;
  } catch {
    return malformed('update does not decode');
  }
  const objects = doc.getMap('objects');
  let chars = 0;
  const newKeys = new Set<string>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const seen = Y.getState(doc.store, struct.id.client);
    if (struct.id.clock + struct.length <= seen) continue;
    if (struct.content instanceof Y.ContentString) chars += struct.content.str.length;
    if (
      // A decoded struct names a root parent by its name (a string, untyped in Yjs).
      (struct.parent as unknown) === 'objects' &&
      typeof struct.parentSub === 'string' &&
      struct.origin === null &&
      !objects.has(struct.parentSub)
    ) {
      newKeys.add(struct.parentSub);
    }
  }
  if (chars > 0 && doc.getText('script').length + chars > SCRIPT_HARD_MAX_CHARS) {
    return tooLarge('update would grow the script past its hard limit');
  }
  if (newKeys.size > 0 && objects.size + newKeys.size > OBJECT_STATES_HARD_MAX) {
    return tooLarge('update would add object states past their hard limit');
  }
  return OK;
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
      // Presence is relayed and re-encoded: deep nesting would overflow JSON.stringify there.
      const parsed = parseJsonLimited(decoding.readVarString(inner), {
        maxDepth: MAX_PRESENCE_JSON_DEPTH,
        maxLength: MAX_AWARENESS_BYTES,
      });
      if (!parsed.ok) return malformed(`presence state is ${parsed.error}`);
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
