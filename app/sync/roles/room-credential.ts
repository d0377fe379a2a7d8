/**
 * Protected rooms and the credentials their links carry (docs/roles.md,
 * ROLE1, ROLE2): the room id is the owner's public key; `#owner=` holds the
 * owner's private seed, `#editor=` an editor capability signed by the owner;
 * a link with neither is a viewer's. Reading a link never throws: a bad
 * secret yields a reason and the viewer's credential.
 *
 * @example
 *   const created = await createProtectedRoom();          // navigate to `/r/${created.roomId}${created.ownerHash}`
 *   const read = await readRoleLink(created.roomId, created.ownerHash);
 *   read.credential?.role === 'owner';
 */
import type { RoomId } from '../../core/ids.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import {
  generateKeyPair,
  importSigner,
  PUBLIC_KEY_BYTES,
  SEED_BYTES,
  SIGNATURE_BYTES,
  type Signer,
  sign,
  verify,
} from './ed25519.ts';
import { capabilityStatement } from './statements.ts';

const PROTECTED_ROOM_PREFIX = 'p_';
const CAPABILITY_VERSION = 1;
/** version, epoch, editor public key, editor seed, owner signature. */
export const EDITOR_CAPABILITY_BYTES = 1 + 4 + PUBLIC_KEY_BYTES + SEED_BYTES + SIGNATURE_BYTES;
/** Longest fragment read at all (ROLE2); an editor link's is 186 characters. */
const MAX_ROLE_FRAGMENT_LENGTH = 512;

export interface EditorCapability {
  epoch: number;
  publicKey: Uint8Array<ArrayBuffer>;
  seed: Uint8Array<ArrayBuffer>;
  ownerSignature: Uint8Array<ArrayBuffer>;
}

/** What this page may do in a protected room, and the key that proves it. */
export type RoomCredential =
  | { role: 'viewer'; ownerPublicKey: Uint8Array<ArrayBuffer> }
  | { role: 'editor'; ownerPublicKey: Uint8Array<ArrayBuffer>; signer: Signer; capability: EditorCapability }
  | { role: 'owner'; ownerPublicKey: Uint8Array<ArrayBuffer>; signer: Signer; seed: Uint8Array<ArrayBuffer> };

/** ROLE1: the owner public key a protected room's id names; undefined for an open room. */
export function ownerKeyOfRoom(roomId: string): Uint8Array<ArrayBuffer> | undefined {
  if (!roomId.startsWith(PROTECTED_ROOM_PREFIX)) return undefined;
  const key = decodeBase64url(roomId.slice(PROTECTED_ROOM_PREFIX.length), PUBLIC_KEY_BYTES);
  return key?.length === PUBLIC_KEY_BYTES ? key : undefined;
}

export function isProtectedRoom(roomId: string): boolean {
  return ownerKeyOfRoom(roomId) !== undefined;
}

function protectedRoomId(ownerPublicKey: Uint8Array): RoomId {
  return `${PROTECTED_ROOM_PREFIX}${encodeBase64url(ownerPublicKey)}` as RoomId;
}

export function ownerHash(seed: Uint8Array): string {
  return `#owner=${encodeBase64url(seed)}`;
}

export function editorHash(capability: EditorCapability): string {
  const bytes = new Uint8Array(EDITOR_CAPABILITY_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, CAPABILITY_VERSION);
  view.setUint32(1, capability.epoch, true);
  bytes.set(capability.publicKey, 5);
  bytes.set(capability.seed, 5 + PUBLIC_KEY_BYTES);
  bytes.set(capability.ownerSignature, 5 + PUBLIC_KEY_BYTES + SEED_BYTES);
  return `#editor=${encodeBase64url(bytes)}`;
}

/** A new editor key, signed by the owner for `epoch`. */
export async function mintEditorCapability(
  owner: Extract<RoomCredential, { role: 'owner' }>,
  epoch = 0,
): Promise<EditorCapability> {
  const editor = await generateKeyPair();
  const ownerSignature = await sign(owner.signer, capabilityStatement(owner.ownerPublicKey, epoch, editor.publicKey));
  return { epoch, publicKey: editor.publicKey, seed: editor.seed, ownerSignature };
}

export interface CreatedRoom {
  roomId: RoomId;
  owner: Extract<RoomCredential, { role: 'owner' }>;
  ownerHash: string;
  editorHash: string;
}

/** ROLE8: a new protected room: the owner key pair, the room id from it, and a first editor capability. */
export async function createProtectedRoom(): Promise<CreatedRoom> {
  const pair = await generateKeyPair();
  const owner = { role: 'owner', ownerPublicKey: pair.publicKey, signer: pair.signer, seed: pair.seed } as const;
  return {
    roomId: protectedRoomId(pair.publicKey),
    owner,
    ownerHash: ownerHash(pair.seed),
    editorHash: editorHash(await mintEditorCapability(owner)),
  };
}

/** Whether the owner signed this editor key for this epoch. */
export function verifyEditorSignature(
  ownerPublicKey: Uint8Array,
  epoch: number,
  editorPublicKey: Uint8Array,
  ownerSignature: Uint8Array,
): Promise<boolean> {
  return verify(ownerPublicKey, ownerSignature, capabilityStatement(ownerPublicKey, epoch, editorPublicKey));
}

export type RoleLinkRead =
  /** `credential` is undefined in an open room. */
  | { ok: true; credential: RoomCredential | undefined }
  /** The link's secret was refused; the page continues with `credential` (a viewer's, or none in an open room). */
  | { ok: false; error: string; credential: RoomCredential | undefined };

/** ROLE2: the credential a room link's fragment carries. Never throws. */
export async function readRoleLink(roomId: string, hash: string): Promise<RoleLinkRead> {
  const ownerPublicKey = ownerKeyOfRoom(roomId);
  const viewer = ownerPublicKey ? ({ role: 'viewer', ownerPublicKey } as const) : undefined;
  const refuse = (error: string): RoleLinkRead => ({ ok: false, error, credential: viewer });
  if (hash.length > MAX_ROLE_FRAGMENT_LENGTH) return refuse('The link is too long to be a room link.');
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const ownerText = params.get('owner');
  const editorText = params.get('editor');
  if (ownerText === null && editorText === null) return { ok: true, credential: viewer };
  if (!ownerPublicKey)
    return refuse('This is an open room: everyone with its link edits; the key in the link was ignored.');
  if (ownerText !== null) {
    const seed = decodeBase64url(ownerText, SEED_BYTES);
    if (seed?.length !== SEED_BYTES) return refuse('The owner key in this link is damaged.');
    const signer = await importSigner(seed, ownerPublicKey);
    if (!signer) return refuse('The owner key in this link is not this room’s.');
    return { ok: true, credential: { role: 'owner', ownerPublicKey, signer, seed } };
  }
  const bytes = decodeBase64url(editorText ?? '', EDITOR_CAPABILITY_BYTES);
  if (bytes?.length !== EDITOR_CAPABILITY_BYTES) return refuse('The editor key in this link is damaged.');
  const view = new DataView(bytes.buffer);
  if (view.getUint8(0) !== CAPABILITY_VERSION) return refuse('This editor link is from a newer version of Holoroom.');
  const capability: EditorCapability = {
    epoch: view.getUint32(1, true),
    publicKey: bytes.slice(5, 5 + PUBLIC_KEY_BYTES),
    seed: bytes.slice(5 + PUBLIC_KEY_BYTES, 5 + PUBLIC_KEY_BYTES + SEED_BYTES),
    ownerSignature: bytes.slice(5 + PUBLIC_KEY_BYTES + SEED_BYTES),
  };
  const signed = await verifyEditorSignature(
    ownerPublicKey,
    capability.epoch,
    capability.publicKey,
    capability.ownerSignature,
  );
  if (!signed) return refuse('This editor link was not signed by the room’s owner.');
  const signer = await importSigner(capability.seed, capability.publicKey);
  if (!signer) return refuse('The editor key in this link is damaged.');
  return { ok: true, credential: { role: 'editor', ownerPublicKey, signer, capability } };
}
