/**
 * What happens to object state when the script renames or removes an object
 * (docs/room-doc.md OBJ2-OBJ4). The scene runtime calls `detectRename`, then
 * RoomDoc's `renameObject` and `pruneOrphans`, after it parses a new version
 * of the script:
 *
 *   OBJ2 a rename made by this peer's own edit moves the state to the new id
 *        (only the editing peer does it, so peers never race to move it);
 *   OBJ3 a removed object's state stays as an orphan, so undo or re-adding the
 *        same name brings it back;
 *   OBJ4 orphans untouched for ORPHAN_TTL_MS are pruned (deletes are
 *        idempotent, so any peer may do it).
 */
import type { ObjectId } from '../../core/ids.ts';

/** OBJ4: how long an orphaned object's state is kept. */
export const ORPHAN_TTL_MS = 10 * 60_000;

export interface Rename {
  from: ObjectId;
  to: ObjectId;
}

/**
 * A rename is exactly one id gone and one new id at the same position of the
 * script's object order, with everything else unchanged.
 */
export function detectRename(before: readonly ObjectId[], after: readonly ObjectId[]): Rename | undefined {
  if (before.length !== after.length) return undefined;
  let found: Rename | undefined;
  for (let i = 0; i < before.length; i++) {
    const from = before[i] as ObjectId;
    const to = after[i] as ObjectId;
    if (from === to) continue;
    if (found) return undefined;
    found = { from, to };
  }
  if (!found || after.includes(found.from) || before.includes(found.to)) return undefined;
  return found;
}
