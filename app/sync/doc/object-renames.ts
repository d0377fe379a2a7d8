/**
 * What happens to object state when the script renames or removes an object
 * (docs/room-doc.md OBJ2-OBJ4). The scene runtime calls these after it parses
 * a new version of the script:
 *
 *   OBJ2 a rename made by this peer's own edit moves the state to the new id
 *        (only the editing peer does it, so peers never race to move it);
 *   OBJ3 a removed object's state stays as an orphan, so undo or re-adding the
 *        same name brings it back;
 *   OBJ4 orphans untouched for ORPHAN_TTL_MS are pruned (deletes are
 *        idempotent, so any peer may do it).
 */
import * as Y from 'yjs';
import { readObjectState } from './object-state.ts';
import { LOCAL_ORIGIN, type RoomDoc } from './room-doc.ts';

/** OBJ4: how long an orphaned object's state is kept. */
export const ORPHAN_TTL_MS = 10 * 60_000;

export interface Rename {
  from: string;
  to: string;
}

/**
 * A rename is exactly one id gone and one new id at the same position of the
 * script's object order, with everything else unchanged.
 */
export function detectRename(before: readonly string[], after: readonly string[]): Rename | undefined {
  if (before.length !== after.length) return undefined;
  let found: Rename | undefined;
  for (let i = 0; i < before.length; i++) {
    const from = before[i] as string;
    const to = after[i] as string;
    if (from === to) continue;
    if (found) return undefined;
    found = { from, to };
  }
  if (!found || after.includes(found.from) || before.includes(found.to)) return undefined;
  return found;
}

/** OBJ2: moves `from`'s state to `to` in one transaction; no-op when `from` has none or `to` already has some. */
export function renameObjectState(room: RoomDoc, rename: Rename): boolean {
  const source = room.objects.get(rename.from);
  if (!(source instanceof Y.Map) || room.objects.has(rename.to)) return false;
  room.doc.transact(() => {
    const copy = new Y.Map<unknown>();
    for (const [key, value] of source.entries()) copy.set(key, value);
    room.objects.set(rename.to, copy);
    room.objects.delete(rename.from);
  }, LOCAL_ORIGIN);
  return true;
}

/** OBJ4: deletes orphans (ids not in `liveIds`) older than the TTL; returns how many. */
export function pruneOrphans(room: RoomDoc, liveIds: ReadonlySet<string>, now = Date.now()): number {
  const stale: string[] = [];
  for (const [id, entry] of room.objects.entries()) {
    if (liveIds.has(id)) continue;
    const updatedAt = entry instanceof Y.Map ? readObjectState(entry).updatedAt : 0;
    if (now - updatedAt >= ORPHAN_TTL_MS) stale.push(id);
  }
  if (stale.length > 0) {
    room.doc.transact(() => {
      for (const id of stale) room.objects.delete(id);
    }, LOCAL_ORIGIN);
  }
  return stale.length;
}
