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
import { CLOSE_STORAGE, LiveRoom, type LiveRoomOptions, type RoomJournal, type RoomOutput } from './live-room.ts';
import type { SnapshotPeople, SnapshotReason } from './room-history.ts';
import type { SnapshotSink } from './room-snapshots.ts';
import { type RoomLog, RoomStore, type StoreOptions } from './room-store.ts';
import type { RoomImage, RoomInspection, ShardDone, ShardJob, ShardOutput, ToShard } from './shard-protocol.ts';

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
/** Cluster mode: messages a connection may send while its room loads (a join handshake is 3). */
const MAX_WAITING_MESSAGES = 64;
/** RFC 6455 "Try Again Later": the room's copy here was dropped; reconnecting loads it again. */
const CLOSE_TRY_LATER = 1013;

/**
 * Cluster mode: a room's journal in the shard is the image it was loaded from
 * (Redis, read by the main thread), and appending hands the update back to the
 * main thread, which stores it before the room's next output goes out (RS10).
 */
class ImageJournal implements RoomJournal {
  constructor(
    private image: RoomImage | undefined,
    private readonly persist: (update: Uint8Array, origin: number) => void,
  ) {}

  load(): RoomLog {
    const image = this.image;
    this.image = undefined;
    return { updates: image?.updates ?? [], lastSeq: 0, bytes: image?.bytes ?? 0 };
  }

  append(_room: string, update: Uint8Array, _quota: number, origin: number): number {
    this.persist(update, origin);
    return 0;
  }

  compact(): number {
    throw new Error('in cluster mode rooms are compacted by the cluster, not by a shard');
  }

  markUsed(): void {}
}

/**
 * Cluster mode (CL20): the room's history is in Redis. The shard takes the
 * snapshots (HIST1, HIST2) and hands them to the main thread, which keeps them
 * (cluster-history.ts decides there, once per room, whether a periodic one is due).
 */
class HandedOnHistory implements SnapshotSink {
  constructor(
    private readonly newestAt: number | undefined,
    private readonly handOn: (output: ShardOutput) => void,
  ) {}

  keepSnapshot(room: string, snapshot: Uint8Array, reason: SnapshotReason, people: SnapshotPeople): 'handed-on' {
    this.handOn({ t: 'history', room, snapshot, reason, people });
    return 'handed-on';
  }

  newestSnapshotAt(): number | undefined {
    return this.newestAt;
  }
}

export class ShardHost {
  /** The SQLite store; absent in cluster mode, where rooms come from and go to Redis. */
  private readonly store: RoomStore | undefined;
  private readonly rooms = new Map<string, LiveRoom>();
  private readonly roomOf = new Map<number, LiveRoom>();
  /** Cluster mode: connections whose room is being read from Redis, with what they sent meanwhile. */
  private readonly waiting = new Map<number, { data: Uint8Array; grabOnly: boolean }[]>();
  private outputs: ShardOutput[] = [];
  private lastRetention = Number.NEGATIVE_INFINITY;
  private closed = false;

  /** `cancelled`: connections closed by the main thread (shards.ts); their queued messages are skipped. */
  constructor(
    private readonly options: ShardOptions,
    private readonly logger: Logger,
    private readonly cancelled?: Int32Array,
  ) {
    this.store = options.clustered ? undefined : new RoomStore(options.dataDir, options.store);
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
        this.join(job.conn, job.room, job.image);
        return;
      case 'msg': {
        if (this.cancelled && Atomics.load(this.cancelled, job.conn % this.cancelled.length) === job.conn) return;
        const early = this.waiting.get(job.conn);
        if (early) {
          // Kept until the room's image arrives; more than a join handshake's worth is not honest.
          if (early.length >= MAX_WAITING_MESSAGES)
            this.close(job.conn, CLOSE_TRY_LATER, 'server busy, try again later');
          else early.push({ data: job.data, grabOnly: job.grabOnly === true });
          return;
        }
        const room = this.roomOf.get(job.conn);
        const violation = room?.receive(job.conn, job.data, job.grabOnly === true);
        if (violation) {
          this.close(job.conn, violation.code, violation.reason);
          this.leave(job.conn);
        }
        if (room?.broken) this.evict(room.id, true);
        return;
      }
      case 'remote': {
        const room = this.rooms.get(job.room);
        room?.applyRemote(job.id, job.update);
        if (room?.broken) this.evict(room.id, true);
        return;
      }
      case 'remote-presence':
        this.rooms.get(job.room)?.applyRemotePresence(job.instance, job.update);
        return;
      case 'presence-query': {
        const update = this.rooms.get(job.room)?.ownPresence();
        if (update) this.outputs.push({ t: 'presence', room: job.room, update });
        return;
      }
      case 'instance-gone':
        for (const room of this.rooms.values()) room.instanceGone(job.instance);
        return;
      case 'stored':
        this.rooms.get(job.room)?.setStoredBytes(job.bytes);
        return;
      case 'evict':
        this.evict(job.room, false);
        return;
      case 'snapshot': {
        const doc = new Y.Doc();
        for (const update of job.updates) Y.applyUpdate(doc, update);
        done.snapshot = Y.encodeStateAsUpdate(doc);
        doc.destroy();
        return;
      }
      case 'leave':
        this.waiting.delete(job.conn);
        this.leave(job.conn);
        return;
      case 'tick':
        for (const room of this.rooms.values()) room.expirePresence();
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

  private join(conn: number, id: string, image: RoomImage | undefined): void {
    let room = this.rooms.get(id);
    if (!room) {
      if (this.options.clustered && !image) {
        if (!this.waiting.has(conn)) this.waiting.set(conn, []);
        this.outputs.push({ t: 'need-image', conn, room: id });
        return;
      }
      try {
        const journal: RoomJournal =
          this.store ??
          new ImageJournal(image, (update, origin) =>
            this.outputs.push({ t: 'persist', room: id, conn: origin, update }),
          );
        const history = this.store ?? new HandedOnHistory(image?.historyAt, (output) => this.outputs.push(output));
        room = new LiveRoom(id, journal, this.logger, this.options, this.outputFor(id), history);
        if (image) room.lastId = image.lastId;
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
    const early = this.waiting.get(conn);
    if (!early) return;
    this.waiting.delete(conn);
    for (const { data, grabOnly } of early) {
      const violation = room.receive(conn, data, grabOnly);
      if (violation) {
        this.close(conn, violation.code, violation.reason);
        this.leave(conn);
        return;
      }
    }
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
      ...(this.options.clustered
        ? { presence: (update: Uint8Array) => this.outputs.push({ t: 'presence', room, update }) }
        : {}),
    };
  }

  /**
   * Cluster mode: drops the room here without writing anything. With
   * `closePeers` its connections are asked to come back (1013): reconnecting
   * loads the room again from Redis.
   */
  private evict(id: string, closePeers: boolean): void {
    const room = this.rooms.get(id);
    if (!room) return;
    this.rooms.delete(id);
    for (const [conn, of] of [...this.roomOf]) {
      if (of !== room) continue;
      this.roomOf.delete(conn);
      if (closePeers) this.close(conn, CLOSE_TRY_LATER, 'server busy, try again later');
    }
    // Presence and documents go with it; nothing is compacted or stored.
    room.peers.clear();
    room.unload();
    this.outputs.push({ t: 'unloaded', room: id });
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

  /**
   * SEC13: removes this shard's rooms that nobody touched for retentionMs;
   * HIST3: and (shard 0, for every room) snapshots past their age. Errors are logged, never thrown.
   */
  private applyRetention(): void {
    const { retentionMs, retentionSweepMs, shardIndex, shardCount, history } = this.options;
    const now = Date.now();
    // Cluster mode: retention is the cluster's (server/cluster/doc-journal.ts).
    if (!this.store || now - this.lastRetention < retentionSweepMs) return;
    this.lastRetention = now;
    try {
      for (const id of retentionMs > 0 ? this.store.untouchedSince(now - retentionMs) : []) {
        if (this.rooms.has(id) || shardOf(id, shardCount) !== shardIndex) continue;
        this.store.remove(id);
        this.logger.info('sync', 'removed a room past its retention', { room: id });
      }
      if (history && shardIndex === 0) this.store.history.expire(now - history.maxAgeMs);
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
      this.store?.close();
    } catch (error) {
      this.logger.error('sync', 'closing the store failed', { error: errorText(error) });
    }
  }
}
