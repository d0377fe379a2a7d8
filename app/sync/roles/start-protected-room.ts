/**
 * ROLE8: what the start page's "Create a protected room" does before it opens
 * the owner link. Two things can fail, for different reasons, and the person
 * is told which: the keys' code is loaded on this first use (LOAD16), which
 * fails without a connection on a first visit; then the owner key is made,
 * which fails only in a browser that cannot make Ed25519 keys.
 *
 *   const started = await startProtectedRoom();
 *   if (started.ok) navigate(started.path);
 *   else showError(started.error);
 */
import { roomPath } from '../../core/room-id.ts';

type CredentialKeys = typeof import('./credential-keys.ts');

export type ProtectedRoomStart =
  /** `path`: the owner link's path and fragment on this site. */
  { ok: true; path: string } | { ok: false; error: string };

export const KEYS_CODE_NOT_LOADED =
  'This page could not load what makes a protected room’s keys: check your connection and try again.';
export const KEYS_NOT_MADE = 'This browser cannot make the keys a protected room needs (Ed25519).';

/** The keys' code as the page loads it: its own chunk, fetched on first use (LOAD16). */
const loadCredentialKeys = (): Promise<CredentialKeys> => import('./credential-keys.ts');

/** Makes a protected room's owner key in this browser. Never throws: a failure says what failed. */
export async function startProtectedRoom(
  load: () => Promise<CredentialKeys> = loadCredentialKeys,
): Promise<ProtectedRoomStart> {
  let keys: CredentialKeys;
  try {
    keys = await load();
  } catch {
    return { ok: false, error: KEYS_CODE_NOT_LOADED };
  }
  try {
    const created = await keys.createProtectedRoom();
    return { ok: true, path: `${roomPath(created.roomId)}${created.ownerHash}` };
  } catch {
    return { ok: false, error: KEYS_NOT_MADE };
  }
}
