/**
 * Other people's cursors and selections in the script (EDIT6), read from
 * awareness: `cursor: { anchor, head }` as Yjs relative positions (what this
 * editor publishes, app/editor/text-binding.ts) beside presence's
 * `user.name`/`user.color`. Awareness comes from peers, so every field is
 * checked: a position that does not decode or points outside this text, a
 * name that is not a string or a colour that is not a hex colour is dropped
 * or replaced, never drawn as given.
 */
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';

export interface RemoteCursor {
  clientId: number;
  name: string;
  /** A `#rgb`/`#rrggbb` colour, safe to put in a style. */
  color: string;
  anchor: number;
  head: number;
}

/** Names longer than this are cut for the label. */
const MAX_NAME_CHARS = 40;
const FALLBACK_COLOR = '#9aa3b5';
const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}){1,2}$/;

function position(json: unknown, text: Y.Text): number | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  try {
    const absolute = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON(json),
      text.doc as Y.Doc,
    );
    return absolute && absolute.type === text ? absolute.index : undefined;
  } catch {
    return undefined;
  }
}

/** Everyone else's cursor in `text`, in awareness order. */
export function remoteCursors(awareness: Awareness, text: Y.Text): RemoteCursor[] {
  const cursors: RemoteCursor[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const cursor = (state as { cursor?: unknown }).cursor;
    if (typeof cursor !== 'object' || cursor === null) continue;
    const { anchor: anchorJson, head: headJson } = cursor as { anchor?: unknown; head?: unknown };
    const anchor = position(anchorJson, text);
    const head = position(headJson, text);
    if (anchor === undefined || head === undefined) continue;
    const user = (state as { user?: { name?: unknown; color?: unknown } }).user;
    const name =
      typeof user?.name === 'string' && user.name.trim() ? user.name.trim().slice(0, MAX_NAME_CHARS) : 'Someone';
    const color = typeof user?.color === 'string' && HEX_COLOR.test(user.color) ? user.color : FALLBACK_COLOR;
    cursors.push({ clientId, name, color, anchor, head });
  }
  return cursors;
}
