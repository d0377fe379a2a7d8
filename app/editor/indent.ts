/**
 * The editor's indentation keys as plain edits (EDIT8): Tab indents (the caret
 * or every selected line), Shift-Tab takes one step of indentation off the
 * selected lines, Enter starts the new line at the indentation of the current
 * one (one step deeper after a `{`).
 */
const INDENT_UNIT = '  ';

/** Replace `from`..`to` with `insert`, then select `selectionStart`..`selectionEnd`. */
export interface Edit {
  from: number;
  to: number;
  insert: string;
  selectionStart: number;
  selectionEnd: number;
}

const lineStartOf = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;

/** Tab (outdent false) or Shift-Tab (outdent true) on the selection `start`..`end`. */
export function indentEdit(text: string, start: number, end: number, outdent: boolean): Edit | null {
  const singleLine = text.lastIndexOf('\n', end - 1) < start;
  if (!outdent && (start === end || singleLine)) {
    return { from: start, to: end, insert: INDENT_UNIT, selectionStart: start + 2, selectionEnd: start + 2 };
  }
  const from = lineStartOf(text, start);
  // A selection ending at the start of a line does not take that line along.
  const lastEnd = end > start && text.charAt(end - 1) === '\n' ? end - 1 : end;
  const nextBreak = text.indexOf('\n', lastEnd);
  const to = nextBreak < 0 ? text.length : nextBreak;
  const lines = text.slice(from, to).split('\n');
  let firstShift = 0;
  let totalShift = 0;
  const changed = lines.map((line, index) => {
    let shift: number;
    let result: string;
    if (outdent) {
      const removable = line.startsWith('\t') ? 1 : (/^ {0,2}/.exec(line)?.[0].length ?? 0);
      shift = -removable;
      result = line.slice(removable);
    } else {
      shift = INDENT_UNIT.length;
      result = INDENT_UNIT + line;
    }
    if (index === 0) firstShift = shift;
    totalShift += shift;
    return result;
  });
  if (totalShift === 0) return null;
  return {
    from,
    to,
    insert: changed.join('\n'),
    selectionStart: Math.max(from, start + firstShift),
    selectionEnd: Math.max(from, end + totalShift),
  };
}

/** Enter at the selection `start`..`end`: a line break and the current line's indentation. */
export function newlineEdit(text: string, start: number, end: number): Edit {
  const lineStart = lineStartOf(text, start);
  const indent = /^[ \t]*/.exec(text.slice(lineStart, start))?.[0] ?? '';
  const deeper = text.slice(lineStart, start).trimEnd().endsWith('{') ? INDENT_UNIT : '';
  const insert = `\n${indent}${deeper}`;
  return { from: start, to: end, insert, selectionStart: start + insert.length, selectionEnd: start + insert.length };
}

const CLOSERS: Readonly<Record<string, string>> = { '{': '}', '[': ']', '(': ')', '"': '"', "'": "'", '`': '`' };

/**
 * Typing one character (EDIT8): an opening bracket or quote gets its closer
 * when the text after the caret is empty, a space or a closer, so the script
 * stays balanced as people type; typing a closer the editor put there steps
 * over it (`autoClosed` holds the offsets of those closers). Null: the
 * character goes in as typed.
 */
export function typedCharEdit(
  text: string,
  start: number,
  end: number,
  char: string,
  autoClosed: ReadonlySet<number>,
): Edit | null {
  if (start === end && autoClosed.has(start) && text.charAt(start) === char) {
    return { from: start, to: start, insert: '', selectionStart: start + 1, selectionEnd: start + 1 };
  }
  const closer = CLOSERS[char];
  if (!closer || start !== end) return null;
  const next = text.charAt(end);
  if (next !== '' && !/[\s)\]},;:]/.test(next)) return null;
  // A quote right after a word character is an apostrophe or a closing quote, not an opening one.
  if (closer === char && /[\p{L}\d_]/u.test(text.charAt(start - 1))) return null;
  return { from: start, to: end, insert: char + closer, selectionStart: start + 1, selectionEnd: start + 1 };
}
