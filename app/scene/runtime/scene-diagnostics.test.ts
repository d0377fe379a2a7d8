// The editor's diagnostics source with the runtime's warnings, on the real parser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testParserModule } from '../../../testing/scene/parsed-scenes.ts';
import { inProcessParser, type ScriptParser } from '../parser/parser.ts';
import { sceneDiagnosticsSource } from './scene-diagnostics.ts';

let parser: ScriptParser;
beforeAll(async () => {
  parser = inProcessParser(await testParserModule());
});
afterAll(() => parser.close());

describe('scene diagnostics', () => {
  it('[RT1] unsupported traits and properties are marked where they are written, in order', async () => {
    const text = 'object "A" {\n  @physics(mass: 1)\n  mass: 3\n  color: "#ff0000"\n}\npost_processing { }';
    const list = await sceneDiagnosticsSource(async () => parser)(text);
    expect(list?.map((d) => [d.severity, text.slice(d.from, d.to).split('(')[0]])).toEqual([
      ['warning', '@physics'],
      ['warning', 'mass: 3'],
      ['warning', 'post_processing'],
    ]);
    expect(list?.[0]?.message).toBe('@physics is not supported; it is drawn without it. [UNSUPPORTED_TRAIT]');
    // The unknown block is the parser's warning (LANG1), not reported twice.
    expect(list?.filter((d) => d.message.includes('post_processing'))).toHaveLength(1);
  });

  it('a script with errors gets only the parser diagnostics', async () => {
    const list = await sceneDiagnosticsSource(async () => parser)('object "A" { @physics color: }');
    expect(list?.every((d) => !d.message.includes('UNSUPPORTED'))).toBe(true);
    expect(list?.some((d) => d.severity === 'error')).toBe(true);
  });
});
