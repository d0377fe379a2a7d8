/**
 * The shapes of a protected room's credentials (docs/roles.md ROLE1, ROLE2),
 * in a module of their own: the reading of a link (room-credential.ts) and the
 * keys' cryptography it loads on use (credential-keys.ts) both use them, and
 * neither imports the other's code for them.
 */
import type { Signer } from './ed25519-types.ts';

/** ROLE1: a protected room's id is this prefix and its owner's public key in base64url. */
export const PROTECTED_ROOM_PREFIX = 'p_';

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
