/**
 * How a protected room labels names in presence (docs/roles.md PNAME3,
 * PNAME4). Apart from presence-names.ts, which checks them, so the room's
 * presence list and avatars do not load the checks (docs/performance.md LOAD13).
 */
import { sessionFromId } from './session-key.ts';

/** PNAME3: what a protected room shows for an entry whose name did not verify. */
export const UNVERIFIED_NAME = 'Unverified guest';

/** PNAME4: a short fingerprint of a session id (8 hex digits of its key), shown when two sessions share a name. */
export function sessionFingerprint(session: string): string {
  const key = sessionFromId(session);
  if (!key) return '';
  return [...key.subarray(0, 4)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
