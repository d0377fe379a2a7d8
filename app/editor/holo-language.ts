/**
 * Highlighting and completion for the scene language (docs/scene-language.md)
 * in CodeMirror: a small stream tokenizer, not a parser, and completion of the
 * language's words and of its longer forms as templates. Every word comes from
 * the vocabulary (app/scene/syntax/vocabulary.ts). Parsing (and every error)
 * is the WebAssembly parser's job; this only colours and completes what people
 * type, so it stays fast and forgiving on half-written lines. Strings over
 * several lines (template strings, three quotes, a quote ending its line:
 * LEX3, LEX7) carry over in the state.
 */
import { HighlightStyle, StreamLanguage, type StringStream, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { tags } from '@lezer/highlight';
import { COMMANDS } from '../scene/syntax/command-words.ts';
import {
  ARGUMENT_WORDS,
  blockKeywords,
  DECLARATION_WORDS,
  FORM_WORDS,
  HEADER_WORDS,
  PROPERTIES,
  STATEMENT_WORDS,
  TRAITS,
  VALUE_WORDS,
} from '../scene/syntax/vocabulary.ts';
import { meaningOf } from '../scene/syntax/vocabulary-meanings.ts';

/** Words that open a block or declare something, and the words of block headers and imports. */
const BLOCK_WORDS: ReadonlySet<string> = new Set([...blockKeywords(), ...HEADER_WORDS, ...DECLARATION_WORDS]);
/** Words that start or shape a statement anywhere in a handler. */
const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set([...STATEMENT_WORDS, ...FORM_WORDS, ...ARGUMENT_WORDS]);
/** Command names, in every spelling: statement words where a statement starts. */
const COMMAND_WORDS: ReadonlySet<string> = new Set(COMMANDS.flatMap((command) => [command.name, ...command.aliases]));
const ATOMS: ReadonlySet<string> = new Set(VALUE_WORDS);

export interface HoloState {
  /** Inside a `/* ... *\/` comment that spans lines. */
  inBlockComment: boolean;
  /** Inside a string that spans lines: the text that closes it (`` ` ``, `'''`, `"""`, `"`, `'`). */
  inString?: string | null;
}

/** Reads up to and including `close` (escapes skipped); true when it was found on this line. */
function readString(stream: StringStream, close: string): boolean {
  while (!stream.eol()) {
    if (stream.match(close)) return true;
    if (stream.next() === '\\') stream.next();
  }
  return false;
}

/** Only spaces, `{` or `;` before the token on its line: a command may stand here. */
function startsStatement(stream: StringStream): boolean {
  const before = stream.string.slice(0, stream.start).trimEnd();
  return before === '' || before.endsWith('{') || before.endsWith(';');
}

/** One token; returns a tag name from `tokenTable` or null for plain text. */
export function token(stream: StringStream, state: HoloState): string | null {
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

/** What completion offers: a word of the language, or one of its longer forms as a template to fill in. */
export interface HoloCompletion {
  label: string;
  type: 'keyword' | 'function' | 'property' | 'type';
  apply?: string;
  detail?: string;
  info?: string;
}

const FORMS: readonly HoloCompletion[] = [
  { label: 'on "tap"', type: 'function', apply: 'on "tap" {\n  \n}', detail: 'handler (SYN7)' },
  { label: 'on_click', type: 'function', apply: 'on_click {\n  \n}', detail: 'handler (SYN7)' },
  { label: 'action', type: 'function', apply: 'action name() {\n  \n}', detail: 'scene action (SYN7)' },
  { label: 'for of', type: 'keyword', apply: 'for (const item of list) {\n  \n}', detail: 'loop (SYN15)' },
  { label: 'if else', type: 'keyword', apply: 'if (test) {\n  \n} else {\n  \n}', detail: 'branch (SYN8)' },
];

function propertyOptions(): HoloCompletion[] {
  const byName = new Map<string, HoloCompletion>();
  for (const property of PROPERTIES) {
    const known = byName.get(property.name);
    const where = property.scope === 'node' ? 'any object' : property.scope;
    if (known) {
      known.detail = `${known.detail}, ${where}`;
      continue;
    }
    const range = property.range ? ` ${property.range[0]}…${property.range[1]}` : '';
    const also = property.aliases.length > 0 ? ` (also ${property.aliases.join(', ')})` : '';
    byName.set(property.name, {
      label: property.name,
      type: 'property',
      detail: where,
      info: `${property.type}${range}: ${meaningOf(property).doc}${also}`,
      apply: `${property.name}: `,
    });
  }
  return [...byName.values()];
}

const unique = (words: Iterable<string>) => [...new Set(words)];

/** The language's words and forms, in the order completion lists them. */
const WORD_OPTIONS: readonly HoloCompletion[] = [
  ...unique([...blockKeywords(), ...HEADER_WORDS, ...DECLARATION_WORDS]).map(
    (label): HoloCompletion => ({ label, type: 'keyword', detail: 'block' }),
  ),
  ...unique([...STATEMENT_WORDS, ...FORM_WORDS, ...VALUE_WORDS]).map(
    (label): HoloCompletion => ({ label, type: 'keyword' }),
  ),
  ...FORMS,
  ...propertyOptions(),
  ...COMMANDS.map(
    (command): HoloCompletion => ({
      label: command.name,
      type: 'function',
      detail: 'command',
      info: `${command.usage.replaceAll('`', '')}${command.aliases.length > 0 ? ` (also ${command.aliases.join(', ')})` : ''}`,
    }),
  ),
];
const TRAIT_OPTIONS: readonly HoloCompletion[] = TRAITS.map((trait) => ({
  label: trait.name,
  type: 'type',
  detail: 'trait',
  ...(trait.aliases.length > 0 ? { info: `also ${trait.aliases.join(', ')}` } : {}),
}));

/** The part of CodeMirror's completion context this source uses. */
interface CompletionContextLike {
  explicit: boolean;
  matchBefore(pattern: RegExp): { from: number; to: number; text: string } | null;
}

/** Completion source: the words and forms that start with what was typed (a trait's after `@`). */
export function completeHolo(context: CompletionContextLike): { from: number; options: HoloCompletion[] } | null {
  const trait = context.matchBefore(/@[\p{L}\w]*/u);
  if (trait) {
    const typed = trait.text.slice(1);
    return { from: trait.from + 1, options: TRAIT_OPTIONS.filter((option) => option.label.startsWith(typed)) };
  }
  const word = context.matchBefore(/[\p{L}\w$]*/u);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  const options = WORD_OPTIONS.filter((option) => option.label.startsWith(word.text));
  return options.length > 0 ? { from: word.from, options } : null;
}

const holoLanguage = StreamLanguage.define<HoloState>({
  name: 'holo',
  startState: () => ({ inBlockComment: false, inString: null }),
  copyState: (state) => ({ ...state }),
  token,
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } }, autocomplete: completeHolo },
  tokenTable: {
    lineComment: tags.lineComment,
    blockComment: tags.blockComment,
    string: tags.string,
    color: tags.color,
    trait: tags.annotation,
    number: tags.number,
    atom: tags.atom,
    keyword: tags.definitionKeyword,
    control: tags.controlKeyword,
    handler: tags.function(tags.propertyName),
    property: tags.propertyName,
    name: tags.variableName,
    bracket: tags.bracket,
    operator: tags.operator,
  },
});

/** Colours chosen for the dark panel, readable in a headset browser too. */
const holoHighlightStyle = HighlightStyle.define([
  { tag: [tags.lineComment, tags.blockComment], color: '#7f8ca3', fontStyle: 'italic' },
  { tag: tags.string, color: '#a5d6a7' },
  { tag: tags.color, color: '#ffcc80' },
  { tag: tags.annotation, color: '#f48fb1' },
  { tag: tags.number, color: '#ffab91' },
  { tag: tags.atom, color: '#ce93d8' },
  { tag: tags.definitionKeyword, color: '#82b1ff', fontWeight: 'bold' },
  { tag: tags.controlKeyword, color: '#b39ddb' },
  { tag: tags.function(tags.propertyName), color: '#80deea' },
  { tag: tags.propertyName, color: '#90caf9' },
  { tag: tags.operator, color: '#e0e0e0' },
]);

export function holoSyntax(): Extension {
  return [holoLanguage, syntaxHighlighting(holoHighlightStyle)];
}
