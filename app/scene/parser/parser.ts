/**
 * The parser as the app uses it: one asynchronous API whether parses run in
 * a pool of web workers (browsers, see worker-pool.ts) or in-process (Node:
 * tests, CLI, benchmarks).
 *
 * @example
 *   const parser = await loadBrowserParser(PARSER_WASM_URL);
 *   const { document, diagnostics } = await parser.parse(text);
 *   // While typing: only the newest text of a lane gets an answer.
 *   const latest = await parser.parseLatest('editor', text); // undefined if superseded
 */
import type { ParseResult } from '../syntax/ast.ts';
import { type Executor, type ParseRun, ParseScheduler, type RawRun, type SchedulerStats } from './parse-scheduler.ts';
import type { ParserModule } from './wasm-module.ts';

export type { ParseRun } from './parse-scheduler.ts';

export interface ScriptParser {
  /** Parses `text`; always resolves with a result (problems are diagnostics). */
  parse(text: string): Promise<ParseResult>;
  /** Parses `text` unless a newer request on `lane` supersedes it (then `undefined`). */
  parseLatest(lane: string, text: string): Promise<ParseResult | undefined>;
  /** Like `parseLatest` (or `parse` without a lane), with where and how long it ran. */
  run(text: string, lane?: string): Promise<ParseRun | undefined>;
  stats(): SchedulerStats;
  /** Stops the executors; pending requests reject with `ParserClosedError`. */
  close(): void;
}

/** Wraps a scheduler in the public API. */
export function scriptParser(scheduler: ParseScheduler): ScriptParser {
  return {
    async parse(text) {
      const run = await scheduler.submit(text);
      // Without a lane nothing can supersede the request.
      if (!run) throw new Error('unreachable: an unlaned parse was superseded');
      return run.result;
    },
    async parseLatest(lane, text) {
      return (await scheduler.submit(text, lane))?.result;
    },
    run: (text, lane) => scheduler.submit(text, lane),
    stats: () => scheduler.stats(),
    close: () => scheduler.close(),
  };
}

/** Runs parses on an instantiated module in this thread, one macrotask each. */
class InProcessExecutor implements Executor {
  readonly kind = 'in-process';

  constructor(private readonly module: ParserModule) {}

  run(text: string): Promise<RawRun> {
    return new Promise((resolve, reject) => {
      setTimeout(() => {
        try {
          const t0 = performance.now();
          const bytes = this.module.parseRaw(text, 'binary');
          resolve({ bytes, parseMs: performance.now() - t0, scope: 'in-process' });
        } catch (error) {
          reject(error);
        }
      }, 0);
    });
  }

  dispose(): void {}
}

/** The same API as the worker pool, parsing in this thread (Node, tests). */
export function inProcessParser(module: ParserModule): ScriptParser {
  return scriptParser(new ParseScheduler(() => new InProcessExecutor(module), 1));
}
