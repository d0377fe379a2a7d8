/**
 * The one change between two versions of a text, as small as the two allow:
 * what the browser's text box did in one input event, turned into a single
 * delete-and-insert for the shared Y.Text (EDIT5), so other people's cursors
 * and the CRDT's history only see the characters that changed.
 *
 * @example
 *   diffText('let a', 'let ab', 6); // { from: 5, remove: 0, insert: 'b' }
 */
export interface TextChange {
  /** Where the change starts, in both versions (UTF-16 offset). */
  from: number;
  /** How many characters of the old text it removes. */
  remove: number;
  /** What it puts there. */
  insert: string;
}

/**
 * The change that turns `before` into `after`. `caret` (the caret after the
 * edit) settles the ambiguous cases: typing `a` after `a|a` inserts at the
 * caret, not at the start of the run.
 */
export function diffText(before: string, after: string, caret = after.length): TextChange | null {
  if (before === after) return null;
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  // What was typed or pasted ends at the caret: in a run of equal characters the change is
  // placed so that it does ("a|a" + "a" inserts at 1, not at 2).
  prefix = Math.min(prefix, Math.max(0, caret - Math.max(0, after.length - before.length)));
  let suffix = 0;
  const room = shorter - prefix;
  while (
    suffix < room &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Never split a surrogate pair: an emoji is inserted or removed whole.
  let from = prefix;
  if (from > 0 && isHighSurrogate(after.charCodeAt(from - 1))) from--;
  let beforeEnd = before.length - suffix;
  let afterEnd = after.length - suffix;
  if (
    suffix > 0 &&
    afterEnd > from &&
    isHighSurrogate(after.charCodeAt(afterEnd - 1)) &&
    isLowSurrogate(after.charCodeAt(afterEnd))
  ) {
    beforeEnd++;
    afterEnd++;
  }
  return { from, remove: beforeEnd - from, insert: after.slice(from, afterEnd) };
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * Where an offset of the old text lands after `change` (an offset inside the removed part goes to its
 * end). Text inserted right at the offset goes after it, or before it with `stickRight`.
 */
export function mapOffset(offset: number, change: TextChange, stickRight = false): number {
  if (stickRight && offset === change.from && change.remove === 0) return offset + change.insert.length;
  if (offset <= change.from) return offset;
  if (offset >= change.from + change.remove) return offset - change.remove + change.insert.length;
  return change.from + change.insert.length;
}
