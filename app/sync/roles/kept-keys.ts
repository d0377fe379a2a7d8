/**
 * ROLE9 (docs/roles.md): the key of a protected room stays on the device
 * that opened it with one, so its owner (or an editor) coming back through
 * the list of visited rooms, or a bare room link, keeps their role. Stored in
 * the page's storage under the room id: the fragment exactly as the link had
 * it, which is read and checked again (readRoleLink) whenever it is used.
 */
import type { KeyValueStorage } from '../../core/identity.ts';

const STORAGE_PREFIX = 'holoroom.room-key.';

function secretKind(hash: string): 'owner' | 'editor' | undefined {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  if (params.has('owner')) return 'owner';
  return params.has('editor') ? 'editor' : undefined;
}

function read(storage: KeyValueStorage | undefined, roomId: string): string | undefined {
  try {
    return storage?.getItem(`${STORAGE_PREFIX}${roomId}`) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The fragment to read the room's credential from: the link's own if it carries a key, else the kept one. */
export function linkOrKeptHash(storage: KeyValueStorage | undefined, roomId: string, hash: string): string {
  if (secretKind(hash)) return hash;
  return read(storage, roomId) ?? hash;
}

/** Keeps a fragment whose key was accepted; an owner key is never replaced by an editor's. */
export function keepRoleHash(storage: KeyValueStorage | undefined, roomId: string, hash: string): void {
  const kind = secretKind(hash);
  if (!kind) return;
  const kept = read(storage, roomId);
  if (kind === 'editor' && kept !== undefined && secretKind(kept) === 'owner') return;
  try {
    storage?.setItem(`${STORAGE_PREFIX}${roomId}`, hash);
  } catch {
    // Storage full or denied: the key still works for this visit, and the link still holds it.
  }
}

/** ROT3: the owner replaced the editor link: a kept editor key is forgotten (an owner key stays). */
export function forgetEditorHash(storage: KeyValueStorage | undefined, roomId: string): void {
  const kept = read(storage, roomId);
  if (kept === undefined || secretKind(kept) !== 'editor') return;
  try {
    storage?.setItem(`${STORAGE_PREFIX}${roomId}`, '');
  } catch {
    // Storage denied: the page still opens as a viewer, and the epoch check refuses the key next time too.
  }
}
