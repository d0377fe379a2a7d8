/**
 * The two statements roles sign (docs/roles.md): the owner signs an editor's
 * capability, and a prover signs a verifier's challenge for one connection.
 * Each starts with its own ASCII domain tag, so a signature made for one can
 * never be read as the other.
 */
import { PUBLIC_KEY_BYTES } from './ed25519.ts';

const CAPABILITY_TAG = 'holoroom/editor-cap/1';
const JOIN_TAG = 'holoroom/join/1';
const SESSION_TAG = 'holoroom/session/1';
export const CHALLENGE_BYTES = 32;
/** Longest audience ("sync:<host>" or "rtc:<fingerprint>"), one length byte. */
const MAX_AUDIENCE_LENGTH = 255;

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

function connectionStatement(
  tag: string,
  ownerPublicKey: Uint8Array,
  audience: string,
  challenge: Uint8Array,
): Uint8Array<ArrayBuffer> | undefined {
  if (audience.length > MAX_AUDIENCE_LENGTH || !/^[\x20-\x7e]*$/.test(audience)) return undefined;
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
