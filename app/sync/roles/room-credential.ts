/**
 * Protected rooms and the credentials their links carry (docs/roles.md,
 * ROLE1, ROLE2): the room id is the owner's public key; `#owner=` holds the
 * owner's private seed, `#editor=` an editor capability signed by the owner;
 * a link with neither is a viewer's. Reading a link never throws: a bad
 * secret yields a reason and the viewer's credential.
 *
 * Only what an open room's page needs to see that its link holds no key is
 * here: what makes, writes and checks keys (Ed25519, the signed statements,
 * the link's encoding of a key) is in credential-keys.ts, which `readRoleLink`
 * loads when a link holds a key (docs/performance.md LOAD16).
 *
 * @example
 *   const created = await createProtectedRoom();          // credential-keys.ts
 *   const read = await readRoleLink(created.roomId, created.ownerHash);
 *   read.credential?.role === 'owner';
 */
import { decodeBase64url } from './base64url.ts';
import { PROTECTED_ROOM_PREFIX, type RoomCredential } from './credential-types.ts';
import { PUBLIC_KEY_BYTES } from './ed25519-types.ts';

export type { RoomCredential } from './credential-types.ts';

/** Longest fragment read at all (ROLE2); an editor link's is 186 characters. */
const MAX_ROLE_FRAGMENT_LENGTH = 512;

/** ROLE1: the owner public key a protected room's id names; undefined for an open room. */
export function ownerKeyOfRoom(roomId: string): Uint8Array<ArrayBuffer> | undefined {
  if (!roomId.startsWith(PROTECTED_ROOM_PREFIX)) return undefined;
  const key = decodeBase64url(roomId.slice(PROTECTED_ROOM_PREFIX.length), PUBLIC_KEY_BYTES);
  return key?.length === PUBLIC_KEY_BYTES ? key : undefined;
}

export function isProtectedRoom(roomId: string): boolean {
  return ownerKeyOfRoom(roomId) !== undefined;
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
  let keys: typeof import('./credential-keys.ts');
  try {
    // LOAD16: what checks a key loads with the first link that holds one.
    keys = await import('./credential-keys.ts');
  } catch {
    return refuse('The key in this link could not be checked: this page could not load what checks it.');
  }
  const read = await keys.readLinkKey(
    ownerPublicKey,
    ownerText !== null ? { owner: ownerText } : { editor: editorText ?? '' },
  );
  return 'error' in read ? refuse(read.error) : { ok: true, credential: read.credential };
}
