/**
 * Browser parsing off the main thread: a small pool of web workers sharing
 * one compiled `WebAssembly.Module` (compiled once by `compileParser`, posted
 * to each worker, instantiated there). Scheduling and superseding are in
 * parse-scheduler.ts; this file is the worker transport.
 */
import { type Executor, ParseScheduler, type RawRun } from './parse-scheduler.ts';
import { type ScriptParser, scriptParser } from './parser.ts';
import { compileParser } from './wasm-module.ts';
import type { FromWorker, ToWorker } from './worker-messages.ts';

/** A parse is bounded (LIM1-LIM3) and takes milliseconds; this long means the worker is gone. */
const WORKER_TIMEOUT_MS = 10_000;
/** Workers by default: parsing is fast, so two cover an editor plus a peer's update. */
const DEFAULT_POOL_SIZE = 2;

interface Pending {
  resolve(run: RawRun): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

class WorkerExecutor implements Executor {
  readonly kind = 'worker';
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextJob = 0;
  private failure: Error | undefined;

  constructor(module: WebAssembly.Module, workerId: number) {
    this.worker = new Worker(new URL('./parse-worker.ts', import.meta.url), {
      type: 'module',
      name: `holoroom-parser-${workerId}`,
    });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    this.worker.onerror = (event) => this.fail(new Error(`parse worker failed: ${event.message}`));
    this.worker.postMessage({ type: 'init', module, workerId } satisfies ToWorker);
  }

  run(text: string): Promise<RawRun> {
    if (this.failure) return Promise.reject(this.failure);
    const job = this.nextJob++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new Error(`parse worker gave no answer in ${WORKER_TIMEOUT_MS} ms`)),
        WORKER_TIMEOUT_MS,
      );
      this.pending.set(job, { resolve, reject, timer });
      this.worker.postMessage({ type: 'parse', job, text } satisfies ToWorker);
    });
  }

  dispose(): void {
    this.fail(new Error('parse worker stopped'));
  }

  private receive(message: FromWorker): void {
    const job = message.job;
    if (job === null) {
      this.fail(new Error(`parse worker could not start: ${message.type === 'error' ? message.message : ''}`));
      return;
    }
    const pending = this.pending.get(job);
    if (!pending) return;
    this.pending.delete(job);
    clearTimeout(pending.timer);
    if (message.type === 'result') {
      pending.resolve({ bytes: message.bytes, parseMs: message.parseMs, scope: message.scope });
    } else {
      pending.reject(new Error(`parse failed in the worker: ${message.message}`));
    }
  }

  /** Terminates the worker and fails everything it still owes. */
  private fail(error: Error): void {
    this.failure ??= error;
    this.worker.terminate();
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
  }
}

export interface BrowserParserOptions {
  /** Number of workers (default `DEFAULT_POOL_SIZE`). */
  workers?: number;
}

/** Compiles the parser at `url` once and starts a worker pool on it. */
export async function loadBrowserParser(url: string, options: BrowserParserOptions = {}): Promise<ScriptParser> {
  const module = await compileParser(url);
  const size = Math.max(1, options.workers ?? DEFAULT_POOL_SIZE);
  return scriptParser(new ParseScheduler((id) => new WorkerExecutor(module, id), size));
}
