/**
 * Room documents in cluster mode (docs/scaling.md): Redis holds each room as a
 * snapshot plus a stream of the updates since, every instance that has people
 * in the room holds its own live copy, and an update accepted anywhere is
 * stored first (one script: append to the stream, publish on the room's
 * channel) and then reaches every copy. Compaction folds the stream into the
 * snapshot once per room, by whichever instance wins the room's lock.
 *
 *   CL10 An update is in Redis before anyone, on any instance, is sent it (RS10 cluster-wide);
 *        a write Redis refuses (unreachable, quota) closes the sender with 4507 and drops the
 *        room's copy on this instance, whose other connections come back (1013) and reload it.
 *   CL11 A room loads on any instance as snapshot + stream; updates stored while it loads are
 *        delivered after it, so a newcomer anywhere gets the whole room.
 *   CL12 Compaction happens once per room cluster-wide (a lock in Redis): the stream's entries
 *        are folded into the snapshot in a shard worker, and the stream is trimmed only if
 *        nobody compacted in between; an instance that gets the lock after another compacted
 *        finds the stream under the threshold again and leaves it.
 *   CL13 RS6's 64 sockets per room, RS8/SEC12's room and disk quotas and SEC13's retention are
 *        counted in Redis, for the whole cluster.
 *   CL14 What one instance takes in for a room from the bus is bounded; a room that receives
 *        more is dropped here and its connections come back (1013) rather than stall the shard.
 *   CL15 Presence crosses instances: states owned by one instance's connections reach the
 *        others; an id claimed on one instance cannot be taken on another (SEC15), and the
 *        states of a dead instance's connections are removed when it is seen dead (RS9).
 *   CL20 A room's history lives in Redis beside it (cluster-history.ts): snapshots the
 *        shards take are kept there once per room, and every instance lists and serves them.
 */
import type { Logger } from '../log.ts';
import { TokenBucket } from '../rate-limit.ts';
import { errorText } from '../socket-watch.ts';
import type { HistoryPolicy, SnapshotPeople, SnapshotReason } from '../yjs/room-history.ts';
import type { AppendOutcome, SyncBridge, SyncSink } from '../yjs/room-sync.ts';
import type { RoomImage, ShardJob } from '../yjs/shard-protocol.ts';
import { compareStreamIds, nextStreamId } from '../yjs/stream-ids.ts';
import {
  BUS,
  readBusBody,
  readBusHeader,
  readDocStored,
  readDocUpdate,
  writeBusMessage,
  writeDocStored,
} from './bus-codec.ts';
import type { Cluster } from './cluster.ts';
import { ClusterHistory } from './cluster-history.ts';
import { CHANNELS, KEYS } from './keys.ts';

export interface DocJournalLimits {
  compactAfterUpdates: number;
  compactAfterBytes: number;
  maxRoomBytes: number;
  diskQuotaBytes: number;
  maxSocketsPerRoom: number;
  retentionMs: number;
  retentionSweepMs: number;
  /** CL14: bytes per second one room may bring in from the bus (bursts of 4x). */
  inboundBytesPerSecond: number;
  /** Largest presence message taken from the bus (LIM3's awareness limit and framing). */
  maxPresenceBytes: number;
  /** HIST1-HIST3: the rooms' history, as on one server. */
  history: HistoryPolicy;
}

/** How long a compaction may hold a room's lock. */
const COMPACT_LOCK_MS = 30_000;

const APPEND_SCRIPT = `
local len = string.len(ARGV[1])
local bytes = tonumber(redis.call('HGET', KEYS[2], 'bytes') or '0')
if bytes + len > tonumber(ARGV[2]) then return {-1} end
local total = tonumber(redis.call('GET', KEYS[3]) or '0')
if total + len > tonumber(ARGV[3]) then return {-2} end
local id = redis.call('XADD', KEYS[1], '*', 'u', ARGV[1])
local logBytes = redis.call('HINCRBY', KEYS[2], 'logBytes', len)
redis.call('HINCRBY', KEYS[2], 'bytes', len)
redis.call('INCRBY', KEYS[3], len)
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[7])
redis.call('PUBLISH', ARGV[4], ARGV[5] .. string.char(string.len(id)) .. id .. ARGV[1])
return {redis.call('XLEN', KEYS[1]), logBytes, id}
`;

const COMMIT_SCRIPT = `
local snapId = redis.call('HGET', KEYS[3], 'snapId') or '0-0'
if snapId ~= ARGV[1] then return -1 end
local oldBytes = tonumber(redis.call('HGET', KEYS[3], 'bytes') or '0')
local logBytes = tonumber(redis.call('HGET', KEYS[3], 'logBytes') or '0') - tonumber(ARGV[5])
if logBytes < 0 then logBytes = 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('XTRIM', KEYS[2], 'MINID', ARGV[4])
local bytes = string.len(ARGV[2]) + logBytes
redis.call('HSET', KEYS[3], 'snapId', ARGV[3], 'logBytes', logBytes, 'bytes', bytes)
redis.call('INCRBY', KEYS[4], bytes - oldBytes)
return bytes
`;

const SEAT_SCRIPT = `
local all = redis.call('HGETALL', KEYS[1])
local total = 0
for i = 1, #all, 2 do
  local score = redis.call('ZSCORE', KEYS[2], all[i])
  if score == false or tonumber(score) < tonumber(ARGV[2]) then
    redis.call('HDEL', KEYS[1], all[i])
  else
    total = total + tonumber(all[i + 1])
  end
end
if total >= tonumber(ARGV[3]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return 1
`;

const RELEASE_SEAT_SCRIPT = `
if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1
`;

/** SEC13: removes one room, its history with it (HIST3), unless someone is in it, and returns the bytes it freed. */
const REMOVE_SCRIPT = `
local all = redis.call('HGETALL', KEYS[5])
for i = 1, #all, 2 do
  local score = redis.call('ZSCORE', KEYS[6], all[i])
  if score ~= false and tonumber(score) >= tonumber(ARGV[2]) and tonumber(all[i + 1]) > 0 then return -1 end
end
local touched = redis.call('ZSCORE', KEYS[4], ARGV[1])
if touched == false or tonumber(touched) >= tonumber(ARGV[3]) then return -1 end
local bytes = tonumber(redis.call('HGET', KEYS[3], 'bytes') or '0')
  + tonumber(redis.call('HGET', KEYS[3], 'historyBytes') or '0')
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[5], KEYS[8], KEYS[9])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[10], ARGV[1])
redis.call('DECRBY', KEYS[7], bytes)
return bytes
`;

type Scripted = Record<string, (...args: (string | number | Buffer)[]) => Promise<unknown>>;

interface Watched {
  handler: (message: Buffer) => void;
  /** While the room's image is read: what arrived meanwhile, posted after the join that loads it. */
  buffer: ShardJob[] | undefined;
  loading: Promise<RoomImage> | undefined;
  lastSeen: string;
  inBytes: TokenBucket;
}

export class DocJournal implements SyncBridge {
  private readonly watched = new Map<string, Watched>();
  private readonly compacting = new Set<string>();
  private sink: SyncSink | undefined;
  private readonly retentionTimer: NodeJS.Timeout;
  readonly counters = { appended: 0, remoteUpdates: 0, compactions: 0, resets: 0, malformed: 0 };
  /** CL20: the rooms' snapshots, in Redis. */
  readonly history: ClusterHistory;

  constructor(
    private readonly cluster: Cluster,
    private readonly logger: Logger,
    private readonly limits: DocJournalLimits,
  ) {
    const redis = cluster.redis;
    redis.defineCommand('docAppend', { numberOfKeys: 4, lua: APPEND_SCRIPT });
    redis.defineCommand('docCommit', { numberOfKeys: 4, lua: COMMIT_SCRIPT });
    redis.defineCommand('syncSeat', { numberOfKeys: 2, lua: SEAT_SCRIPT });
    redis.defineCommand('syncSeatRelease', { numberOfKeys: 1, lua: RELEASE_SEAT_SCRIPT });
    redis.defineCommand('docRemove', { numberOfKeys: 10, lua: REMOVE_SCRIPT });
    this.history = new ClusterHistory(redis, limits.history, limits.diskQuotaBytes);
    cluster.on({
      instanceGone: (instance) => this.sink?.everyShard({ t: 'instance-gone', instance }),
      resumed: () => void this.catchUp(),
    });
    this.retentionTimer = setInterval(() => void this.retention(), Math.max(1_000, limits.retentionSweepMs));
    this.retentionTimer.unref();
  }

  attach(sink: SyncSink): void {
    this.sink = sink;
  }

  private get scripts(): Scripted {
    return this.cluster.redis as unknown as Scripted;
  }

  async takeSeat(room: string): Promise<boolean> {
    const taken = await this.scripts.syncSeat?.(
      KEYS.syncSeats(room),
      KEYS.instances,
      String(this.cluster.instance),
      Date.now() - this.cluster.deadAfterMs,
      this.limits.maxSocketsPerRoom,
    );
    return taken === 1;
  }

  releaseSeat(room: string): void {
    if (!this.cluster.ready) return;
    this.scripts
      .syncSeatRelease?.(KEYS.syncSeats(room), String(this.cluster.instance))
      ?.catch((error: unknown) => this.cluster.reportError('commands', error));
  }

  /** CL11: subscribes to the room's channel, then reads snapshot + stream. */
  loadImage(room: string): Promise<{ image: RoomImage; loaded(): void }> {
    const watched = this.watch(room);
    watched.buffer ??= [];
    watched.loading ??= (async () => {
      await this.cluster.subscribe(CHANNELS.doc(room), watched.handler);
      const results = (await this.cluster.redis
        .multi()
        .getBuffer(KEYS.docSnapshot(room))
        .hmget(KEYS.docMeta(room), 'snapId', 'bytes', 'historyAt')
        .xrangeBuffer(KEYS.docLog(room), '-', '+')
        .zadd(KEYS.roomsTouched, 'XX', Date.now(), room)
        .exec()) as [Error | null, unknown][];
      for (const [error] of results) if (error) throw error;
      const snapshot = results[0]?.[1] as Buffer | null;
      const [snapId, bytes, historyAt] = (results[1]?.[1] ?? []) as (string | null | undefined)[];
      const entries = results[2]?.[1] as [Buffer, Buffer[]][];
      const updates: Uint8Array[] = [];
      if (snapshot) updates.push(new Uint8Array(snapshot));
      let lastId = snapId ?? '0-0';
      for (const [id, fields] of entries) {
        const update = fields[1];
        if (update) updates.push(new Uint8Array(update));
        lastId = id.toString('latin1');
      }
      if (compareStreamIds(lastId, watched.lastSeen) > 0) watched.lastSeen = lastId;
      return {
        updates,
        lastId,
        bytes: Number(bytes ?? 0),
        ...(historyAt ? { historyAt: Number(historyAt) } : {}),
      };
    })();
    const loading = watched.loading;
    return loading.then(
      (image) => ({
        image,
        loaded: () => {
          if (watched.loading !== loading) return;
          watched.loading = undefined;
          const buffered = watched.buffer ?? [];
          watched.buffer = undefined;
          for (const job of buffered) this.sink?.remote(room, job);
        },
      }),
      (error: unknown) => {
        if (watched.loading === loading) {
          watched.loading = undefined;
          watched.buffer = undefined;
        }
        throw error;
      },
    );
  }

  /** CL10: stores one update; the same script publishes it to the other instances. */
  async append(room: string, update: Uint8Array): Promise<AppendOutcome> {
    if (!this.cluster.ready) return { ok: false, reason: 'unavailable' };
    let reply: [number, number?, string?];
    try {
      reply = (await this.scripts.docAppend?.(
        KEYS.docLog(room),
        KEYS.docMeta(room),
        KEYS.storedBytes,
        KEYS.roomsTouched,
        Buffer.from(update.buffer, update.byteOffset, update.byteLength),
        this.limits.maxRoomBytes,
        this.limits.diskQuotaBytes,
        CHANNELS.doc(room),
        writeBusMessage(BUS.docUpdate, this.cluster.instance),
        Date.now(),
        room,
      )) as [number, number?, string?];
    } catch (error) {
      this.cluster.reportError('commands', error);
      return { ok: false, reason: 'unavailable' };
    }
    const [length, logBytes = 0] = reply;
    if (length === -1 || length === -2) return { ok: false, reason: 'quota' };
    this.counters.appended++;
    if (length >= this.limits.compactAfterUpdates || logBytes >= this.limits.compactAfterBytes) {
      void this.compact(room);
    }
    return { ok: true };
  }

  /** CL20, HIST1-HIST3: keeps a snapshot a shard took; never refuses an edit, so failures are only logged. */
  keepSnapshot(room: string, snapshot: Uint8Array, reason: SnapshotReason, people: SnapshotPeople): void {
    this.history.keep(room, snapshot, reason, people).then(
      (outcome) => {
        if (outcome === 'refused') {
          this.logger.warn('history', 'a snapshot was not kept: too large or the store is full', {
            room,
            bytes: snapshot.byteLength,
          });
        }
      },
      (error: unknown) => this.logger.error('history', 'writing a snapshot failed', { room, error: errorText(error) }),
    );
  }

  presence(room: string, update: Uint8Array): void {
    this.cluster.publish(CHANNELS.doc(room), writeBusMessage(BUS.docPresence, this.cluster.instance, update));
  }

  /** The room left this instance's shards: stop listening to it. */
  unloaded(room: string): void {
    const watched = this.watched.get(room);
    if (!watched || watched.loading) return;
    this.watched.delete(room);
    this.cluster.unsubscribe(CHANNELS.doc(room), watched.handler);
  }

  /** CL12: folds the room's stream into its snapshot, if no other instance is doing it. */
  async compact(room: string): Promise<boolean> {
    if (this.compacting.has(room) || !this.sink) return false;
    this.compacting.add(room);
    const lock = KEYS.docCompactLock(room);
    const token = `${this.cluster.instance}:${Date.now()}`;
    try {
      if ((await this.cluster.redis.set(lock, token, 'PX', COMPACT_LOCK_MS, 'NX')) !== 'OK') return false;
      const results = (await this.cluster.redis
        .multi()
        .getBuffer(KEYS.docSnapshot(room))
        .hget(KEYS.docMeta(room), 'snapId')
        .xrangeBuffer(KEYS.docLog(room), '-', '+')
        .exec()) as [Error | null, unknown][];
      for (const [error] of results) if (error) throw error;
      const snapshot = results[0]?.[1] as Buffer | null;
      const snapId = (results[1]?.[1] as string | null) ?? '0-0';
      const entries = results[2]?.[1] as [Buffer, Buffer[]][];
      // Another instance may have compacted between this instance's append (which saw the stream over
      // the threshold) and its lock: then what is left is under the threshold, and stays for later.
      if (entries.length === 0) return false;
      const folded = entries.reduce((sum, [, fields]) => sum + (fields[1]?.length ?? 0), 0);
      if (entries.length < this.limits.compactAfterUpdates && folded < this.limits.compactAfterBytes) return false;
      const updates: Uint8Array[] = snapshot ? [new Uint8Array(snapshot)] : [];
      let lastId = snapId;
      for (const [id, fields] of entries) {
        const update = fields[1];
        if (update) updates.push(new Uint8Array(update));
        lastId = id.toString('latin1');
      }
      const merged = await this.sink.snapshot(room, updates);
      const bytes = (await this.scripts.docCommit?.(
        KEYS.docSnapshot(room),
        KEYS.docLog(room),
        KEYS.docMeta(room),
        KEYS.storedBytes,
        snapId,
        Buffer.from(merged.buffer, merged.byteOffset, merged.byteLength),
        lastId,
        nextStreamId(lastId),
        folded,
      )) as number;
      if (bytes < 0) return false;
      this.counters.compactions++;
      this.logger.info('sync', 'compacted a room', { room, entries: entries.length, bytes });
      this.cluster.publish(CHANNELS.doc(room), writeDocStored(this.cluster.instance, bytes));
      this.sink.remote(room, { t: 'stored', room, bytes });
      return true;
    } catch (error) {
      this.logger.error('sync', 'compaction failed; the stream is kept', { room, error: errorText(error) });
      return false;
    } finally {
      this.compacting.delete(room);
      // Released only if still ours (a compaction past the lock's life must not free another's).
      await this.cluster.redis
        .eval(
          "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
          1,
          lock,
          token,
        )
        .catch(() => undefined);
    }
  }

  private watch(room: string): Watched {
    let watched = this.watched.get(room);
    if (!watched) {
      const perSecond = this.limits.inboundBytesPerSecond;
      const created: Watched = {
        handler: (message) => this.receive(room, created, message),
        buffer: undefined,
        loading: undefined,
        lastSeen: '0-0',
        inBytes: new TokenBucket(perSecond, 4 * perSecond),
      };
      watched = created;
      this.watched.set(room, watched);
    }
    return watched;
  }

  private receive(room: string, watched: Watched, message: Buffer): void {
    const header = readBusHeader(message);
    if (!header) {
      this.counters.malformed++;
      return;
    }
    if (header.kind === BUS.docUpdate) {
      const update = readDocUpdate(message);
      if (!update) {
        this.counters.malformed++;
        return;
      }
      if (compareStreamIds(update.id, watched.lastSeen) > 0) watched.lastSeen = update.id;
      if (header.instance === this.cluster.instance) return;
      if (!watched.inBytes.take(message.length)) {
        this.overflow(room);
        return;
      }
      this.counters.remoteUpdates++;
      this.deliver(room, watched, { t: 'remote', room, id: update.id, update: update.update });
      return;
    }
    if (header.instance === this.cluster.instance) return;
    switch (header.kind) {
      case BUS.docPresence:
        if (message.length > this.limits.maxPresenceBytes || !watched.inBytes.take(message.length)) return;
        this.deliver(room, watched, {
          t: 'remote-presence',
          room,
          instance: header.instance,
          update: readBusBody(message),
        });
        return;
      case BUS.docQuery:
        this.deliver(room, watched, { t: 'presence-query', room });
        return;
      case BUS.docStored: {
        const bytes = readDocStored(message);
        if (bytes === undefined) {
          this.counters.malformed++;
          return;
        }
        this.deliver(room, watched, { t: 'stored', room, bytes });
        return;
      }
      default:
        this.counters.malformed++;
    }
  }

  private deliver(room: string, watched: Watched, job: ShardJob): void {
    if (watched.buffer) watched.buffer.push(job);
    else this.sink?.remote(room, job);
  }

  /** CL14: more than the room's share came in; its copy here is dropped and its people come back. */
  private overflow(room: string): void {
    this.counters.resets++;
    this.logger.warn('sync', 'a room receives more from the cluster than allowed; reloading it here', { room });
    this.sink?.resetRoom(room);
  }

  /** Asks the instances holding `room` for their presence (after loading it here). */
  queryPresence(room: string): void {
    this.cluster.publish(CHANNELS.doc(room), writeBusMessage(BUS.docQuery, this.cluster.instance));
  }

  /** After Redis came back: whatever was published while the link was down is read from the streams. */
  private async catchUp(): Promise<void> {
    for (const [room, watched] of this.watched) {
      if (watched.loading) continue;
      try {
        const entries = (await this.cluster.redis.xrangeBuffer(KEYS.docLog(room), `(${watched.lastSeen}`, '+')) as [
          Buffer,
          Buffer[],
        ][];
        for (const [id, fields] of entries) {
          const update = fields[1];
          const streamId = id.toString('latin1');
          watched.lastSeen = streamId;
          if (update) this.deliver(room, watched, { t: 'remote', room, id: streamId, update: new Uint8Array(update) });
        }
      } catch (error) {
        this.cluster.reportError('commands', error);
      }
    }
  }

  /** SEC13 cluster-wide: one instance an hour removes rooms untouched for retentionMs that nobody is in. */
  private async retention(): Promise<void> {
    const { retentionMs, retentionSweepMs } = this.limits;
    if (retentionMs <= 0 || !this.cluster.ready) return;
    try {
      const lock = await this.cluster.redis.set(
        KEYS.retentionLock,
        String(this.cluster.instance),
        'PX',
        retentionSweepMs,
        'NX',
      );
      if (lock !== 'OK') return;
      const before = Date.now() - retentionMs;
      const rooms = await this.cluster.redis.zrangebyscore(KEYS.roomsTouched, '-inf', before, 'LIMIT', 0, 1000);
      for (const room of rooms) {
        if (this.watched.has(room)) continue;
        const freed = (await this.scripts.docRemove?.(
          KEYS.docSnapshot(room),
          KEYS.docLog(room),
          KEYS.docMeta(room),
          KEYS.roomsTouched,
          KEYS.syncSeats(room),
          KEYS.instances,
          KEYS.storedBytes,
          KEYS.history(room),
          KEYS.historyData(room),
          KEYS.historyRooms,
          room,
          Date.now() - this.cluster.deadAfterMs,
          before,
        )) as number;
        if (freed >= 0) this.logger.info('sync', 'removed a room past its retention', { room });
      }
      // HIST3: snapshots past their age go from rooms nobody edits too.
      await this.history.sweep();
    } catch (error) {
      this.cluster.reportError('commands', error);
    }
  }

  close(): void {
    clearInterval(this.retentionTimer);
  }
}
