/**
 * Entry point of a sync shard worker thread: a ShardHost fed by the main
 * thread (room-sync.ts). Logs go back to the main thread's logger.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger, LogLevel } from '../log.ts';
import { ShardHost, type ShardOptions } from './shard-host.ts';
import type { FromShard, ToShard } from './shard-protocol.ts';

const port = parentPort;
if (!port) throw new Error('shard-worker.ts runs only as a worker thread');

const post = (message: FromShard, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const emit =
  (level: LogLevel) =>
  (area: string, message: string, fields: Record<string, unknown> = {}) =>
    post({ t: 'log', level, area, message, fields });
const logger: Logger = { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };

const data = workerData as { options: ShardOptions; cancelled: Int32Array; progress: BigInt64Array };
const host = new ShardHost(data.options, logger, data.cancelled);
port.on('message', (job: ToShard) => {
  // What this worker runs and since when, for the main thread's watchdog (shards.ts).
  Atomics.store(data.progress, 1, BigInt(Date.now()));
  Atomics.store(data.progress, 0, BigInt(job.seq));
  const done = host.handle(job);
  Atomics.store(data.progress, 0, 0n);
  // Sync replies can be megabytes: move them, do not copy them.
  const transfer: ArrayBuffer[] = [];
  for (const output of done.outputs) {
    if ((output.t === 'send' || output.t === 'room') && output.data.buffer instanceof ArrayBuffer) {
      if (output.data.byteOffset === 0 && output.data.byteLength === output.data.buffer.byteLength) {
        if (!transfer.includes(output.data.buffer)) transfer.push(output.data.buffer);
      }
    }
  }
  post(done, transfer);
});
post({ t: 'ready' });
