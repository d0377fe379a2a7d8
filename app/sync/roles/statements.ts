/**
 * The statements roles sign (docs/roles.md, docs/history.md): the owner signs
 * an editor's capability, its owner entries (MOD1) and its history requests
 * (HIST5); a prover signs a verifier's challenge for one connection (ROLE3,
 * MOD4); a session signs the name it shows in presence (PNAME1). Each starts with its own ASCII domain tag and the owner's public key,
 * so a signature made for one can never be read as another, nor for another room.
 */
import { PUBLIC_KEY_BYTES } from './ed25519-types.ts';

const CAPABILITY_TAG = 'holoroom/editor-cap/1';
const JOIN_TAG = 'holoroom/join/1';
const SESSION_TAG = 'holoroom/session/1';
const OWNER_ENTRY_TAG = 'holoroom/owner-entry/1';
const HISTORY_TAG = 'holoroom/history/1';
const NAME_TAG = 'holoroom/name/1';
/** PNAME1: a display name is at most 32 characters (MAX_NAME_LENGTH), so at most 128 bytes of UTF-8. */
export const MAX_NAME_BYTES = 128;
export const CHALLENGE_BYTES = 32;
/** Longest text field (an audience such as "sync:<host>" or "rtc:<fingerprint>", a path), one length byte. */
const MAX_FIELD_LENGTH = 255;

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0) & 0x7f);
}

/** tag (21) | owner public key (32) | epoch u32 | editor public key (32): 89 bytes. */
export function capabilityStatement(
  ownerPublicKey: Uint8Array,
  epoch: number,
  editorPublicKey: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(CAPABILITY_TAG.length + 2 * PUBLIC_KEY_BYTES + 4);
  out.set(ascii(CAPABILITY_TAG), 0);
  out.set(ownerPublicKey, CAPABILITY_TAG.length);
  const at = CAPABILITY_TAG.length + PUBLIC_KEY_BYTES;
  new DataView(out.buffer).setUint32(at, epoch, true);
  out.set(editorPublicKey, at + 4);
  return out;
}

/**
 * tag (15) | owner public key (32) | audience length u8 | audience ASCII | challenge (32).
 * Undefined if the audience is too long or not printable ASCII.
 */
export function joinStatement(
  ownerPublicKey: Uint8Array,
  audience: string,
  challenge: Uint8Array,
): Uint8Array<ArrayBuffer> | undefined {
  return connectionStatement(JOIN_TAG, ownerPublicKey, audience, challenge);
}

/** MOD4: what a session key signs for one connection: the join statement under the tag `holoroom/session/1` (18). */
export function sessionStatement(
  ownerPublicKey: Uint8Array,
  audience: string,
  challenge: Uint8Array,
): Uint8Array<ArrayBuffer> | undefined {
  return connectionStatement(SESSION_TAG, ownerPublicKey, audience, challenge);
}

/**
 * MOD1: tag (22) | owner public key (32) | every byte of the entry before its signature.
 */
export function ownerEntryStatement(ownerPublicKey: Uint8Array, signed: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(OWNER_ENTRY_TAG.length + PUBLIC_KEY_BYTES + signed.length);
  out.set(ascii(OWNER_ENTRY_TAG), 0);
  out.set(ownerPublicKey, OWNER_ENTRY_TAG.length);
  out.set(signed, OWNER_ENTRY_TAG.length + PUBLIC_KEY_BYTES);
  return out;
}

/**
 * HIST5: tag (18) | owner public key (32) | audience length u8 | audience | path length u8 | path |
 * time u64 LE (ms since epoch) | nonce. Undefined when a field is too long or not printable ASCII,
 * or the time is not a whole number of milliseconds since 1970.
 */
export function historyStatement(
  ownerPublicKey: Uint8Array,
  audience: string,
  path: string,
  time: number,
  nonce: Uint8Array,
): Uint8Array<ArrayBuffer> | undefined {
  if (!isField(audience) || !isField(path) || !Number.isSafeInteger(time) || time < 0) return undefined;
  const out = new Uint8Array(
    HISTORY_TAG.length + PUBLIC_KEY_BYTES + 2 + audience.length + path.length + 8 + nonce.length,
  );
  let at = 0;
  out.set(ascii(HISTORY_TAG), at);
  at += HISTORY_TAG.length;
  out.set(ownerPublicKey, at);
  at += PUBLIC_KEY_BYTES;
  for (const field of [audience, path]) {
    out[at++] = field.length;
    out.set(ascii(field), at);
    at += field.length;
  }
  new DataView(out.buffer).setBigUint64(at, BigInt(time), true);
  out.set(nonce, at + 8);
  return out;
}

/**
 * PNAME1: tag (15) | owner public key (32) | session public key (32) | awareness client id u32 LE |
 * counter u32 LE | name length u8 | name UTF-8. Undefined when the name is empty or longer than
 * MAX_NAME_BYTES, or the client id or counter is not a u32.
 */
export function nameStatement(
  ownerPublicKey: Uint8Array,
  sessionPublicKey: Uint8Array,
  clientId: number,
  counter: number,
  name: string,
): Uint8Array<ArrayBuffer> | undefined {
  const utf8 = new TextEncoder().encode(name);
  if (utf8.length === 0 || utf8.length > MAX_NAME_BYTES || !isU32(clientId) || !isU32(counter)) return undefined;
  const out = new Uint8Array(NAME_TAG.length + 2 * PUBLIC_KEY_BYTES + 9 + utf8.length);
  let at = 0;
  out.set(ascii(NAME_TAG), at);
  at += NAME_TAG.length;
  out.set(ownerPublicKey, at);
  at += PUBLIC_KEY_BYTES;
  out.set(sessionPublicKey, at);
  at += PUBLIC_KEY_BYTES;
  const view = new DataView(out.buffer);
  view.setUint32(at, clientId, true);
  view.setUint32(at + 4, counter, true);
  out[at + 8] = utf8.length;
  out.set(utf8, at + 9);
  return out;
}

function isU32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

/** A text field of a statement: printable ASCII, at most MAX_FIELD_LENGTH characters (one length byte). */
function isField(text: string): boolean {
  return text.length <= MAX_FIELD_LENGTH && /^[\x20-\x7e]*$/.test(text);
}

function connectionStatement(
  tag: string,
  ownerPublicKey: Uint8Array,
  audience: string,
  challenge: Uint8Array,
): Uint8Array<ArrayBuffer> | undefined {
  if (!isField(audience)) return undefined;
  const out = new Uint8Array(tag.length + PUBLIC_KEY_BYTES + 1 + audience.length + CHALLENGE_BYTES);
  let at = 0;
  out.set(ascii(tag), at);
  at += tag.length;
  out.set(ownerPublicKey, at);
  at += PUBLIC_KEY_BYTES;
  out[at++] = audience.length;
  out.set(ascii(audience), at);
  out.set(challenge, at + audience.length);
  return out;
}
