/** Messages between the worker pool (worker-pool.ts) and each parse worker (parse-worker.ts). */

export type ToWorker =
  /** Sent once: the compiled parser (shared by every worker) and the worker's pool index. */
  { type: 'init'; module: WebAssembly.Module; workerId: number } | { type: 'parse'; job: number; text: string };

export type FromWorker =
  /** `bytes` is the binary result, its buffer transferred (not copied). */
  | { type: 'result'; job: number; bytes: Uint8Array; parseMs: number; scope: string }
  /** A failure to set up (`job: null`) or to parse. */
  | { type: 'error'; job: number | null; message: string };
