import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bracketCitations, citedRules, definedRules, readRuleSources } from './rule-ids.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { docs, tests } = readRuleSources(ROOT);
const defined = definedRules(docs);

describe('rule ids', () => {
  it('finds definitions in bold paragraphs and in the first cell of table rows, and citations with ranges', () => {
    const found = definedRules([
      { file: 'a.md', text: '**ABC1 — Title.** text ABC9\n| ABC2 | rule |\n| value | ABC3 |' },
    ]);
    expect([...found.keys()]).toEqual(['ABC1', 'ABC2']);
    expect(bracketCitations("it('[ABC1][XY2-XY4] and [ABC5] but not ABC6', ...)")).toEqual([
      'ABC1',
      'XY2',
      'XY3',
      'XY4',
      'ABC5',
    ]);
    expect(citedRules([{ file: 'wasm-parser/tests/data/x.diagnostics', text: 'LEX2 1:3 error' }])).toEqual(
      new Set(['LEX2']),
    );
  });

  it('[RULES1] every rule id is defined in one document only', () => {
    expect(defined.size).toBeGreaterThan(200);
    const twice = [...defined]
      .filter(([, files]) => files.size > 1)
      .map(([id, files]) => `${id}: ${[...files].join(', ')}`);
    expect(twice).toEqual([]);
  });

  it('[RULES2] every rule id is cited by a test', () => {
    const cited = citedRules(tests);
    const uncited = [...defined]
      .filter(([id]) => !cited.has(id))
      .map(([id, files]) => `${id} (${[...files].join(', ')})`);
    expect(uncited).toEqual([]);
  });
});
