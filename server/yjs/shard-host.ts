/**
 * One shard of rooms: the live rooms whose ids hash to this shard, their
 * store connection, and the jobs the main thread sends (shard-protocol.ts).
 * Runs inside a worker thread (shard-worker.ts); plain enough to drive
 * directly in a test. Never throws out of `handle`: a fault in one job closes
 * that job's connection (1011) and is logged (SEC3).
 */
import * as Y from 'yjs';
import type { Logger } from '../log.ts';
import { errorText } from '../socket-watch.ts';
import { CLOSE_STORAGE, LiveRoom, type LiveRoomOptions, type RoomOutput } from './live-room.ts';
import { RoomStore, type StoreOptions } from './room-store.ts';
import type { RoomInspection, ShardDone, ShardJob, ShardOutput, ToShard } from './shard-protocol.ts';

export interface ShardOptions extends LiveRoomOptions {
  dataDir: string;
  store: StoreOptions;
  /** A room with nobody in it stays this long before it is compacted and unloaded. */
  unloadAfterMs: number;
  /** SEC13: rooms untouched this long are removed from disk (0: never). */
  retentionMs: number;
  /** SEC13: how often retention looks for old rooms. */
  retentionSweepMs: number;
  shardIndex: number;
  shardCount: number;
}

/** The shard that owns `room` among `count` (FNV-1a of the id). */
export function shardOf(room: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < room.length; i++) hash = Math.imul(hash ^ room.charCodeAt(i), 0x01000193) >>> 0;
  return hash % count;
}

const CLOSE_INTERNAL_ERROR = 1011;

export class ShardHost {
  private readonly store: RoomStore;
  private readonly rooms = new Map<string, LiveRoom>();
  private readonly roomOf = new Map<number, LiveRoom>();
  private outputs: ShardOutput[] = [];
  private lastRetention = Number.NEGATIVE_INFINITY;
  private closed = false;

  /** `cancelled`: connections closed by the main thread (shards.ts); their queued messages are skipped. */
  constructor(
    private readonly options: ShardOptions,
    private readonly logger: Logger,
    private readonly cancelled?: Int32Array,
  ) {
    this.store = new RoomStore(options.dataDir, options.store);
  }

  handle(job: ToShard): ShardDone {
    const t0 = performance.now();
    this.outputs = [];
    const done: ShardDone = { t: 'done', seq: job.seq, ms: 0, outputs: this.outputs };
    try {
      this.run(job, done);
    } catch (error) {
      this.logger.error('sync', 'a shard job failed', { job: job.t, error: errorText(error) });
      if ('conn' in job) this.close(job.conn, CLOSE_INTERNAL_ERROR, 'internal error');
    }
    done.ms = performance.now() - t0;
    return done;
  }

  private run(job: ShardJob, done: ShardDone): void {
    switch (job.t) {
      case 'join':
        this.join(job.conn, job.room);
        return;
      case 'msg': {
        if (this.cancelled && Atomics.load(this.cancelled, job.conn % this.cancelled.length) === job.conn) return;
        const room = this.roomOf.get(job.conn);
        const violation = room?.receive(job.conn, job.data);
        if (violation) {
          this.close(job.conn, violation.code, violation.reason);
          this.leave(job.conn);
        }
        return;
      }
      case 'leave':
        this.leave(job.conn);
        return;
      case 'tick':
        this.unloadIdle(job.memoryOver);
        this.applyRetention();
        done.heldBytes = [...this.rooms.values()].reduce((sum, room) => sum + room.memoryBytes, 0);
        return;
      case 'inspect': {
        const inspection = this.inspect(job.room);
        if (inspection) done.inspection = inspection;
        return;
      }
      case 'shutdown':
        this.shutdown();
        return;
    }
  }

  private join(conn: number, id: string): void {
    let room = this.rooms.get(id);
    if (!room) {
      try {
        room = new LiveRoom(id, this.store, this.logger, this.options, this.outputFor(id));
      } catch (error) {
        this.logger.error('sync', 'cannot load a room', { room: id, error: errorText(error) });
        this.close(conn, CLOSE_STORAGE, 'server storage unavailable');
        return;
      }
      this.rooms.set(id, room);
      this.outputs.push({ t: 'loaded', room: id });
    }
    this.roomOf.set(conn, room);
    room.join(conn);
  }

  private leave(conn: number): void {
    const room = this.roomOf.get(conn);
    if (!room) return;
    this.roomOf.delete(conn);
    room.leave(conn);
  }

  private outputFor(room: string): RoomOutput {
    return {
      send: (conn, data) => this.outputs.push({ t: 'send', conn, data }),
      broadcast: (data, except = -1) => this.outputs.push({ t: 'room', room, data, except }),
      challenge: (conn) => this.outputs.push({ t: 'challenge', conn }),
    };
  }

  private close(conn: number, code: number, reason: string): void {
    this.outputs.push({ t: 'close', conn, code, reason });
  }

  /** Unloads rooms empty for unloadAfterMs, or every empty room when memory is over budget (SEC11). */
  private unloadIdle(memoryOver: boolean): void {
    const now = Date.now();
    for (const [id, room] of this.rooms) {
      if (room.peers.size > 0) continue;
      if (!memoryOver && now - room.emptySince < this.options.unloadAfterMs) continue;
      room.unload();
      this.rooms.delete(id);
      this.outputs.push({ t: 'unloaded', room: id });
    }
  }

  /** SEC13: removes this shard's rooms that nobody touched for retentionMs. Errors are logged, never thrown. */
  private applyRetention(): void {
    const { retentionMs, retentionSweepMs, shardIndex, shardCount } = this.options;
    const now = Date.now();
    if (retentionMs <= 0 || now - this.lastRetention < retentionSweepMs) return;
    this.lastRetention = now;
    try {
      for (const id of this.store.untouchedSince(now - retentionMs)) {
        if (this.rooms.has(id) || shardOf(id, shardCount) !== shardIndex) continue;
        this.store.remove(id);
        this.logger.info('sync', 'removed a room past its retention', { room: id });
      }
    } catch (error) {
      this.logger.error('sync', 'retention sweep failed', { error: errorText(error) });
    }
  }

  private inspect(id: string): RoomInspection | undefined {
    const room = this.rooms.get(id);
    if (!room) return undefined;
    return {
      update: Y.encodeStateAsUpdate(room.doc),
      storedBytes: room.storedBytes,
      pendingBytes: room.pendingBytes,
      heldBytes: room.heldBytes,
      memoryBytes: room.memoryBytes,
      claims: [...room.peers.keys()].map((conn) => [conn, room.claimsOf(conn)]),
    };
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const room of this.rooms.values()) room.unload();
    this.rooms.clear();
    this.roomOf.clear();
    try {
      this.store.close();
    } catch (error) {
      this.logger.error('sync', 'closing the store failed', { error: errorText(error) });
    }
  }
}
