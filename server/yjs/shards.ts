/**
 * The main thread's side of one shard worker (SEC7): posts jobs, matches each
 * `done` to its job in order, and watches the time. A job that occupies the
 * worker longer than its limit (an update shaped to make integration
 * quadratic, say) cannot be interrupted inside the worker, so the worker is
 * terminated and a fresh one started; what the killed worker held in memory
 * is on disk already (RS10), and the owner re-joins its connections.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.ts';
import { errorText } from '../socket-watch.ts';
import type { ShardOptions } from './shard-host.ts';
import type { FromShard, ShardDone, ShardJob, ToShard } from './shard-protocol.ts';

/** How often the watchdog looks at the job in progress. */
const WATCHDOG_INTERVAL_MS = 100;
/** Slots of the table of closed connections shared with the worker (ids modulo this). */
const CANCEL_SLOTS = 65_536;

export interface ShardEvents {
  done(done: ShardDone, job: ShardJob): void;
  /**
   * The worker was replaced. `culprit` is the job that ran too long (undefined
   * when the worker died on its own); `lost` are the jobs it never answered.
   */
  restarted(culprit: ShardJob | undefined, lost: ShardJob[]): void;
}

interface Queued {
  seq: number;
  job: ShardJob;
  timeoutMs: number;
  resolve?: (done: ShardDone) => void;
}

/** Where the worker's code is: the bundled .js beside the built server, or the .ts source through tsx. */
function workerEntry(): { file: URL; workerData: Record<string, unknown> } {
  if (import.meta.url.endsWith('.ts')) {
    return {
      file: new URL('./ts-worker-boot.mjs', import.meta.url),
      workerData: { entry: new URL('./shard-worker.ts', import.meta.url).href },
    };
  }
  return { file: new URL('./shard-worker.js', import.meta.url), workerData: {} };
}

export class SyncShard {
  /** Started with the first job: a server whose rooms nobody opens costs no thread. */
  private worker: Worker | undefined;
  private readonly queue: Queued[] = [];
  private seq = 0;
  /**
   * What the worker is doing, written by the worker itself (shared memory):
   * [0] the sequence number of the job it runs (0 when idle), [1] when it
   * started it (ms since epoch). Measured there, so a main thread that is
   * late to read the worker's answers never mistakes a finished job for a
   * stuck one. A fresh one per worker, so a terminated worker cannot write
   * into its successor's.
   */
  private progress = new BigInt64Array(new SharedArrayBuffer(16));
  private readonly watchdog: NodeJS.Timeout;
  private stopping = false;
  /**
   * Connections closed since their messages were posted: slot `id % CANCEL_SLOTS`
   * holds the id. Shared memory, so the worker skips a closed connection's
   * queued messages (an attacker's backlog) without waiting for its leave.
   */
  private readonly cancelled = new Int32Array(new SharedArrayBuffer(4 * CANCEL_SLOTS));
  restarts = 0;

  /**
   * `heapLimitMb`: the worker's own V8 heap limit. A room that would need more
   * ends its worker (which is restarted like a timed-out one), never the process.
   */
  constructor(
    readonly index: number,
    private readonly options: ShardOptions,
    private readonly logger: Logger,
    private readonly events: ShardEvents,
    private readonly heapLimitMb = 1024,
  ) {
    this.watchdog = setInterval(() => this.checkTime(), WATCHDOG_INTERVAL_MS);
    this.watchdog.unref();
  }

  /** True once the worker thread exists (it starts with the first job). */
  get started(): boolean {
    return this.worker !== undefined;
  }

  /** Jobs posted and not yet answered. */
  get backlog(): number {
    return this.queue.length;
  }

  /** The worker drops whatever of `conn` it has not started yet. */
  cancel(conn: number): void {
    Atomics.store(this.cancelled, conn % CANCEL_SLOTS, conn);
  }

  /** Posts `job`; `timeoutMs` is how long it may run once the worker gets to it. */
  post(job: ShardJob, timeoutMs: number, transfer: ArrayBuffer[] = []): Promise<ShardDone> {
    return new Promise((resolve) => {
      const seq = ++this.seq;
      this.queue.push({ seq, job, timeoutMs, resolve });
      const message: ToShard = { ...job, seq };
      this.worker ??= this.start();
      this.worker.postMessage(message, transfer);
    });
  }

  /** Posts `job` without waiting for its answer (answers still go to `events.done`). */
  send(job: ShardJob, timeoutMs: number, transfer: ArrayBuffer[] = []): void {
    void this.post(job, timeoutMs, transfer);
  }

  async close(graceMs: number): Promise<void> {
    this.stopping = true;
    clearInterval(this.watchdog);
    if (!this.worker) return;
    const done = this.post({ t: 'shutdown' }, graceMs);
    const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([done, timer]);
    await this.worker?.terminate();
  }

  private start(): Worker {
    const entry = workerEntry();
    this.progress = new BigInt64Array(new SharedArrayBuffer(16));
    const worker = new Worker(entry.file, {
      workerData: { ...entry.workerData, options: this.options, cancelled: this.cancelled, progress: this.progress },
      resourceLimits: { maxOldGenerationSizeMb: this.heapLimitMb },
    });
    worker.on('message', (message: FromShard) => this.onMessage(worker, message));
    worker.on('error', (error) => {
      if (worker !== this.worker) return;
      this.logger.error('sync', 'shard worker failed', { shard: this.index, error: errorText(error) });
    });
    worker.on('exit', (code) => {
      if (worker !== this.worker || this.stopping) return;
      this.logger.error('sync', 'shard worker exited; starting a new one', { shard: this.index, code });
      this.replace(undefined);
    });
    return worker;
  }

  private onMessage(worker: Worker, message: FromShard): void {
    if (worker !== this.worker) return;
    if (message.t === 'log') {
      this.logger[message.level](message.area, message.message, { shard: this.index, ...message.fields });
      return;
    }
    if (message.t !== 'done') return;
    const head = this.queue[0];
    if (!head || head.seq !== message.seq) {
      this.logger.error('sync', 'shard answered out of order', { shard: this.index });
      return;
    }
    this.queue.shift();
    this.events.done(message, head.job);
    head.resolve?.(message);
  }

  /** SEC7: the job the worker is running has had it for too long. */
  private checkTime(): void {
    if (this.stopping || !this.worker) return;
    const seq = Number(Atomics.load(this.progress, 0));
    if (seq === 0) return;
    const running = this.queue.find((queued) => queued.seq === seq);
    if (!running) return;
    const startedAt = Number(Atomics.load(this.progress, 1));
    if (Date.now() - startedAt <= running.timeoutMs) return;
    this.logger.error('sync', 'a job took too long; restarting the shard', {
      shard: this.index,
      job: running.job.t,
      limitMs: running.timeoutMs,
    });
    this.replace(running);
  }

  private replace(culprit: Queued | undefined): void {
    const old = this.worker;
    const lost = this.queue.splice(0);
    this.restarts++;
    this.worker = this.start();
    void old?.terminate();
    const lostJobs = lost.filter((queued) => queued !== culprit).map((queued) => queued.job);
    this.events.restarted(culprit?.job, lostJobs);
    // Whoever waits on a lost job hears that it produced nothing.
    for (const queued of lost) queued.resolve?.({ t: 'done', seq: queued.seq, ms: 0, outputs: [] });
  }
}
