/**
 * The vocabulary's tables in the documents (app/scene/syntax/vocabulary.ts is
 * the source): each lives between `<!-- vocabulary:NAME -->` and
 * `<!-- /vocabulary:NAME -->` in a document, and `npm run docs` rewrites them;
 * vocabulary-docs.test.ts fails when a document and the vocabulary disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BLOCK_KEYWORDS } from '../app/scene/syntax/ast.ts';
import { COMMANDS } from '../app/scene/syntax/command-words.ts';
import {
  ARGUMENT_WORDS,
  DECLARATION_WORDS,
  EVENTS,
  FORM_WORDS,
  HEADER_WORDS,
  NODE_KEYWORDS,
  PROPERTIES,
  type Property,
  STATEMENT_WORDS,
  TRAITS,
  VALUE_WORDS,
} from '../app/scene/syntax/vocabulary.ts';
import {
  BLOCK_MEANINGS,
  COMMAND_MEANINGS,
  EVENT_HANDLERS,
  meaningOf,
} from '../app/scene/syntax/vocabulary-meanings.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const code = (word: string) => `\`${word}\``;
const list = (words: readonly string[]) => words.map(code).join(', ');

/** SYN3: block keywords and the node kinds they make. */
function blocksTable(): string {
  const byKind = new Map<string, string[]>();
  for (const [keyword, kind] of Object.entries(BLOCK_KEYWORDS))
    byKind.set(kind, [...(byKind.get(kind) ?? []), keyword]);
  const rows = [...byKind].map(
    ([kind, keywords]) =>
      `| ${list(keywords)} | ${code(kind)} | ${BLOCK_MEANINGS[kind as keyof typeof BLOCK_MEANINGS]} |`,
  );
  return [
    '| Keywords | Kind | Meaning |',
    '|---|---|---|',
    ...rows,
    '| anything else | `UnknownBlock` | Kept for tools, ignored by the scene; warning LANG1. |',
  ].join('\n');
}

function handlers(property: Property): string {
  if (property.writable) return property.stored === 'transform' ? 'read, write (transform)' : 'read, write';
  return property.readable ? 'read' : '';
}

/** Every word the scene runtime knows: properties, traits, events, commands, keywords. */
function wordsSection(): string {
  const properties = PROPERTIES.map((property) => {
    const range = property.range ? `${property.range[0]} … ${property.range[1]}` : '';
    const where = property.scope === 'node' ? 'every node' : property.scope;
    return `| ${code(property.name)} | ${list(property.aliases)} | ${where} | ${property.type} | ${range} | ${handlers(property)} | ${meaningOf(property).rule} | ${meaningOf(property).doc} |`;
  });
  const traits = TRAITS.map(
    (trait) =>
      `| ${code(`@${trait.name}`)} | ${list(trait.aliases.map((alias) => `@${alias}`))} | ${trait.rule} | ${trait.toggleable ? 'yes' : ''} |`,
  );
  const events = EVENTS.map(
    (event) => `| ${code(event.name)} | ${list(event.aliases)} | ${code(EVENT_HANDLERS[event.name])} |`,
  );
  const commands = COMMANDS.map(
    (command) =>
      `| ${code(command.name)} | ${list(command.aliases)} | ${command.rule} | ${command.method ? 'also `this.playSound(…)`' : ''} |`,
  );
  return [
    'Names match without regard to case and underscores. "Handlers" says what a handler may do with',
    'it (`this.<name>`, INT2, PROP1).',
    '',
    '| Property | Also | On | Value | Range | Handlers | Rule | Meaning |',
    '|---|---|---|---|---|---|---|---|',
    ...properties,
    '',
    '| Trait | Also | Rule | `toggle_trait` |',
    '|---|---|---|---|',
    ...traits,
    '',
    '| Event | Also | Handler |',
    '|---|---|---|',
    ...events,
    '',
    '| Command | Also | Rule | Notes |',
    '|---|---|---|---|',
    ...commands,
    '',
    `Block keywords the scene draws though the parser keeps them as unknown blocks: ${list(NODE_KEYWORDS)} (KIND2,`,
    `KIND3). Other words: ${list(HEADER_WORDS)} (headers and imports), ${list(DECLARATION_WORDS)} (actions and`,
    `functions), ${list(STATEMENT_WORDS)} (statements), ${list(FORM_WORDS)} (loops and \`on\` handlers),`,
    `${list(VALUE_WORDS)} (values), ${list(ARGUMENT_WORDS)} (in command lines).`,
  ].join('\n');
}

/** CMD1-CMD12: what each command does. */
function commandsTable(): string {
  const rules = [...new Set(COMMANDS.map((command) => command.rule))];
  const rows = rules.map((rule) => {
    const usages = COMMANDS.filter((command) => command.rule === rule).map(
      (command) => `${code(command.usage)}${command.aliases.length > 0 ? ` (${list(command.aliases)})` : ''}`,
    );
    return `| ${rule} | ${usages.join(', ')} | ${COMMAND_MEANINGS[rule]} |`;
  });
  return [
    '| id | command | meaning |',
    '|---|---|---|',
    ...rows,
    `| CMD12 | anything else (\`animate\`, \`trigger\`, \`emit\`, …) | ${COMMAND_MEANINGS.CMD12} |`,
  ].join('\n');
}

/** Each generated section: the document it lives in, its name, its text. */
export function vocabularySections(): { file: string; name: string; text: string }[] {
  return [
    { file: 'docs/scene-language.md', name: 'blocks', text: blocksTable() },
    { file: 'docs/scene-language.md', name: 'words', text: wordsSection() },
    { file: 'docs/scene-runtime.md', name: 'commands', text: commandsTable() },
  ];
}

const markers = (name: string) => [`<!-- vocabulary:${name} -->`, `<!-- /vocabulary:${name} -->`] as const;

/** The text between a section's markers in `doc`, or undefined when the markers are missing. */
export function sectionIn(doc: string, name: string): string | undefined {
  const [open, close] = markers(name);
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  if (start < 0 || end < start) return undefined;
  return doc.slice(start + open.length, end).trim();
}

export function readDoc(file: string): string {
  return readFileSync(path.join(ROOT, file), 'utf8');
}

/** Rewrites every generated section in place. */
function writeSections(): void {
  for (const section of vocabularySections()) {
    const doc = readDoc(section.file);
    const [open, close] = markers(section.name);
    const start = doc.indexOf(open);
    const end = doc.indexOf(close);
    if (start < 0 || end < start) throw new Error(`${section.file} has no ${open} … ${close} markers`);
    const next = `${doc.slice(0, start + open.length)}\n${section.text}\n${doc.slice(end)}`;
    writeFileSync(path.join(ROOT, section.file), next);
    console.log(`${section.file}: ${section.name}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) writeSections();
