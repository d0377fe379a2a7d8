/**
 * Completion for the scene language (docs/room-doc.md EDIT11, EDIT12): while
 * a word is typed, the words of the vocabulary that start with it (block
 * keywords, properties with their type, range and meaning, commands, events'
 * handlers, a trait's name after `@`) and the longer forms as templates. Never
 * inside a comment or a string. Accepting one is one plain edit (`Edit`, the
 * same shape as the indentation keys'), so the editor applies it as one change
 * of the shared text.
 *
 * Plain TypeScript: the editor's listbox (completion-list.ts) only shows it.
 *
 * @example
 *   const site = completionAt('object "A" { colo', 17, startState(), false);
 *   site?.options[0]?.label; // 'color'
 *   acceptEdit('object "A" { colo', site!, site!.options[0]!).insert; // 'color: '
 */
import { COMMANDS } from '../scene/syntax/command-words.ts';
import {
  blockKeywords,
  DECLARATION_WORDS,
  EVENTS,
  FORM_WORDS,
  HEADER_WORDS,
  PROPERTIES,
  STATEMENT_WORDS,
  TRAITS,
  VALUE_WORDS,
} from '../scene/syntax/vocabulary.ts';
import { BLOCK_MEANINGS, EVENT_HANDLERS, meaningOf } from '../scene/syntax/vocabulary-meanings.ts';
import { type HoloState, highlightLine } from './holo-language.ts';
import type { Edit } from './indent.ts';

/** At most this many options are listed (the list stays short; typing more narrows it). */
export const MAX_OPTIONS = 50;

export interface CompletionOption {
  /** What the list shows and what the typed word is matched against. */
  label: string;
  kind: 'keyword' | 'template' | 'property' | 'command' | 'event' | 'trait';
  /** A short note beside the label: where a property belongs, `command`, `trait`. */
  detail: string;
  /** What it means (a property's type, range and description; a command's usage). */
  info: string;
  /** The text that replaces the typed word. */
  insert: string;
  /** What is selected in `insert` after accepting (a template's placeholder, or the caret). */
  select: readonly [number, number];
}

/** Where completion applies: the typed word `from`..`to` and what it could become. */
export interface CompletionSite {
  from: number;
  to: number;
  options: readonly CompletionOption[];
}

const word = (label: string, kind: CompletionOption['kind'], detail: string, info = '', insert = label) => ({
  label,
  kind,
  detail,
  info,
  insert,
  select: [insert.length, insert.length] as const,
});

/** A longer form: `before`, a `placeholder` selected after accepting, then `after`. */
function template(label: string, info: string, before: string, placeholder: string, after: string): CompletionOption {
  return {
    label,
    kind: 'template',
    detail: 'template',
    info,
    insert: before + placeholder + after,
    select: [before.length, before.length + placeholder.length],
  };
}

const FORMS: readonly CompletionOption[] = [
  template('on "tap"', 'a handler of an event (SYN7)', 'on "tap" {\n  ', '', '\n}'),
  template('action', 'a scene action (SYN7)', 'action ', 'name', '() {\n  \n}'),
  template('for of', 'a loop over a list (SYN15)', 'for (const item of ', 'list', ') {\n  \n}'),
  template('if else', 'a branch (SYN8)', 'if (', 'test', ') {\n  \n} else {\n  \n}'),
];

/** One option per property name, its scopes joined (`color` is a material's, a light's and a text's). */
function propertyOptions(): CompletionOption[] {
  const byName = new Map<string, CompletionOption>();
  for (const property of PROPERTIES) {
    const where = property.scope === 'node' ? 'any object' : property.scope;
    const known = byName.get(property.name);
    if (known) {
      byName.set(property.name, { ...known, detail: `${known.detail}, ${where}` });
      continue;
    }
    const range = property.range ? ` ${property.range[0]}…${property.range[1]}` : '';
    const also = property.aliases.length > 0 ? ` (also ${property.aliases.join(', ')})` : '';
    const info = `${property.type}${range}: ${meaningOf(property).doc.replaceAll('`', '')}${also}`;
    byName.set(property.name, word(property.name, 'property', where, info, `${property.name}: `));
  }
  return [...byName.values()];
}

const unique = (words: Iterable<string>) => [...new Set(words)];
const blockMeaning = (keyword: string) =>
  Object.entries(BLOCK_MEANINGS).find(([kind]) => kind.toLowerCase() === keyword)?.[1] ?? '';

/** The language's words and forms, in the order the list shows them. */
const WORD_OPTIONS: readonly CompletionOption[] = [
  ...unique([...blockKeywords(), ...HEADER_WORDS, ...DECLARATION_WORDS]).map((label) =>
    word(label, 'keyword', 'block', blockMeaning(label).replaceAll('`', '')),
  ),
  ...unique([...STATEMENT_WORDS, ...FORM_WORDS, ...VALUE_WORDS]).map((label) => word(label, 'keyword', 'keyword')),
  ...FORMS,
  ...EVENTS.map((event) =>
    template(
      EVENT_HANDLERS[event.name],
      `runs on ${[event.name, ...event.aliases].join(', ')} (EV1)`,
      `${EVENT_HANDLERS[event.name]} {\n  `,
      '',
      '\n}',
    ),
  ),
  ...propertyOptions(),
  ...COMMANDS.map((command) =>
    word(
      command.name,
      'command',
      'command',
      `${command.usage.replaceAll('`', '')}${command.aliases.length > 0 ? ` (also ${command.aliases.join(', ')})` : ''}`,
    ),
  ),
];

const TRAIT_OPTIONS: readonly CompletionOption[] = TRAITS.map((trait) =>
  word(trait.name, 'trait', 'trait', trait.aliases.length > 0 ? `also ${trait.aliases.join(', ')}` : ''),
);

/** A trait's name being typed after `@`, or a word (not the unit of a number such as `20m`). */
const TRAIT_BEFORE = /@([\p{L}_][\p{L}\w]*)?$/u;
const WORD_BEFORE = /(?<![\p{L}\w$])[\p{L}_][\p{L}\w]*$/u;
const NOT_HERE = new Set(['lineComment', 'blockComment', 'string', 'color']);

/** Whether the caret at the end of `beforeCaret` (its line up to the caret) is in a comment or a string. */
function inCommentOrString(beforeCaret: string, lineState: HoloState): boolean {
  const { tokens, state } = highlightLine(beforeCaret, lineState);
  if (state.inBlockComment || state.inString) return true;
  const last = tokens[tokens.length - 1];
  return last !== undefined && last.to === beforeCaret.length && NOT_HERE.has(last.kind);
}

/**
 * What completion offers at `caret` in `text` (null: nothing). `lineState` is
 * the tokenizer state the caret's line starts in. `explicit` (Ctrl-Space)
 * offers every word even before one is typed.
 */
export function completionAt(
  text: string,
  caret: number,
  lineState: HoloState,
  explicit: boolean,
): CompletionSite | null {
  const lineStart = text.lastIndexOf('\n', caret - 1) + 1;
  const beforeCaret = text.slice(lineStart, caret);
  if (inCommentOrString(beforeCaret, lineState)) return null;
  const trait = TRAIT_BEFORE.exec(beforeCaret);
  const typed = trait ? (trait[1] ?? '') : (WORD_BEFORE.exec(beforeCaret)?.[0] ?? '');
  if (typed === '' && !(explicit || trait)) return null;
  const source = trait ? TRAIT_OPTIONS : WORD_OPTIONS;
  const options = source.filter((option) => option.label.startsWith(typed)).slice(0, MAX_OPTIONS);
  if (options.length === 0) return null;
  return { from: caret - typed.length, to: caret, options };
}

/**
 * The edit that accepts `option` at `site`: the typed word becomes the option's
 * text; a template's later lines take the indentation of the line it starts on.
 * After a `.` (`this.colo`) a property is its name alone.
 */
export function acceptEdit(text: string, site: CompletionSite, option: CompletionOption): Edit {
  const lineStart = text.lastIndexOf('\n', site.from - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, site.from))?.[0] ?? '';
  const member = option.kind === 'property' && text.charAt(site.from - 1) === '.';
  const raw = member ? option.label : option.insert;
  const [selectFrom, selectTo] = member ? [raw.length, raw.length] : option.select;
  // Each line break before a position moves it by the indentation added after that break.
  const shift = (at: number) => at + (raw.slice(0, at).split('\n').length - 1) * indent.length;
  return {
    from: site.from,
    to: site.to,
    insert: raw.replaceAll('\n', `\n${indent}`),
    selectionStart: site.from + shift(selectFrom),
    selectionEnd: site.from + shift(selectTo),
  };
}
