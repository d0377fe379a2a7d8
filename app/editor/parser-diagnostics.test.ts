// The editor's diagnostics from the real WebAssembly parser (built by
// `npm run build`), through the same asynchronous API as the browser's worker pool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScriptParserForNode } from '../../tools/node-parser.ts';
import type { ScriptParser } from '../scene/parser/parser.ts';
import { latestWins } from './diagnostics.ts';
import { parserDiagnosticsSource } from './parser-diagnostics.ts';

let parser: ScriptParser;
beforeAll(async () => {
  parser = await loadScriptParserForNode();
});
afterAll(() => parser?.close());

describe('parser diagnostics in the editor', () => {
  it('turns a syntax error into an error mark inside the text, with the rule id', async () => {
    const text = 'object "Cube" {\n  color: "#ff0000"\n  position: [0, 1\n}\n';
    const list = await parserDiagnosticsSource(parser)(text);
    expect(list?.length).toBeGreaterThan(0);
    const first = list?.[0];
    expect(first?.severity).toBe('error');
    expect(first?.from).toBeGreaterThanOrEqual(text.indexOf('position'));
    expect(first?.to).toBeLessThanOrEqual(text.length);
    expect(first?.message).toMatch(/\[[A-Z]+\d+\]$/);
  });

  it('reports nothing for a valid script', async () => {
    expect(await parserDiagnosticsSource(parser)('object "Cube" { color: "#ff0000" }\n')).toEqual([]);
  });

  it('latest wins: of two quick requests only the newer one is answered', async () => {
    const source = latestWins(parserDiagnosticsSource(parser));
    const [older, newer] = await Promise.all([source('object "A" {'), source('object "A" {}')]);
    expect(older).toBeUndefined();
    expect(newer).toEqual([]);
  });
});
