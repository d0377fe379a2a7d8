// The editor's marks from the scene runtime: the parser's diagnostics plus
// what the scene does not use, for exactly the text the runtime parsed, on the
// real WebAssembly parser (in-process, latest wins, as the worker pool).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testParserModule } from '../../../testing/scene/parsed-scenes.ts';
import { openRoomDoc } from '../../../testing/sync/room-docs.ts';
import { latestWins } from '../../editor/diagnostics.ts';
import { inProcessParser, type ScriptParser } from '../parser/parser.ts';
import { SceneRuntime } from './scene-runtime.ts';

let parser: ScriptParser;
beforeAll(async () => {
  parser = inProcessParser(await testParserModule());
});
afterAll(() => parser.close());

/** A room whose script is `text`, its runtime, and the marks it gives for that text. */
async function marksOf(text: string) {
  const room = openRoomDoc();
  room.replaceScript(text);
  let parses = 0;
  const runtime = new SceneRuntime({
    room,
    parse: (script) => {
      parses++;
      return parser.parseLatest('scene', script);
    },
  }).start();
  const list = await runtime.diagnosticsFor(text);
  runtime.destroy();
  return { list, parses };
}

describe('scene diagnostics', () => {
  it('[RT1] unsupported traits and properties are marked where they are written, in order', async () => {
    const text = 'object "A" {\n  @draggable(speed: 1)\n  wobble: 3\n  color: "#ff0000"\n}\npost_processing { }';
    const { list } = await marksOf(text);
    expect(list?.map((d) => [d.severity, text.slice(d.from, d.to).split('(')[0]])).toEqual([
      ['warning', '@draggable'],
      ['warning', 'wobble: 3'],
      ['warning', 'post_processing'],
    ]);
    expect(list?.[0]?.message).toBe('@draggable is not supported; it is drawn without it. [UNSUPPORTED_TRAIT]');
    // The unknown block is the parser's warning (LANG1), not reported twice.
    expect(list?.filter((d) => d.message.includes('post_processing'))).toHaveLength(1);
  });

  it('a script with errors gets only the parser diagnostics', async () => {
    const { list } = await marksOf('object "A" { @physics color: }');
    expect(list?.every((d) => !d.message.includes('UNSUPPORTED'))).toBe(true);
    expect(list?.some((d) => d.severity === 'error')).toBe(true);
  });

  it('turns a syntax error into an error mark inside the text, with the rule id', async () => {
    const text = 'object "Cube" {\n  color: "#ff0000"\n  position: [0, 1\n}\n';
    const { list } = await marksOf(text);
    expect(list?.length).toBeGreaterThan(0);
    const first = list?.[0];
    expect(first?.severity).toBe('error');
    expect(first?.from).toBeGreaterThanOrEqual(text.indexOf('position'));
    expect(first?.to).toBeLessThanOrEqual(text.length);
    expect(first?.message).toMatch(/\[[A-Z]+\d+\]$/);
  });

  it('reports nothing for a valid script', async () => {
    expect((await marksOf('object "Cube" { color: "#ff0000" }\n')).list).toEqual([]);
  });

  it('[RUN1] one parse serves the scene and the editor', async () => {
    const { list, parses } = await marksOf('object "Cube" { color: "#ff0000" }\n');
    expect(list).toEqual([]);
    expect(parses).toBe(1);
  });

  it('latest wins: of two quick requests only the newer one is answered', async () => {
    const room = openRoomDoc();
    const runtime = new SceneRuntime({ room, parse: (script) => parser.parseLatest('scene', script) }).start();
    const source = latestWins((text) => runtime.diagnosticsFor(text));
    room.replaceScript('object "A" {');
    const older = source('object "A" {');
    room.replaceScript('object "A" {}');
    const newer = source('object "A" {}');
    expect(await older).toBeUndefined();
    expect(await newer).toEqual([]);
    runtime.destroy();
  });
});
