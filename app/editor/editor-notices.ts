/**
 * The visible messages the editor panel shows about limits and rejected
 * traffic (CAP1-CAP4), as plain data so they are tested without a DOM.
 */
import { MAX_OBJECT_STATES, SCRIPT_MAX_CHARS } from '../sync/doc/limits.ts';
import type { RejectedUpdates } from '../sync/room-session.ts';

export interface NoticeInput {
  scriptChars: number;
  objectCount: number;
  rejected: RejectedUpdates;
  /** The last local edit a limit refused, if any. */
  refusedEdit?: string;
  /** This page is a viewer of a protected room (docs/roles.md ROLE7). */
  viewOnly?: boolean;
}

export interface Notice {
  id: 'view-only' | 'script-over-limit' | 'objects-over-limit' | 'rejected-updates' | 'refused-edit';
  severity: 'error' | 'warning';
  text: string;
}

/** ROLE7: why a viewer's editor does not take input. */
export const VIEW_ONLY_NOTICE =
  'View only: this link lets you see the room, not change it. Ask the owner for an editor link.';

const count = (n: number) => n.toLocaleString('en');

export function editorNotices(input: NoticeInput): Notice[] {
  const notices: Notice[] = [];
  if (input.viewOnly) notices.push({ id: 'view-only', severity: 'warning', text: VIEW_ONLY_NOTICE });
  if (input.scriptChars > SCRIPT_MAX_CHARS) {
    notices.push({
      id: 'script-over-limit',
      severity: 'error',
      text: `The shared script is ${count(input.scriptChars)} characters, over the ${count(SCRIPT_MAX_CHARS)} limit. The scene keeps its last good version; delete text to bring it back under.`,
    });
  }
  if (input.objectCount > MAX_OBJECT_STATES) {
    notices.push({
      id: 'objects-over-limit',
      severity: 'warning',
      text: `This room holds state for ${count(input.objectCount)} objects; only the first ${count(MAX_OBJECT_STATES)} are used.`,
    });
  }
  if (input.rejected.count > 0) {
    const last = input.rejected.last;
    notices.push({
      id: 'rejected-updates',
      severity: 'warning',
      text: `Ignored ${count(input.rejected.count)} malformed or oversized update${input.rejected.count === 1 ? '' : 's'}${last ? ` (latest from the ${last.from}: ${last.reason})` : ''}. Your copy of the room is unaffected.`,
    });
  }
  if (input.refusedEdit) notices.push({ id: 'refused-edit', severity: 'error', text: input.refusedEdit });
  return notices;
}
