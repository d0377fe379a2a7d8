// The scheduler behind both the worker pool and the in-process parser, driven
// through the real wasm parser in this process.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParserModuleForNode } from '../../../tools/node-parser.ts';
import { type Executor, ParserClosedError, ParseScheduler, type RawRun } from './parse-scheduler.ts';
import { inProcessParser } from './parser.ts';
import type { ParserModule } from './wasm-module.ts';

let module: ParserModule;

beforeAll(async () => {
  module = await loadParserModuleForNode();
});

/** Runs on the real module, but only when `release()` is called (to hold a parse in flight). */
class GatedExecutor implements Executor {
  readonly kind = 'in-process';
  readonly started: string[] = [];
  private gates: (() => void)[] = [];

  constructor(private readonly parser: ParserModule) {}

  run(text: string): Promise<RawRun> {
    this.started.push(text);
    return new Promise((resolve) => {
      this.gates.push(() => resolve({ bytes: this.parser.parseRaw(text, 'binary'), parseMs: 0, scope: 'test' }));
    });
  }

  release(): void {
    this.gates.shift()?.();
  }

  dispose(): void {}
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('parse scheduler', () => {
  it('parses through the module and reports where it ran', async () => {
    const parser = inProcessParser(module);
    const run = await parser.run('object "A" { x: 1 }');
    expect(run?.result.document.children[0]?.name).toBe('A');
    expect(run?.executor).toEqual({ id: 0, kind: 'in-process', scope: 'in-process' });
    expect(parser.stats().parsedBy).toEqual([1]);
    parser.close();
  });

  it('a newer request on a lane drops the queued older one (latest wins)', async () => {
    const executor = new GatedExecutor(module);
    const scheduler = new ParseScheduler(() => executor, 1);
    const first = scheduler.submit('object "First" {}', 'editor');
    const second = scheduler.submit('object "Second" {}', 'editor');
    const third = scheduler.submit('object "Third" {}', 'editor');
    // "First" is running; "Second" was queued and is dropped without being parsed.
    expect(await second).toBeUndefined();
    executor.release();
    // "First" finished after "Third" was asked for: its answer is stale.
    expect(await first).toBeUndefined();
    await flush();
    executor.release();
    expect((await third)?.result.document.children[0]?.name).toBe('Third');
    expect(executor.started).toEqual(['object "First" {}', 'object "Third" {}']);
    expect(scheduler.stats()).toMatchObject({ superseded: 2, queued: 0 });
  });

  it('lanes are independent, and requests without a lane are never superseded', async () => {
    const parser = inProcessParser(module);
    const [a, b, plain] = await Promise.all([
      parser.parseLatest('one', 'object "A" {}'),
      parser.parseLatest('two', 'object "B" {}'),
      parser.parse('object "C" {}'),
    ]);
    expect([a?.document.children[0]?.name, b?.document.children[0]?.name, plain.document.children[0]?.name]).toEqual([
      'A',
      'B',
      'C',
    ]);
    parser.close();
  });

  it('a failed executor is replaced and the next request still parses', async () => {
    let created = 0;
    const scheduler = new ParseScheduler(() => {
      created++;
      if (created === 1) {
        return { kind: 'worker', run: () => Promise.reject(new Error('worker died')), dispose() {} };
      }
      return new GatedExecutor(module);
    }, 1);
    await expect(scheduler.submit('object "A" {}')).rejects.toThrow('worker died');
    const next = scheduler.submit('object "B" {}');
    await flush();
    expect(created).toBe(2);
    const replacement = (scheduler as unknown as { executors: GatedExecutor[] }).executors[0];
    replacement?.release();
    expect((await next)?.result.document.children[0]?.name).toBe('B');
  });

  it('close rejects queued requests and refuses new ones', async () => {
    const executor = new GatedExecutor(module);
    const scheduler = new ParseScheduler(() => executor, 1);
    void scheduler.submit('a').catch(() => {});
    const queued = scheduler.submit('b');
    scheduler.close();
    await expect(queued).rejects.toBeInstanceOf(ParserClosedError);
    await expect(scheduler.submit('c')).rejects.toBeInstanceOf(ParserClosedError);
  });
});
