/**
 * Highlighting for the scene language (docs/scene-language.md): a small line
 * tokenizer, not a parser. Every word comes from the vocabulary
 * (app/scene/syntax/vocabulary.ts). Parsing (and every error) is the
 * WebAssembly parser's job; this only colours what people type, so it stays
 * fast and forgiving on half-written lines. Strings over several lines
 * (template strings, three quotes, a quote ending its line: LEX3, LEX7) and
 * block comments carry over in the state from one line to the next, so the
 * editor can colour only the lines on screen (EDIT3).
 *
 * @example
 *   let state = startState();
 *   for (const line of text.split('\n')) ({ tokens, state } = highlightLine(line, state));
 */
import { COMMANDS } from '../scene/syntax/command-words.ts';
import {
  ARGUMENT_WORDS,
  blockKeywords,
  DECLARATION_WORDS,
  FORM_WORDS,
  HEADER_WORDS,
  STATEMENT_WORDS,
  VALUE_WORDS,
} from '../scene/syntax/vocabulary.ts';

/** Words that open a block or declare something, and the words of block headers and imports. */
const BLOCK_WORDS: ReadonlySet<string> = new Set([...blockKeywords(), ...HEADER_WORDS, ...DECLARATION_WORDS]);
/** Words that start or shape a statement anywhere in a handler. */
const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set([...STATEMENT_WORDS, ...FORM_WORDS, ...ARGUMENT_WORDS]);
/** Command names, in every spelling: statement words where a statement starts. */
const COMMAND_WORDS: ReadonlySet<string> = new Set(COMMANDS.flatMap((command) => [command.name, ...command.aliases]));
const ATOMS: ReadonlySet<string> = new Set(VALUE_WORDS);

/** What a token is; the editor's stylesheet colours each kind (app/ui/script-editor.css `.holo-t-*`). */
export type TokenKind =
  | 'lineComment'
  | 'blockComment'
  | 'string'
  | 'color'
  | 'trait'
  | 'number'
  | 'atom'
  | 'keyword'
  | 'control'
  | 'handler'
  | 'property'
  | 'name'
  | 'bracket'
  | 'operator';

export interface HoloState {
  /** Inside a `/* ... *\/` comment that spans lines. */
  inBlockComment: boolean;
  /** Inside a string that spans lines: the text that closes it (`` ` ``, `'''`, `"""`, `"`, `'`). */
  inString?: string | null;
}

/**
 * A cursor over one line, with the few moves the tokenizer needs: `start` is
 * where the current token began, `pos` where reading is.
 */
export class LineStream {
  start = 0;
  pos = 0;
  constructor(readonly string: string) {}
  eol(): boolean {
    return this.pos >= this.string.length;
  }
  peek(): string | undefined {
    return this.string.charAt(this.pos) || undefined;
  }
  next(): string | undefined {
    if (this.pos < this.string.length) return this.string.charAt(this.pos++);
    return undefined;
  }
  eatSpace(): boolean {
    const from = this.pos;
    while (/[\s\u00a0]/.test(this.string.charAt(this.pos))) this.pos++;
    return this.pos > from;
  }
  skipToEnd(): void {
    this.pos = this.string.length;
  }
  /** Moves to the next `text` on the line; false (and no move) when there is none. */
  skipTo(text: string): boolean {
    const found = this.string.indexOf(text, this.pos);
    if (found < 0) return false;
    this.pos = found;
    return true;
  }
  /** Whether `pattern` (a string, or a regular expression starting with `^`) is next; consumes it unless told not to. */
  match(pattern: string | RegExp, consume = true): boolean {
    let length: number;
    if (typeof pattern === 'string') {
      if (!this.string.startsWith(pattern, this.pos)) return false;
      length = pattern.length;
    } else {
      const found = pattern.exec(this.string.slice(this.pos));
      if (!found || found.index > 0) return false;
      length = found[0].length;
    }
    if (consume) this.pos += length;
    return true;
  }
  current(): string {
    return this.string.slice(this.start, this.pos);
  }
}

/** Reads up to and including `close` (escapes skipped); true when it was found on this line. */
function readString(stream: LineStream, close: string): boolean {
  while (!stream.eol()) {
    if (stream.match(close)) return true;
    if (stream.next() === '\\') stream.next();
  }
  return false;
}

/** Only spaces, `{` or `;` before the token on its line: a command may stand here. */
function startsStatement(stream: LineStream): boolean {
  const before = stream.string.slice(0, stream.start).trimEnd();
  return before === '' || before.endsWith('{') || before.endsWith(';');
}

/** One token; returns its kind, or null for plain text. */
export function token(stream: LineStream, state: HoloState): TokenKind | null {
  if (state.inBlockComment) {
    if (stream.skipTo('*/')) {
      stream.pos += 2;
      state.inBlockComment = false;
    } else stream.skipToEnd();
    return 'blockComment';
  }
  if (state.inString) {
    if (readString(stream, state.inString)) state.inString = null;
    return 'string';
  }
  if (stream.eatSpace()) return null;
  if (stream.match('//') || stream.match(/^#(\s|$)/)) {
    stream.skipToEnd();
    return 'lineComment';
  }
  if (stream.match('/*')) {
    state.inBlockComment = true;
    return token(stream, state) ?? 'blockComment';
  }
  const ch = stream.peek() ?? '';
  const triple = stream.match('"""') || stream.match("'''") ? stream.current() : null;
  if (triple || ch === '`' || ch === '"' || ch === "'") {
    const close = triple ?? (stream.next() as string);
    // Three quotes, a backquote, or a quote ending its line may go on over lines.
    const multiline = triple !== null || ch === '`' || stream.eol();
    if (!readString(stream, close) && multiline) state.inString = close;
    return /^["']#[0-9a-fA-F]{3,8}["']$/.test(stream.current()) ? 'color' : 'string';
  }
  if (ch === '#' && stream.match(/^#[0-9a-fA-F]{3,8}\b/)) return 'color';
  if (ch === '@' && stream.match(/^@[\p{L}\d_][\p{L}\w.]*/u)) return 'trait';
  // Hex, decimals, and numbers with a unit (`20m`, `50%`, `45°`: LEX4).
  if (stream.match(/^-?(0[xX][0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?([\p{L}_][\p{L}\w]*|%)?)/u)) return 'number';
  if (stream.match(/^[\p{L}_$][\p{L}\w$]*/u)) {
    const word = stream.current();
    if (ATOMS.has(word)) return 'atom';
    if (/^on[_A-Z]/.test(word)) return 'handler';
    // `key:` is a property name (`state: { }`, `text: "hi"`), whatever else the word can be
    // (but not `a ? b : c` inside expressions).
    if (stream.match(/^\s*:/, false)) return 'property';
    // `label = ...` assigns to a name, even one that can also open a block.
    if (stream.match(/^\s*=(?![=>])/, false)) return 'name';
    if (BLOCK_WORDS.has(word)) return 'keyword';
    if (STATEMENT_KEYWORDS.has(word)) return 'control';
    if (COMMAND_WORDS.has(word) && startsStatement(stream)) return 'control';
    return 'name';
  }
  if (stream.match(/^[{}[\]()]/)) return 'bracket';
  if (stream.match(/^(\.\.\.|\?\.|\?\?|=>|->|[-+*/%=<>!&|?]+)/)) return 'operator';
  stream.next();
  return null;
}

/** The state at the start of a script. */
export function startState(): HoloState {
  return { inBlockComment: false, inString: null };
}

/** Two states that colour the following lines alike. */
export function sameState(a: HoloState, b: HoloState): boolean {
  return a.inBlockComment === b.inBlockComment && (a.inString ?? null) === (b.inString ?? null);
}

/** One coloured stretch of a line, as UTF-16 columns. */
export interface Token {
  from: number;
  to: number;
  kind: TokenKind;
}

/** Colours one line from the state its previous line ended in; returns its tokens and the state it ends in (`state` is left alone). */
export function highlightLine(line: string, state: HoloState): { tokens: Token[]; state: HoloState } {
  const next = { ...state };
  const stream = new LineStream(line);
  const tokens: Token[] = [];
  // Every token consumes at least one character, so this ends within line.length + 1 steps.
  while (!stream.eol()) {
    stream.start = stream.pos;
    const kind = token(stream, next);
    if (stream.pos === stream.start) stream.next();
    if (kind !== null) tokens.push({ from: stream.start, to: stream.pos, kind });
  }
  return { tokens, state: next };
}
