// Properties of the parser through the real WebAssembly module, with seeded
// fast-check runs (a failure prints its seed and a shrunk counterexample):
// - [LIM3] random and mutated scripts never trap (a trap would throw a
//   WebAssembly.RuntimeError) or hang (the run would time out);
// - every diagnostic lies inside the input, and its line/column and byte
//   offsets agree with its UTF-16 offsets;
// - printing a tree and parsing the text gives the same tree back.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { arbitraryDocument, withoutSpans } from '../../../testing/scene/ast-arbitrary.ts';
import { loadParserModuleForNode } from '../../../tools/node-parser.ts';
import type { ParseResult } from '../syntax/ast.ts';
import { printDocument } from '../syntax/printer.ts';
import type { ParserModule } from './wasm-module.ts';

const SEED = 0x5eed;
const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../wasm-parser/tests/data');
const seedScripts = ['ok', 'err'].flatMap((dir) =>
  readdirSync(path.join(DATA, dir))
    .filter((name) => name.endsWith('.holo'))
    .map((name) => readFileSync(path.join(DATA, dir, name), 'utf8')),
);

/** Fragments that stress the grammar's edges when spliced into a script. */
const FRAGMENTS = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ':',
  ',',
  ';',
  '\n',
  '\r\n',
  '@',
  '@x(',
  '"',
  "'",
  '/*',
  '*/',
  '//',
  '#',
  '#fff',
  '-',
  '--',
  '++',
  '=',
  '+=',
  '!',
  '.',
  '.5',
  '1e',
  '1e999',
  'if',
  'else',
  'let',
  'return',
  'import',
  'object "A" {',
  'on_click {',
  'onX: {',
  'f(a) {',
  'set x -1',
  '\\',
  'é',
  '😀',
  '\ud800',
  '\u0000',
  '\ufeff',
  '`',
  '${',
  '`a${',
  '}`',
  '?',
  '?.',
  '??',
  '=>',
  '->',
  '|',
  '&',
  '**',
  '...',
  "'''",
  '"\n',
  '0x1f',
  '20m',
  '50%',
  '45°',
  '# note\n',
  'on ',
  'on(',
  'on "tap" {',
  'action a(',
  'function (',
  '(a) => ',
  'for (x of y) {',
  'a<b>',
  'x?:',
  '= 1',
  '\u00a0',
];

let parser: ParserModule;

beforeAll(async () => {
  parser = await loadParserModuleForNode();
});

/** 1-based line and UTF-16 column of `offset`, counting `\n`, `\r\n` and `\r` as line ends. */
function lineColumn(text: string, offset: number): [number, number] {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return [line, offset - lineStart + 1];
}

const encoder = new TextEncoder();

function checkDiagnostics(text: string, result: ParseResult): void {
  for (const d of result.diagnostics) {
    expect(0 <= d.from && d.from <= d.to && d.to <= text.length, `${d.code} ${d.from}..${d.to}`).toBe(true);
    expect([d.line, d.column]).toEqual(lineColumn(text, d.from));
    expect([d.endLine, d.endColumn]).toEqual(lineColumn(text, d.to));
    // TextEncoder writes a lone surrogate as U+FFFD (3 bytes for 1 unit), as the parser counts it.
    expect(d.byteStart).toBe(encoder.encode(text.slice(0, d.from)).length);
    expect(d.byteEnd).toBe(encoder.encode(text.slice(0, d.to)).length);
  }
  expect(result.errors + result.warnings).toBe(result.diagnostics.length);
}

/** Any tree the parser returns prints to text that parses, without errors, to the same tree. */
function checkRoundTrip(result: ParseResult): void {
  const printed = printDocument(result.document);
  const again = parser.parse(printed);
  expect(again.errors, printed).toBe(0);
  expect(withoutSpans(again.document)).toEqual(withoutSpans(result.document));
}

const mutation = fc.oneof(
  fc.record({ at: fc.nat(), insert: fc.constantFrom(...FRAGMENTS) }),
  fc.record({ at: fc.nat(), remove: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ at: fc.nat(), duplicate: fc.integer({ min: 1, max: 60 }) }),
);

function mutate(text: string, steps: readonly (typeof mutation extends fc.Arbitrary<infer M> ? M : never)[]): string {
  let out = text;
  for (const step of steps) {
    const at = step.at % (out.length + 1);
    if ('insert' in step) out = out.slice(0, at) + step.insert + out.slice(at);
    else if ('remove' in step) out = out.slice(0, at) + out.slice(at + step.remove);
    else out = out.slice(0, at) + out.slice(at, at + step.duplicate) + out.slice(at);
  }
  return out;
}

describe('any input', () => {
  it('[LIM3] random text never traps or hangs, and diagnostics lie inside it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        checkDiagnostics(text, parser.parse(text));
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('[LIM3] token soup never traps or hangs, and what parses round-trips', () => {
    const soup = fc
      .array(fc.tuple(fc.constantFrom(...FRAGMENTS), fc.constantFrom('', ' ', '\n', 'x', '1')), { maxLength: 60 })
      .map((parts) => parts.map(([a, b]) => a + b).join(''));
    fc.assert(
      fc.property(soup, (text) => {
        const result = parser.parse(text);
        checkDiagnostics(text, result);
        checkRoundTrip(result);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('[LIM3] mutated scenes never trap or hang, and what parses round-trips', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seedScripts),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (script, steps) => {
          const text = mutate(script, steps);
          const result = parser.parse(text);
          checkDiagnostics(text, result);
          checkRoundTrip(result);
        },
      ),
      { seed: SEED, numRuns: 1500 },
    );
  });
});

describe('pretty-printer', () => {
  it('every test scene round-trips through print and parse', () => {
    for (const script of seedScripts) checkRoundTrip(parser.parse(script));
  });

  it('generated trees print to scripts that parse back to the same tree, with no errors', () => {
    fc.assert(
      fc.property(arbitraryDocument, (document) => {
        const printed = printDocument(document);
        const result = parser.parse(printed);
        expect(result.errors, `${printed}\n${JSON.stringify(result.diagnostics[0])}`).toBe(0);
        expect(withoutSpans(result.document)).toEqual(withoutSpans(document));
      }),
      { seed: SEED, numRuns: 600 },
    );
  });
});
