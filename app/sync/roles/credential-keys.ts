/**
 * The cryptography of a protected room's credentials (docs/roles.md ROLE1,
 * ROLE2, ROLE8): making a room's owner key, signing editor capabilities,
 * checking the key a link holds. Loaded on first use (docs/performance.md
 * LOAD16): by `readRoleLink` (room-credential.ts) for a link with a key, by
 * the start page's "Create a protected room", by the owner's room links; an
 * open room's page never fetches it.
 *
 * @example
 *   const created = await createProtectedRoom();  // navigate to `/r/${created.roomId}${created.ownerHash}`
 *   const capability = await mintEditorCapability(created.owner, 1);
 */
import type { RoomId } from '../../core/ids.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { type EditorCapability, PROTECTED_ROOM_PREFIX, type RoomCredential } from './credential-types.ts';
import {
  generateKeyPair,
  importSigner,
  PUBLIC_KEY_BYTES,
  SEED_BYTES,
  SIGNATURE_BYTES,
  sign,
  verify,
} from './ed25519.ts';
import { capabilityStatement } from './statements.ts';

const CAPABILITY_VERSION = 1;
/** version, epoch, editor public key, editor seed, owner signature. */
export const EDITOR_CAPABILITY_BYTES = 1 + 4 + PUBLIC_KEY_BYTES + SEED_BYTES + SIGNATURE_BYTES;

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

/**
 * ROLE2: the owner's or an editor's credential from the key a link holds (its `owner=` or `editor=`
 * text) for the room `ownerPublicKey` names; an error that says what is wrong otherwise.
 */
export async function readLinkKey(
  ownerPublicKey: Uint8Array<ArrayBuffer>,
  key: { owner: string } | { editor: string },
): Promise<{ credential: RoomCredential } | { error: string }> {
  if ('owner' in key) {
    const seed = decodeBase64url(key.owner, SEED_BYTES);
    if (seed?.length !== SEED_BYTES) return { error: 'The owner key in this link is damaged.' };
    const signer = await importSigner(seed, ownerPublicKey);
    if (!signer) return { error: 'The owner key in this link is not this room’s.' };
    return { credential: { role: 'owner', ownerPublicKey, signer, seed } };
  }
  const bytes = decodeBase64url(key.editor, EDITOR_CAPABILITY_BYTES);
  if (bytes?.length !== EDITOR_CAPABILITY_BYTES) return { error: 'The editor key in this link is damaged.' };
  const view = new DataView(bytes.buffer);
  if (view.getUint8(0) !== CAPABILITY_VERSION)
    return { error: 'This editor link is from a newer version of Holoroom.' };
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
  if (!signed) return { error: 'This editor link was not signed by the room’s owner.' };
  const signer = await importSigner(capability.seed, capability.publicKey);
  if (!signer) return { error: 'The editor key in this link is damaged.' };
  return { credential: { role: 'editor', ownerPublicKey, signer, capability } };
}
