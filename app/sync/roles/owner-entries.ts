/**
 * Owner entries (docs/roles.md MOD1-MOD3): what the owner of a protected room
 * decides, as small signed byte strings kept in the room document (root
 * `owner`, a `Y.Array<Uint8Array>`) so every peer and the server can check
 * them with the owner key the room id names, with no stored state.
 *
 *   0  version, 1
 *   1  kind: 1 = kick (body: the session's public key, 32 bytes),
 *            2 = editor epoch (body: the epoch, u32 little-endian),
 *            3 = voice mute (body: the session's public key, 32 bytes, then 1 = muted or 0 = unmuted),
 *            4 = room settings (body: flags, u32 little-endian; bit 0 = viewers may grab)
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
 *   await signEditorEpoch(owner, 2, 1);                // editor links of epoch 0 stop working
 *   await signVoiceMute(owner, 3, sessionKey, true);   // nobody plays that session's voice (MOD6)
 */
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, sign, verify } from './ed25519.ts';
import type { RoomCredential } from './room-credential.ts';
import type { RoomSettings } from './room-settings.ts';
import { ownerEntryStatement } from './statements.ts';

const ENTRY_VERSION = 1;
const KIND_KICK = 1;
const KIND_EDITOR_EPOCH = 2;
const KIND_VOICE_MUTE = 3;
const KIND_SETTINGS = 4;
/** ROLE11: the settings entry's flag letting viewers grab; the other bits are not known yet and refused. */
const FLAG_VIEWERS_MAY_GRAB = 1;
const KNOWN_FLAGS = FLAG_VIEWERS_MAY_GRAB;
const HEADER_BYTES = 6;
export const KICK_ENTRY_BYTES = HEADER_BYTES + PUBLIC_KEY_BYTES + SIGNATURE_BYTES;
export const EPOCH_ENTRY_BYTES = HEADER_BYTES + 4 + SIGNATURE_BYTES;
export const MUTE_ENTRY_BYTES = HEADER_BYTES + PUBLIC_KEY_BYTES + 1 + SIGNATURE_BYTES;
export const SETTINGS_ENTRY_BYTES = HEADER_BYTES + 4 + SIGNATURE_BYTES;
/** MOD2: the longest entry of any kind; longer bytes are refused before anything else is looked at. */
export const MAX_OWNER_ENTRY_BYTES = Math.max(KICK_ENTRY_BYTES, EPOCH_ENTRY_BYTES, MUTE_ENTRY_BYTES);
/** The length each kind's entries must have. */
const ENTRY_BYTES: Readonly<Record<number, { bytes: number; name: string }>> = {
  [KIND_KICK]: { bytes: KICK_ENTRY_BYTES, name: 'a kick entry' },
  [KIND_EDITOR_EPOCH]: { bytes: EPOCH_ENTRY_BYTES, name: 'an editor epoch entry' },
  [KIND_VOICE_MUTE]: { bytes: MUTE_ENTRY_BYTES, name: 'a voice mute entry' },
  [KIND_SETTINGS]: { bytes: SETTINGS_ENTRY_BYTES, name: 'a settings entry' },
};

/** MOD2: entries a room keeps at most; later ones are not read. */
export const MAX_OWNER_ENTRIES = 1024;

export type OwnerEntry =
  | { kind: 'kick'; sequence: number; session: Uint8Array<ArrayBuffer> }
  | { kind: 'editor-epoch'; sequence: number; epoch: number }
  | { kind: 'voice-mute'; sequence: number; session: Uint8Array<ArrayBuffer>; muted: boolean }
  | { kind: 'settings'; sequence: number; settings: RoomSettings };

export type OwnerEntryRead = { ok: true; entry: OwnerEntry } | { ok: false; reason: string };

type Owner = Extract<RoomCredential, { role: 'owner' }>;

async function signEntry(
  owner: Owner,
  kind: number,
  sequence: number,
  body: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Uint8Array(HEADER_BYTES + body.length + SIGNATURE_BYTES);
  out[0] = ENTRY_VERSION;
  out[1] = kind;
  new DataView(out.buffer).setUint32(2, sequence >>> 0, true);
  out.set(body, HEADER_BYTES);
  const signedLength = HEADER_BYTES + body.length;
  out.set(
    await sign(owner.signer, ownerEntryStatement(owner.ownerPublicKey, out.subarray(0, signedLength))),
    signedLength,
  );
  return out;
}

/** MOD1: the owner's entry removing the session whose public key is `session`. */
export function signKick(owner: Owner, sequence: number, session: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return signEntry(owner, KIND_KICK, sequence, session.subarray(0, PUBLIC_KEY_BYTES));
}

/** ROT1: the owner's entry "editor links older than `epoch` no longer work". */
export function signEditorEpoch(owner: Owner, sequence: number, epoch: number): Promise<Uint8Array<ArrayBuffer>> {
  const body = new Uint8Array(4);
  new DataView(body.buffer).setUint32(0, epoch >>> 0, true);
  return signEntry(owner, KIND_EDITOR_EPOCH, sequence, body);
}

/**
 * MOD6: the owner's entry muting (`muted`) or unmuting the voice of the session
 * whose public key is `session` for everyone; of two entries for one session
 * the higher sequence wins.
 */
export function signVoiceMute(
  owner: Owner,
  sequence: number,
  session: Uint8Array,
  muted: boolean,
): Promise<Uint8Array<ArrayBuffer>> {
  const body = new Uint8Array(PUBLIC_KEY_BYTES + 1);
  body.set(session.subarray(0, PUBLIC_KEY_BYTES));
  body[PUBLIC_KEY_BYTES] = muted ? 1 : 0;
  return signEntry(owner, KIND_VOICE_MUTE, sequence, body);
}

/** ROLE11: the owner's entry setting what the room lets everyone do; the higher sequence wins. */
export function signRoomSettings(
  owner: Owner,
  sequence: number,
  settings: RoomSettings,
): Promise<Uint8Array<ArrayBuffer>> {
  const body = new Uint8Array(4);
  new DataView(body.buffer).setUint32(0, settings.viewersMayGrab ? FLAG_VIEWERS_MAY_GRAB : 0, true);
  return signEntry(owner, KIND_SETTINGS, sequence, body);
}

/** MOD2: an entry read from the document (or a peer), checked against the room's owner key. Never throws. */
export async function readOwnerEntry(ownerPublicKey: Uint8Array, bytes: unknown): Promise<OwnerEntryRead> {
  if (!(bytes instanceof Uint8Array)) return { ok: false, reason: 'an owner entry is bytes' };
  if (bytes.length > MAX_OWNER_ENTRY_BYTES) {
    return { ok: false, reason: `an owner entry is at most ${MAX_OWNER_ENTRY_BYTES} bytes` };
  }
  if (bytes.length < HEADER_BYTES) return { ok: false, reason: 'an owner entry is truncated' };
  if (bytes[0] !== ENTRY_VERSION) return { ok: false, reason: 'an owner entry of an unknown version' };
  const expected = ENTRY_BYTES[bytes[1] ?? 0];
  if (!expected) return { ok: false, reason: 'an owner entry of an unknown kind' };
  if (bytes.length !== expected.bytes) return { ok: false, reason: `${expected.name} is ${expected.bytes} bytes` };
  if (bytes[1] === KIND_VOICE_MUTE && (bytes[HEADER_BYTES + PUBLIC_KEY_BYTES] ?? 2) > 1) {
    return { ok: false, reason: 'a voice mute entry says 0 (unmuted) or 1 (muted)' };
  }
  if (
    bytes[1] === KIND_SETTINGS &&
    (new DataView(bytes.buffer, bytes.byteOffset).getUint32(HEADER_BYTES, true) & ~KNOWN_FLAGS) !== 0
  ) {
    return { ok: false, reason: 'a settings entry with settings this version does not know' };
  }
  const signedLength = bytes.length - SIGNATURE_BYTES;
  const signed = bytes.subarray(0, signedLength);
  const valid = await verify(ownerPublicKey, bytes.subarray(signedLength), ownerEntryStatement(ownerPublicKey, signed));
  if (!valid) return { ok: false, reason: 'the owner signature does not verify' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const sequence = view.getUint32(2, true);
  if (bytes[1] === KIND_EDITOR_EPOCH) {
    return { ok: true, entry: { kind: 'editor-epoch', sequence, epoch: view.getUint32(HEADER_BYTES, true) } };
  }
  if (bytes[1] === KIND_SETTINGS) {
    const flags = view.getUint32(HEADER_BYTES, true);
    return {
      ok: true,
      entry: { kind: 'settings', sequence, settings: { viewersMayGrab: (flags & FLAG_VIEWERS_MAY_GRAB) !== 0 } },
    };
  }
  if (bytes[1] === KIND_VOICE_MUTE) {
    const session = bytes.slice(HEADER_BYTES, HEADER_BYTES + PUBLIC_KEY_BYTES);
    return { ok: true, entry: { kind: 'voice-mute', sequence, session, muted: bytes[signedLength - 1] === 1 } };
  }
  return { ok: true, entry: { kind: 'kick', sequence, session: bytes.slice(HEADER_BYTES, signedLength) } };
}

/** The session a kick entry names, read without any check: only to skip checking a kick already known. */
export function claimedKickSession(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length !== KICK_ENTRY_BYTES || bytes[0] !== ENTRY_VERSION || bytes[1] !== KIND_KICK) return undefined;
  return bytes.subarray(HEADER_BYTES, HEADER_BYTES + PUBLIC_KEY_BYTES);
}
