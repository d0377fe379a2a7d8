/**
 * Syntax highlighting for the scene language (docs/scene-language.md) in
 * CodeMirror: a small stream tokenizer, not a parser. Parsing (and every error)
 * is the WebAssembly parser's job; this only colours what people type, so it
 * stays fast and forgiving on half-written lines.
 */
import { HighlightStyle, StreamLanguage, type StringStream, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { tags } from '@lezer/highlight';

/** Words that open a block or declare something. */
const BLOCK_KEYWORDS = new Set([
  'composition',
  'object',
  'orb',
  'entity',
  'template',
  'spatial_group',
  'environment',
  'light',
  'point_light',
  'spot_light',
  'directional_light',
  'ambient_light',
  'hemisphere_light',
  'camera',
  'state',
  'scene',
  'metadata',
  'using',
  'import',
  'from',
]);

/** Statement words inside handlers. */
const STATEMENT_KEYWORDS = new Set(['if', 'else', 'set', 'spawn', 'at', 'play_audio', 'return', 'let', 'var']);
const ATOMS = new Set(['true', 'false', 'null']);

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
    if (BLOCK_KEYWORDS.has(word)) return 'keyword';
    if (STATEMENT_KEYWORDS.has(word)) return 'control';
    if (/^on[_A-Z]/.test(word)) return 'handler';
    // `key:` is a property name (but not `a ? b : c` inside expressions).
    if (stream.match(/^\s*:/, false)) return 'property';
    return 'name';
  }
  if (stream.match(/^[{}[\]()]/)) return 'bracket';
  if (stream.match(/^[-+*/%=<>!&|]+/)) return 'operator';
  stream.next();
  return null;
}

const holoLanguage = StreamLanguage.define<HoloState>({
  name: 'holo',
  startState: () => ({ inBlockComment: false }),
  copyState: (state) => ({ ...state }),
  token,
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
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
