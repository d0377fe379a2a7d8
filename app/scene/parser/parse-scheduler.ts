/**
 * Queues parse requests onto executors (web workers in browsers, the
 * in-process module in Node) and decodes their binary results here, on the
 * caller's thread. Requests on a lane supersede each other: while someone
 * types, only the newest text of a lane is parsed once a parser is free,
 * and an older request resolves to `undefined` instead of a stale tree.
 */
import type { ParseResult } from '../syntax/ast.ts';
import { decodeBinaryResult } from './result-binary.ts';

/** Where a parse ran, for tests and diagnostics tools. */
interface ExecutorInfo {
  /** Index of the executor in its pool. */
  id: number;
  kind: 'worker' | 'in-process';
  /** The global scope the parse ran in, e.g. `DedicatedWorkerGlobalScope`. */
  scope: string;
}

/** What an executor hands back: the raw binary result and the parse time. */
export interface RawRun {
  bytes: Uint8Array;
  /** Milliseconds spent in the wasm parse call, measured where it ran. */
  parseMs: number;
  scope: string;
}

export interface Executor {
  readonly kind: ExecutorInfo['kind'];
  run(text: string): Promise<RawRun>;
  /** Stops the executor; a pending run rejects. */
  dispose(): void;
}

export interface ParseRun {
  result: ParseResult;
  executor: ExecutorInfo;
  parseMs: number;
}

export interface SchedulerStats {
  /** Parses completed per executor id. */
  parsedBy: number[];
  /** Requests answered with `undefined` because a newer one on their lane came. */
  superseded: number;
  /** Requests waiting for a free executor. */
  queued: number;
}

interface Job {
  text: string;
  lane: string | undefined;
  sequence: number;
  resolve(run: ParseRun | undefined): void;
  reject(error: Error): void;
}

export class ParserClosedError extends Error {
  override name = 'ParserClosedError';
}

export class ParseScheduler {
  private readonly queue: Job[] = [];
  private readonly executors: Executor[];
  private readonly idle: number[];
  private readonly latest = new Map<string, number>();
  private readonly parsedBy: number[];
  private sequence = 0;
  private superseded = 0;
  private closed = false;

  /** `create(id)` makes executor `id`; it is called again to replace one that failed. */
  constructor(
    private readonly create: (id: number) => Executor,
    size: number,
  ) {
    this.executors = Array.from({ length: size }, (_, id) => create(id));
    this.idle = this.executors.map((_, id) => id).reverse();
    this.parsedBy = this.executors.map(() => 0);
  }

  /**
   * Parses `text`. With a `lane`, a later request on the same lane
   * supersedes this one: it resolves to `undefined` if it was still queued,
   * or if it finished after the newer request was made.
   */
  submit(text: string, lane?: string): Promise<ParseRun | undefined> {
    if (this.closed) return Promise.reject(new ParserClosedError('the parser was closed'));
    const sequence = ++this.sequence;
    if (lane !== undefined) {
      this.latest.set(lane, sequence);
      for (let i = this.queue.length - 1; i >= 0; i--) {
        const queued = this.queue[i] as Job;
        if (queued.lane === lane) {
          this.queue.splice(i, 1);
          this.superseded++;
          queued.resolve(undefined);
        }
      }
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ text, lane, sequence, resolve, reject });
      this.pump();
    });
  }

  stats(): SchedulerStats {
    return { parsedBy: [...this.parsedBy], superseded: this.superseded, queued: this.queue.length };
  }

  close(): void {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new ParserClosedError('the parser was closed'));
    for (const executor of this.executors) executor.dispose();
  }

  private isStale(job: Job): boolean {
    return job.lane !== undefined && this.latest.get(job.lane) !== job.sequence;
  }

  private pump(): void {
    while (!this.closed && this.queue.length > 0 && this.idle.length > 0) {
      const job = this.queue.shift() as Job;
      const id = this.idle.pop() as number;
      const executor = this.executors[id] as Executor;
      executor.run(job.text).then(
        (raw) => {
          this.idle.push(id);
          this.parsedBy[id] = (this.parsedBy[id] ?? 0) + 1;
          if (this.isStale(job)) {
            this.superseded++;
            job.resolve(undefined);
          } else {
            try {
              const result = decodeBinaryResult(raw.bytes);
              job.resolve({ result, executor: { id, kind: executor.kind, scope: raw.scope }, parseMs: raw.parseMs });
            } catch (error) {
              job.reject(error instanceof Error ? error : new Error(String(error)));
            }
          }
          this.pump();
        },
        (error: unknown) => {
          // The executor failed (a worker died or timed out): replace it.
          executor.dispose();
          if (!this.closed) this.executors[id] = this.create(id);
          this.idle.push(id);
          job.reject(error instanceof Error ? error : new Error(String(error)));
          this.pump();
        },
      );
    }
  }
}
