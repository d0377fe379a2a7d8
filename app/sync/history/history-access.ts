/**
 * HIST5, HIST8 (docs/history.md): who may see and restore a room's history.
 * A module of its own so the room's first chunk carries this rule without the
 * history client, which loads with the panel.
 */
import type { RoomCredential } from '../roles/room-credential.ts';

/**
 * Everyone in an open room (they may edit, so they may undo), only the owner in
 * a protected one; and only where the server keeps the room (not in password rooms, PW1).
 */
export function mayUseHistory(credential: RoomCredential | undefined, serverSync: boolean): boolean {
  return serverSync && (credential === undefined || credential.role === 'owner');
}
