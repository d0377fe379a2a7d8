/**
 * Owner entries (docs/roles.md MOD1-MOD3): what the owner of a protected room
 * decides, as small signed byte strings kept in the room document (root
 * `owner`, a `Y.Array<Uint8Array>`) so every peer and the server can check
 * them with the owner key the room id names, with no stored state.
 *
 *   0  version, 1
 *   1  kind: 1 = kick (body: the session's public key, 32 bytes)
 *   2  sequence, u32 little-endian (the owner's own counter: two entries differ in it)
 *   6  body
 *   .. owner signature (64) over the statement: "holoroom/owner-entry/1",
 *      the owner public key (32), then every byte of the entry before the signature
 *
 * Reading never throws: a wrong length, kind or version, or a signature the
 * room's owner key does not verify, yields a reason.
 *
 * @example
 *   const entry = await signKick(owner, 1, sessionKey);
 *   (await readOwnerEntry(ownerPublicKey, entry)).ok; // true: { kind: 'kick', session }
 */
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, sign, verify } from './ed25519.ts';
import type { RoomCredential } from './room-credential.ts';

const ENTRY_TAG = 'holoroom/owner-entry/1';
const ENTRY_VERSION = 1;
const KIND_KICK = 1;
const HEADER_BYTES = 6;
export const KICK_ENTRY_BYTES = HEADER_BYTES + PUBLIC_KEY_BYTES + SIGNATURE_BYTES;
/** MOD2: the longest entry of any kind; longer bytes are refused before anything else is looked at. */
export const MAX_OWNER_ENTRY_BYTES = KICK_ENTRY_BYTES;
/** MOD2: entries a room keeps at most; later ones are not read. */
export const MAX_OWNER_ENTRIES = 1024;

export type OwnerEntry = { kind: 'kick'; sequence: number; session: Uint8Array<ArrayBuffer> };

export type OwnerEntryRead = { ok: true; entry: OwnerEntry } | { ok: false; reason: string };

type Owner = Extract<RoomCredential, { role: 'owner' }>;

function statement(ownerPublicKey: Uint8Array, signed: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(ENTRY_TAG.length + PUBLIC_KEY_BYTES + signed.length);
  out.set(
    Array.from(ENTRY_TAG, (ch) => ch.charCodeAt(0)),
    0,
  );
  out.set(ownerPublicKey, ENTRY_TAG.length);
  out.set(signed, ENTRY_TAG.length + PUBLIC_KEY_BYTES);
  return out;
}

/** MOD1: the owner's entry removing the session whose public key is `session`. */
export async function signKick(owner: Owner, sequence: number, session: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Uint8Array(KICK_ENTRY_BYTES);
  out[0] = ENTRY_VERSION;
  out[1] = KIND_KICK;
  new DataView(out.buffer).setUint32(2, sequence >>> 0, true);
  out.set(session.subarray(0, PUBLIC_KEY_BYTES), HEADER_BYTES);
  const signedLength = KICK_ENTRY_BYTES - SIGNATURE_BYTES;
  out.set(await sign(owner.signer, statement(owner.ownerPublicKey, out.subarray(0, signedLength))), signedLength);
  return out;
}

/** MOD2: an entry read from the document (or a peer), checked against the room's owner key. Never throws. */
export async function readOwnerEntry(ownerPublicKey: Uint8Array, bytes: unknown): Promise<OwnerEntryRead> {
  if (!(bytes instanceof Uint8Array)) return { ok: false, reason: 'an owner entry is bytes' };
  if (bytes.length > MAX_OWNER_ENTRY_BYTES) {
    return { ok: false, reason: `an owner entry is at most ${MAX_OWNER_ENTRY_BYTES} bytes` };
  }
  if (bytes.length < HEADER_BYTES) return { ok: false, reason: 'an owner entry is truncated' };
  if (bytes[0] !== ENTRY_VERSION) return { ok: false, reason: 'an owner entry of an unknown version' };
  if (bytes[1] !== KIND_KICK) return { ok: false, reason: 'an owner entry of an unknown kind' };
  if (bytes.length !== KICK_ENTRY_BYTES) return { ok: false, reason: `a kick entry is ${KICK_ENTRY_BYTES} bytes` };
  const signedLength = bytes.length - SIGNATURE_BYTES;
  const signed = bytes.subarray(0, signedLength);
  const valid = await verify(ownerPublicKey, bytes.subarray(signedLength), statement(ownerPublicKey, signed));
  if (!valid) return { ok: false, reason: 'the owner signature does not verify' };
  const sequence = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(2, true);
  return { ok: true, entry: { kind: 'kick', sequence, session: bytes.slice(HEADER_BYTES, signedLength) } };
}

/** The session a kick entry names, read without any check: only to skip checking a kick already known. */
export function claimedKickSession(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length !== KICK_ENTRY_BYTES || bytes[0] !== ENTRY_VERSION || bytes[1] !== KIND_KICK) return undefined;
  return bytes.subarray(HEADER_BYTES, HEADER_BYTES + PUBLIC_KEY_BYTES);
}
