/**
 * Highlighting and completion for the scene language (docs/scene-language.md)
 * in CodeMirror: a small stream tokenizer, not a parser, and completion of the
 * language's words. Every word comes from the vocabulary
 * (app/scene/syntax/vocabulary.ts). Parsing (and every error) is the
 * WebAssembly parser's job; this only colours and completes what people type,
 * so it stays fast and forgiving on half-written lines.
 */
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { HighlightStyle, StreamLanguage, type StringStream, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { tags } from '@lezer/highlight';
import {
  ARGUMENT_WORDS,
  blockKeywords,
  COMMANDS,
  EVENTS,
  HEADER_WORDS,
  PROPERTIES,
  STATEMENT_WORDS,
  TRAITS,
  VALUE_WORDS,
} from '../scene/syntax/vocabulary.ts';

/** Words that open a block, and the words of block headers and imports. */
const BLOCK_WORDS: ReadonlySet<string> = new Set([...blockKeywords(), ...HEADER_WORDS]);
/** Words that start or shape a statement anywhere in a handler. */
const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set([...STATEMENT_WORDS, ...ARGUMENT_WORDS]);
/** Command names, in every spelling: statement words where a statement starts. */
const COMMAND_WORDS: ReadonlySet<string> = new Set(COMMANDS.flatMap((command) => [command.name, ...command.aliases]));
const ATOMS: ReadonlySet<string> = new Set(VALUE_WORDS);

export interface HoloState {
  /** Inside a `/* ... *\/` comment that spans lines. */
  inBlockComment: boolean;
}

function readString(stream: StringStream, quote: string): void {
  let escaped = false;
  let ch = stream.next();
  while (ch !== undefined) {
    if (ch === quote && !escaped) return;
    escaped = !escaped && ch === '\\';
    ch = stream.next();
  }
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
  if (stream.eatSpace()) return null;
  if (stream.match('//')) {
    stream.skipToEnd();
    return 'lineComment';
  }
  if (stream.match('/*')) {
    state.inBlockComment = true;
    return token(stream, state) ?? 'blockComment';
  }
  const ch = stream.peek() ?? '';
  if (ch === '"' || ch === "'") {
    stream.next();
    readString(stream, ch);
    return /^["']#[0-9a-fA-F]{3,8}["']$/.test(stream.current()) ? 'color' : 'string';
  }
  if (ch === '#' && stream.match(/^#[0-9a-fA-F]{3,8}\b/)) return 'color';
  if (ch === '@' && stream.match(/^@[A-Za-z_][\w.]*/)) return 'trait';
  if (stream.match(/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/)) return 'number';
  if (stream.match(/^[A-Za-z_][\w]*/)) {
    const word = stream.current();
    if (ATOMS.has(word)) return 'atom';
    if (/^on[_A-Z]/.test(word)) return 'handler';
    // `key:` is a property name (`state: { }`, `text: "hi"`), whatever else the word can be.
    if (stream.match(/^\s*:/, false)) return 'property';
    if (BLOCK_WORDS.has(word)) return 'keyword';
    if (STATEMENT_KEYWORDS.has(word)) return 'control';
    if (COMMAND_WORDS.has(word) && startsStatement(stream)) return 'control';
    return 'name';
  }
  if (stream.match(/^[{}[\]()]/)) return 'bracket';
  if (stream.match(/^[-+*/%=<>!&|]+/)) return 'operator';
  stream.next();
  return null;
}

function propertyOptions(): Completion[] {
  const byName = new Map<string, Completion>();
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
      info: `${property.type}${range}: ${property.doc}${also}`,
      apply: `${property.name}: `,
    });
  }
  return [...byName.values()];
}

/** What completion offers: the vocabulary's words (and its traits after `@`). */
const WORD_OPTIONS: readonly Completion[] = [
  ...blockKeywords().map((label) => ({ label, type: 'keyword', detail: 'block' })),
  ...propertyOptions(),
  ...COMMANDS.map((command) => ({
    label: command.name,
    type: 'function',
    detail: 'command',
    info: `${command.usage.replaceAll('`', '')}${command.aliases.length > 0 ? ` (also ${command.aliases.join(', ')})` : ''}`,
  })),
  ...EVENTS.map((event) => ({ label: event.handler, type: 'method', detail: 'handler' })),
  ...[...STATEMENT_WORDS, ...VALUE_WORDS].map((label) => ({ label, type: 'keyword' })),
];
const TRAIT_OPTIONS: readonly Completion[] = TRAITS.map((trait) => ({
  label: trait.name,
  type: 'type',
  detail: 'trait',
  ...(trait.aliases.length > 0 ? { info: `also ${trait.aliases.join(', ')}` } : {}),
}));

/** Completion of the word before the cursor (a trait's after `@`). */
export function holoCompletions(context: CompletionContext): CompletionResult | null {
  const word = context.matchBefore(/@?[A-Za-z_]\w*/);
  if (!word) return context.explicit ? { from: context.pos, options: WORD_OPTIONS } : null;
  if (word.text.startsWith('@')) return { from: word.from + 1, options: TRAIT_OPTIONS, validFor: /^\w*$/ };
  return { from: word.from, options: WORD_OPTIONS, validFor: /^\w*$/ };
}

const holoLanguage = StreamLanguage.define<HoloState>({
  name: 'holo',
  startState: () => ({ inBlockComment: false }),
  copyState: (state) => ({ ...state }),
  token,
  languageData: {
    commentTokens: { line: '//', block: { open: '/*', close: '*/' } },
    autocomplete: holoCompletions,
  },
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
