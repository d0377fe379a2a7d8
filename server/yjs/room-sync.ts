/**
 * WebSocket endpoint `/sync?room=<roomId>&v=1`: the server side of the
 * y-websocket protocol for rooms (docs/room-sync-protocol.md). The stock
 * y-websocket client talks to it.
 *
 * This thread owns the sockets; the rooms live in shard worker threads
 * (shards.ts, shard-host.ts), so a room whose updates are expensive to
 * integrate delays only its own shard, never HTTP, signaling, the relay or
 * the other shards (SEC7).
 *
 * Per-connection limits (rule ids cited by room-sync.test.ts and the abuse suite):
 *   RS1 a frame larger than maxFrameBytes closes the socket with 1009.
 *   RS2 more messages or bytes per second than allowed closes with 1008.
 *   RS4 text frames close with 1003.
 *   RS5 an upgrade without a valid room id or with an unknown protocol version gets HTTP 400.
 *   RS6 beyond maxSockets (503), maxSocketsPerRoom (503), maxLiveRooms (503)
 *       or maxRoomsPerAddress (429), upgrades are refused.
 *   RS7 a socket that misses a heartbeat pong is terminated.
 *   SEC7 a message that occupies its shard past workTimeoutMs restarts the shard;
 *        its sender is closed (4408) and its address may not open /sync sockets
 *        for penaltyMs (429); the shard's other connections are joined again.
 *   SEC8 shard time is charged per connection and per address; past the budget 4429.
 *   SEC9 a socket that does not read is dropped past its byte limit; a sender
 *        whose messages wait for its shard is not read from until they are done.
 *   SEC11 while the live rooms hold more than memoryBudgetBytes, empty rooms are
 *        unloaded and upgrades that would load another room get 503.
 * RS3, RS8-RS11 and SEC6, SEC10, SEC12, SEC15, SEC16 are in live-room.ts.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { isValidRoomId } from '../../app/core/room-id.ts';
import { addressKey, refuseUpgrade, type UpgradeContext } from '../admission.ts';
import type { Logger } from '../log.ts';
import { CLOSE_REMOVED, OwnerDecisions, REMOVED_REASON } from '../owner-decisions.ts';
import { KeyedBuckets, TokenBucket } from '../rate-limit.ts';
import { closeSocket, onMessageGuarded, sweepHeartbeats, watchSocket } from '../socket-watch.ts';
import { DEFAULT_ROOM_SYNC_LIMITS, type RoomSyncLimits } from './limits.ts';
import type { SnapshotPeople, SnapshotReason } from './room-history.ts';
import { RoomStore } from './room-store.ts';
import { shardOf } from './shard-host.ts';
import type { RoomImage, RoomInspection, ShardDone, ShardJob, ShardOutput } from './shard-protocol.ts';
import { SyncShard } from './shards.ts';
import { CLOSE_ROLE_REFUSED, ConnectionRoles, ROLE_REFUSED_REASON } from './sync-roles.ts';

export type AppendOutcome = { ok: true } | { ok: false; reason: 'quota' | 'unavailable' };

/**
 * How room documents reach the cluster (server/cluster/doc-journal.ts): rooms
 * load from Redis, accepted updates are stored there before they go out, and
 * the room's seats (RS6) are counted there.
 */
export interface SyncBridge {
  attach(sink: SyncSink): void;
  takeSeat(room: string): Promise<boolean>;
  releaseSeat(room: string): void;
  /** The room's image; `loaded()` once the join carrying it is posted (what arrived meanwhile follows it). */
  loadImage(room: string): Promise<{ image: RoomImage; loaded(): void }>;
  append(room: string, update: Uint8Array): Promise<AppendOutcome>;
  presence(room: string, update: Uint8Array): void;
  /** CL20: keeps a snapshot the room's shard took for its history. */
  keepSnapshot(room: string, snapshot: Uint8Array, reason: SnapshotReason, people: SnapshotPeople): void;
  queryPresence(room: string): void;
  unloaded(room: string): void;
  close(): void;
}

/** What the cluster asks of this instance's rooms. */
export interface SyncSink {
  /** A job for the shard of `room` (an update or presence from another instance, ...). */
  remote(room: string, job: ShardJob): void;
  everyShard(job: ShardJob): void;
  /** One snapshot of `updates`, computed in the room's shard. */
  snapshot(room: string, updates: Uint8Array[]): Promise<Uint8Array>;
  /** Drops the room here; its connections come back (1013) and load it again. */
  resetRoom(room: string): void;
}

/** The protocol version clients send as `v`; bumped on incompatible change. */
const ROOM_SYNC_PROTOCOL_VERSION = '1';

const CLOSE_GOING_AWAY = 1001;
const CLOSE_UNSUPPORTED = 1003;
const CLOSE_POLICY = 1008;
const CLOSE_TOO_BIG = 1009;
/** SEC7: the sender's message took its shard too long. */
const CLOSE_TOO_SLOW = 4408;
/** SEC8: the sender used more than its share of shard time. */
const CLOSE_TOO_MUCH_WORK = 4429;
/** RFC 6455 "Try Again Later": the shard keeps failing; clients reconnect with backoff. */
const CLOSE_TRY_LATER = 1013;

/** How often budgets, challenges and shard reports are looked at. */
const TICK_MS = 1_000;
/** How long shutting down may wait for the shards to compact their rooms. */
const SHUTDOWN_GRACE_MS = 4_000;

class Connection {
  alive = true;
  readonly messages: TokenBucket;
  readonly bytes: TokenBucket;
  readonly cpu: TokenBucket;
  /** Messages posted to the shard and not yet done (SEC9). */
  queued = 0;
  /**
   * SEC9: a message larger than maxBufferedBytes (a big room for a late
   * joiner) that the socket is still draining; it may be queued behind.
   */
  bigInFlight = 0;
  /** SEC15: when a contested claim must have been answered by a pong. */
  challengeDeadline: number | undefined;
  /** Cluster mode: this connection holds one of the room's seats in Redis (RS6). */
  seated = false;
  /** ROLE5: in a protected room, what this connection has proven. */
  roles: ConnectionRoles | undefined;

  constructor(
    readonly id: number,
    readonly socket: WebSocket,
    readonly address: string,
    readonly addressKey: string,
    readonly room: string,
    readonly shard: SyncShard,
    limits: RoomSyncLimits,
  ) {
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    this.bytes = new TokenBucket(limits.bytesPerSecond, limits.byteBurst);
    this.cpu = new TokenBucket(limits.cpuMsPerSecond, limits.cpuBurstMs);
  }
}

/** CL10: the room's updates come in faster than one instance may send them on (close code 4503). */
const CLOSE_ROOM_BUSY = 4503;
/** CL10: storage refused or unreachable (4507, as SEC12). */
const CLOSE_STORAGE = 4507;

export class RoomSyncServer implements SyncSink {
  private readonly sqlite: RoomStore | undefined;
  private readonly bridge: SyncBridge | undefined;
  /** Cluster mode: outputs of a room wait behind its updates being stored (RS10); false once the room failed. */
  private readonly gates = new Map<string, Promise<boolean>>();
  /** CL10: bytes per second one room may take in on this instance. */
  private readonly roomInbound = new Map<string, TokenBucket>();
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<number, Connection>();
  private readonly roomMembers = new Map<string, Set<Connection>>();
  private readonly loaded = new Set<string>();
  private readonly shards: SyncShard[];
  private readonly heldByShard: number[];
  private readonly addressCpu: KeyedBuckets;
  private readonly penalties = new Map<string, number>();
  /** When each shard's worker was last replaced (crash-loop guard). */
  private readonly restartTimes: number[][] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly limits: RoomSyncLimits;
  private nextId = 1;
  /** Bytes queued on all sync sockets, as of the last count plus what was sent since (SEC9). */
  private bufferedEstimate = 0;
  private lastBufferCount = Number.NEGATIVE_INFINITY;
  private lastHeartbeat = Date.now();
  private closing: Promise<void> | undefined;

  constructor(
    dataDir: string,
    private readonly logger: Logger,
    limits: Partial<RoomSyncLimits> = {},
    bridge?: SyncBridge,
    /** MOD5: the sessions owners removed, shared with `/signal` and `/relay`. */
    readonly decisions: OwnerDecisions = new OwnerDecisions(),
  ) {
    this.limits = { ...DEFAULT_ROOM_SYNC_LIMITS, ...limits };
    decisions.onKick((room, session) => this.closeSession(room, session));
    decisions.onEditorEpoch((room, epoch) => {
      for (const connection of this.roomMembers.get(room) ?? []) connection.roles?.outdate(epoch);
    });
    const l = this.limits;
    this.bridge = bridge;
    this.sqlite = bridge ? undefined : new RoomStore(dataDir, { diskQuotaBytes: l.diskQuotaBytes });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: l.maxFrameBytes });
    this.addressCpu = new KeyedBuckets(l.addressCpuMsPerSecond / 1000, l.addressCpuBurstMs, 20_000);
    this.shards = Array.from(
      { length: l.workers },
      (_, index) =>
        new SyncShard(
          index,
          {
            dataDir,
            store: {
              diskQuotaBytes: l.diskQuotaBytes,
              ...(l.sqliteMaxPageCount !== undefined ? { maxPageCount: l.sqliteMaxPageCount } : {}),
            },
            unloadAfterMs: l.unloadAfterMs,
            retentionMs: l.retentionMs,
            retentionSweepMs: l.retentionSweepMs,
            shardIndex: index,
            shardCount: l.workers,
            compactAfterUpdates: l.compactAfterUpdates,
            compactAfterBytes: l.compactAfterBytes,
            maxRoomBytes: l.maxRoomBytes,
            maxPendingBytes: l.maxPendingBytes,
            maxPresencePerConnection: l.maxPresencePerConnection,
            syncRepliesPerMinute: l.syncRepliesPerMinute,
            syncReplyBytesPerSecond: l.syncReplyBytesPerSecond,
            clustered: bridge !== undefined,
            ...(l.history ? { history: l.history } : {}),
          },
          logger,
          {
            done: (done, job) => this.onDone(index, done, job),
            restarted: (culprit, lost) => this.onRestart(index, culprit, lost),
          },
          // Room for the shard's share of the memory budget twice over, and never less than a large room needs.
          Math.max(512, Math.ceil((2 * l.memoryBudgetBytes) / l.workers / (1024 * 1024))),
        ),
    );
    this.heldByShard = this.shards.map(() => 0);
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
    bridge?.attach(this);
  }

  /** The SQLite store (one server); cluster mode has none. */
  get store(): RoomStore {
    if (!this.sqlite) throw new Error('in cluster mode rooms are stored in Redis, not SQLite');
    return this.sqlite;
  }

  remote(room: string, job: ShardJob): void {
    this.shardFor(room).send(job, this.limits.workTimeoutMs);
  }

  everyShard(job: ShardJob): void {
    for (const shard of this.shards) if (shard.started) shard.send(job, this.limits.workTimeoutMs);
  }

  async snapshot(room: string, updates: Uint8Array[]): Promise<Uint8Array> {
    const done = await this.shardFor(room).post({ t: 'snapshot', updates }, this.limits.joinTimeoutMs);
    if (!done.snapshot) throw new Error('the shard produced no snapshot');
    return done.snapshot;
  }

  resetRoom(room: string): void {
    for (const connection of [...(this.roomMembers.get(room) ?? [])]) {
      this.violation(connection, CLOSE_TRY_LATER, 'server busy, try again later');
    }
    this.shardFor(room).send({ t: 'evict', room }, this.limits.workTimeoutMs);
  }

  get socketCount(): number {
    return this.connections.size;
  }

  get liveRoomCount(): number {
    return this.loaded.size;
  }

  /** Memory the live rooms take together (estimated), as last reported by the shards (SEC11). */
  get heldBytes(): number {
    return this.heldByShard.reduce((sum, bytes) => sum + bytes, 0);
  }

  /** Times shard workers were replaced (SEC7). */
  get shardRestarts(): number {
    return this.shards.reduce((sum, shard) => sum + shard.restarts, 0);
  }

  /** The live room as a test or benchmark may see it, or undefined when it is not loaded. */
  async inspect(roomId: string): Promise<RoomInspection | undefined> {
    const shard = this.shardFor(roomId);
    const done = await shard.post({ t: 'inspect', room: roomId }, this.limits.joinTimeoutMs);
    return done.inspection;
  }

  /** Asks every shard to report (and unload what is idle) now; resolves when they have. */
  async refresh(): Promise<void> {
    const memoryOver = this.overBudget();
    await Promise.all(this.shards.filter((s) => s.started).map((s) => s.post({ t: 'tick', memoryOver }, 30_000)));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, context: UpgradeContext): void {
    const admitted = this.admit(context);
    if ('refusal' in admitted) {
      this.logger.warn('sync', `refusing socket: ${admitted.refusal}`, { address: context.address });
      refuseUpgrade(socket, admitted.status);
      return;
    }
    const bridge = this.bridge;
    if (!bridge) {
      this.wss.handleUpgrade(req, socket, head, (ws) =>
        this.accept(ws, context.address, admitted.room, false, req.headers.host ?? ''),
      );
      return;
    }
    // CL13: the room's 64 seats are counted for the whole cluster.
    bridge.takeSeat(admitted.room).then(
      (seated) => {
        if (socket.destroyed) {
          if (seated) bridge.releaseSeat(admitted.room);
          return;
        }
        if (!seated) {
          this.logger.warn('sync', 'refusing socket: room full', { address: context.address });
          refuseUpgrade(socket, '503 Service Unavailable');
          return;
        }
        this.wss.handleUpgrade(req, socket, head, (ws) =>
          this.accept(ws, context.address, admitted.room, true, req.headers.host ?? ''),
        );
      },
      (error: unknown) => {
        this.logger.warn('sync', 'refusing socket: cluster unavailable', {
          address: context.address,
          error: String(error),
        });
        refuseUpgrade(socket, '503 Service Unavailable');
      },
    );
  }

  /** RS5, RS6, SEC7, SEC11: which room an upgrade may join, or why not. */
  private admit(context: UpgradeContext): { room: string } | { status: string; refusal: string } {
    const { query, address } = context;
    const roomId = query.get('room') ?? '';
    if (query.get('v') !== ROOM_SYNC_PROTOCOL_VERSION) {
      return { status: '400 Bad Request', refusal: 'unknown protocol version' };
    }
    if (!isValidRoomId(roomId)) return { status: '400 Bad Request', refusal: 'invalid room id' };
    const key = addressKey(address);
    if ((this.penalties.get(key) ?? 0) > Date.now()) {
      return { status: '429 Too Many Requests', refusal: 'address is penalized' };
    }
    if (this.connections.size >= this.limits.maxSockets) {
      return { status: '503 Service Unavailable', refusal: 'server full' };
    }
    const roomsOfAddress = new Set<string>();
    for (const connection of this.connections.values()) {
      if (connection.addressKey === key) roomsOfAddress.add(connection.room);
    }
    if (!roomsOfAddress.has(roomId) && roomsOfAddress.size >= this.limits.maxRoomsPerAddress) {
      return { status: '429 Too Many Requests', refusal: 'too many rooms from one address' };
    }
    if ((this.roomMembers.get(roomId)?.size ?? 0) >= this.limits.maxSocketsPerRoom) {
      return { status: '503 Service Unavailable', refusal: 'room full' };
    }
    const live = this.loaded.has(roomId) || this.roomMembers.has(roomId);
    if (!live && this.liveRoomCount >= this.limits.maxLiveRooms) {
      return { status: '503 Service Unavailable', refusal: 'too many live rooms' };
    }
    if (!live && this.overBudget()) {
      return { status: '503 Service Unavailable', refusal: 'memory budget reached' };
    }
    return { room: roomId };
  }

  private overBudget(): boolean {
    return this.heldBytes > this.limits.memoryBudgetBytes;
  }

  private shardFor(roomId: string): SyncShard {
    return this.shards[shardOf(roomId, this.shards.length)] as SyncShard;
  }

  private accept(socket: WebSocket, address: string, room: string, seated: boolean, host: string): void {
    socket.binaryType = 'nodebuffer';
    const connection = new Connection(
      this.nextId++,
      socket,
      address,
      addressKey(address),
      room,
      this.shardFor(room),
      this.limits,
    );
    connection.seated = seated;
    this.connections.set(connection.id, connection);
    let members = this.roomMembers.get(room);
    if (!members) {
      members = new Set();
      this.roomMembers.set(room, members);
    }
    members.add(connection);
    watchSocket(connection, this.logger, 'sync', CLOSE_TOO_BIG);
    onMessageGuarded(
      connection,
      this.logger,
      'sync',
      (data, isBinary) => this.onMessage(connection, data, isBinary),
      () => this.remove(connection),
    );
    socket.on('close', () => this.remove(connection));
    connection.roles = ConnectionRoles.open(
      room,
      host,
      {
        send: (data) => this.send(connection, data),
        forward: (data, grabOnly) => this.forward(connection, data, grabOnly),
        refuse: () => this.violation(connection, CLOSE_ROLE_REFUSED, ROLE_REFUSED_REASON),
        removed: () => this.violation(connection, CLOSE_REMOVED, REMOVED_REASON),
      },
      this.decisions,
      this.limits.roleProofTimeoutMs,
    );
    connection.shard.send({ t: 'join', conn: connection.id, room }, this.limits.joinTimeoutMs);
  }

  private onMessage(connection: Connection, data: RawData, isBinary: boolean): void {
    if (!this.connections.has(connection.id)) return;
    if (!isBinary) {
      this.violation(connection, CLOSE_UNSUPPORTED, 'text frames are not accepted');
      return;
    }
    const bytes = toBytes(data);
    if (!connection.messages.take() || !connection.bytes.take(bytes.byteLength)) {
      this.violation(connection, CLOSE_POLICY, 'message rate exceeded');
      return;
    }
    if (this.bridge && !this.roomBucket(connection.room).take(bytes.byteLength)) {
      this.violation(connection, CLOSE_ROOM_BUSY, 'room busy, try again later');
      return;
    }
    const decision = connection.roles?.receive(bytes) ?? 'forward';
    if (decision === 'refuse') this.violation(connection, CLOSE_ROLE_REFUSED, ROLE_REFUSED_REASON);
    else if (decision === 'forward' || decision === 'grab') this.forward(connection, bytes, decision === 'grab');
  }

  /** Posts one message to the connection's shard; `grabOnly`: the room takes it only if it is a grab's (ROLE11). */
  private forward(connection: Connection, bytes: Uint8Array, grabOnly = false): void {
    if (!this.connections.has(connection.id)) return;
    // SEC9: inbound backpressure. Stop reading until the shard has caught up.
    if (++connection.queued >= this.limits.maxQueuedMessages && !connection.socket.isPaused) connection.socket.pause();
    // A copy of exactly this message, moved to the worker (the frame may share a pooled buffer).
    const own = new Uint8Array(bytes);
    const job: ShardJob = grabOnly
      ? { t: 'msg', conn: connection.id, data: own, grabOnly }
      : { t: 'msg', conn: connection.id, data: own };
    connection.shard.send(job, this.limits.workTimeoutMs, [own.buffer]);
  }

  private onDone(shard: number, done: ShardDone, job: ShardJob): void {
    if (job.t === 'msg') {
      const connection = this.connections.get(job.conn);
      if (connection) {
        connection.queued--;
        if (connection.socket.isPaused && connection.queued <= this.limits.maxQueuedMessages / 2) {
          connection.socket.resume();
        }
        this.charge(connection, done.ms);
      }
    }
    if (done.heldBytes !== undefined) this.heldByShard[shard] = done.heldBytes;
    for (const output of done.outputs) {
      if (this.bridge) this.route(output, this.bridge);
      else this.apply(output);
    }
  }

  /** CL10: bytes per second a room may take in here (what it sends on to the cluster). */
  private roomBucket(room: string): TokenBucket {
    let bucket = this.roomInbound.get(room);
    if (!bucket) {
      bucket = new TokenBucket(this.limits.clusterRoomBytesPerSecond, 4 * this.limits.clusterRoomBytesPerSecond);
      this.roomInbound.set(room, bucket);
    }
    return bucket;
  }

  /**
   * Cluster mode, RS10/CL10: an update is stored in Redis before anything the
   * room emits after it goes out; the room's outputs queue behind its writes.
   */
  private route(output: ShardOutput, bridge: SyncBridge): void {
    const room = 'room' in output ? output.room : this.connections.get(output.conn)?.room;
    if (room === undefined) {
      this.apply(output);
      return;
    }
    const gate = this.gates.get(room);
    let next: Promise<boolean>;
    if (output.t === 'persist') {
      const stored = bridge.append(room, output.update);
      next = (gate ?? Promise.resolve(true)).then(async (ok) => {
        const outcome = await stored;
        if (!ok) return false;
        if (outcome.ok) return true;
        this.persistFailed(room, output.conn, outcome.reason);
        return false;
      });
    } else if (output.t === 'need-image') {
      this.loadRoom(output.conn, room, bridge);
      return;
    } else if (output.t === 'history') {
      bridge.keepSnapshot(room, output.snapshot, output.reason, output.people);
      return;
    } else if (!gate) {
      this.apply(output);
      return;
    } else {
      next = gate.then((ok) => {
        // A room whose write failed sends nothing more from before it (its people reconnect).
        if (ok || (output.t !== 'room' && output.t !== 'send' && output.t !== 'presence')) this.apply(output);
        return ok;
      });
    }
    this.gates.set(room, next);
    void next.finally(() => {
      if (this.gates.get(room) === next) this.gates.delete(room);
    });
  }

  /** CL10: Redis did not take an update: its sender gets 4507, everyone here reloads the room. */
  private persistFailed(room: string, conn: number, reason: 'quota' | 'unavailable'): void {
    this.logger.warn('sync', 'refusing an update the cluster store did not take', { room, reason });
    const sender = this.connections.get(conn);
    if (sender) {
      this.violation(
        sender,
        CLOSE_STORAGE,
        reason === 'quota' ? 'server storage quota reached' : 'server storage unavailable',
      );
    }
    this.resetRoom(room);
  }

  /** CL11: the room is read from Redis and its join posted again with it. */
  private loadRoom(conn: number, room: string, bridge: SyncBridge): void {
    bridge.loadImage(room).then(
      ({ image, loaded }) => {
        const connection = this.connections.get(conn);
        if (connection) connection.shard.send({ t: 'join', conn, room, image }, this.limits.joinTimeoutMs);
        loaded();
        if (connection) bridge.queryPresence(room);
      },
      (error: unknown) => {
        this.logger.warn('sync', 'cannot load a room from the cluster', { room, error: String(error) });
        const connection = this.connections.get(conn);
        if (connection) this.violation(connection, CLOSE_STORAGE, 'server storage unavailable');
      },
    );
  }

  /** SEC8: shard time is paid for by the connection and its address. */
  private charge(connection: Connection, ms: number): void {
    const own = connection.cpu.charge(ms);
    const address = this.addressCpu.charge(connection.addressKey, ms);
    if (own && address) return;
    this.violation(connection, CLOSE_TOO_MUCH_WORK, 'too much work');
  }

  private apply(output: ShardOutput): void {
    switch (output.t) {
      case 'send': {
        const connection = this.connections.get(output.conn);
        if (connection) this.send(connection, output.data);
        return;
      }
      case 'room':
        for (const connection of [...(this.roomMembers.get(output.room) ?? [])]) {
          if (connection.id !== output.except) this.send(connection, output.data);
        }
        return;
      case 'close': {
        const connection = this.connections.get(output.conn);
        if (connection) this.violation(connection, output.code, output.reason);
        return;
      }
      case 'challenge':
        this.challenge(output.conn);
        return;
      case 'loaded':
        this.loaded.add(output.room);
        return;
      case 'unloaded':
        this.loaded.delete(output.room);
        this.roomInbound.delete(output.room);
        this.bridge?.unloaded(output.room);
        return;
      case 'presence':
        this.bridge?.presence(output.room, output.update);
        return;
      case 'persist':
      case 'need-image':
      case 'history':
        // Routed before they get here (cluster mode only).
        return;
    }
  }

  /**
   * SEC9: queues `data` unless the socket has not drained what it was sent:
   * past maxBufferedBytes (plus one big message it is still reading) the
   * reader is too slow or not reading at all, and is dropped. All sockets
   * together stay under maxTotalBufferedBytes: past it the largest queues go.
   */
  private send(connection: Connection, data: Uint8Array): void {
    const socket = connection.socket;
    if (socket.readyState !== socket.OPEN) return;
    const queued = socket.bufferedAmount;
    const limit = this.limits.maxBufferedBytes;
    if (queued <= limit) connection.bigInFlight = 0;
    if (queued > 0 && queued + data.byteLength > limit + connection.bigInFlight) {
      this.drop(connection, 'dropping socket: not reading');
      return;
    }
    if (data.byteLength > limit) connection.bigInFlight = data.byteLength;
    this.bufferedEstimate += data.byteLength;
    // Counting every socket is O(sockets): at most every 100 ms, and only once the estimate says so.
    const now = performance.now();
    if (this.bufferedEstimate > this.limits.maxTotalBufferedBytes && now - this.lastBufferCount >= 100) {
      this.lastBufferCount = now;
      this.limitTotalBuffered(data.byteLength);
      if (!this.connections.has(connection.id)) return;
    }
    socket.send(data);
  }

  private drop(connection: Connection, why: string): void {
    this.logger.warn('sync', why, {
      address: connection.address,
      room: connection.room,
      buffered: connection.socket.bufferedAmount,
    });
    connection.socket.terminate();
    this.remove(connection);
  }

  /** SEC15: the holder of a contested presence id must answer a ping in time or go. */
  private challenge(id: number): void {
    const connection = this.connections.get(id);
    if (!connection || connection.challengeDeadline !== undefined) return;
    connection.alive = false;
    connection.challengeDeadline = Date.now() + this.limits.claimChallengeMs;
    try {
      connection.socket.ping();
    } catch {
      connection.socket.terminate();
      this.remove(connection);
    }
  }

  /** SEC7: the shard was replaced; close the culprit, join everyone else again. */
  private onRestart(index: number, culprit: ShardJob | undefined, lost: ShardJob[]): void {
    this.heldByShard[index] = 0;
    for (const room of [...this.loaded]) {
      if (shardOf(room, this.shards.length) !== index) continue;
      this.loaded.delete(room);
      this.bridge?.unloaded(room);
    }
    if (culprit && 'conn' in culprit) {
      const connection = this.connections.get(culprit.conn);
      if (connection) {
        this.penalties.set(connection.addressKey, Date.now() + this.limits.penaltyMs);
        this.violation(connection, CLOSE_TOO_SLOW, 'update took too long');
      }
    }
    for (const job of lost) {
      if (job.t !== 'msg') continue;
      const connection = this.connections.get(job.conn);
      if (connection) connection.queued = 0;
    }
    const shard = this.shards[index] as SyncShard;
    // A worker that died on its own (out of memory loading a room, say) and keeps dying must not
    // be fed the same rooms forever: past 3 restarts a minute its people are asked to come back later.
    const now = Date.now();
    this.restartTimes[index] = [...(this.restartTimes[index] ?? []).filter((t) => now - t < 60_000), now];
    const crashLooping = !culprit && (this.restartTimes[index]?.length ?? 0) > 3;
    for (const connection of [...this.connections.values()]) {
      if (connection.shard !== shard) continue;
      if (crashLooping) {
        this.violation(connection, CLOSE_TRY_LATER, 'server busy, try again later');
        continue;
      }
      if (connection.socket.isPaused) connection.socket.resume();
      shard.send({ t: 'join', conn: connection.id, room: connection.room }, this.limits.joinTimeoutMs);
    }
  }

  /** MOD5: closes every connection of `room` that proved the removed `session`. */
  private closeSession(room: string, session: string): void {
    for (const connection of [...(this.roomMembers.get(room) ?? [])]) {
      if (connection.roles?.session === session) this.violation(connection, CLOSE_REMOVED, REMOVED_REASON);
    }
  }

  /** `reason` is a fixed sentence of the server's, never text from the peer (SEC3). */
  private violation(connection: Connection, code: number, reason: string): void {
    this.logger.warn('sync', `closing socket: ${reason}`, {
      address: connection.address,
      room: connection.room,
      code,
    });
    closeSocket(connection.socket, code, reason);
    this.remove(connection);
  }

  private remove(connection: Connection): void {
    if (!this.connections.delete(connection.id)) return;
    connection.roles?.close();
    connection.shard.cancel(connection.id);
    if (connection.seated) this.bridge?.releaseSeat(connection.room);
    const members = this.roomMembers.get(connection.room);
    members?.delete(connection);
    if (members?.size === 0) this.roomMembers.delete(connection.room);
    if (!this.closing) connection.shard.send({ t: 'leave', conn: connection.id }, this.limits.workTimeoutMs);
  }

  private tick(): void {
    const now = Date.now();
    if (now - this.lastHeartbeat >= this.limits.heartbeatMs) {
      this.lastHeartbeat = now;
      sweepHeartbeats(
        [...this.connections.values()].filter((connection) => connection.challengeDeadline === undefined),
        this.logger,
        'sync',
        (connection) => this.remove(connection),
      );
    }
    for (const connection of [...this.connections.values()]) {
      if (connection.challengeDeadline === undefined) continue;
      if (connection.alive) {
        connection.challengeDeadline = undefined;
      } else if (now > connection.challengeDeadline) {
        this.logger.info('sync', 'terminating socket: did not answer for a contested presence id', {
          address: connection.address,
        });
        connection.socket.terminate();
        this.remove(connection);
      }
    }
    for (const [key, until] of this.penalties) if (until <= now) this.penalties.delete(key);
    this.limitTotalBuffered();
    const memoryOver = this.overBudget();
    for (const shard of this.shards) if (shard.started) shard.send({ t: 'tick', memoryOver }, 30_000);
  }

  /**
   * SEC9: all sync sockets together hold at most maxTotalBufferedBytes unread
   * (with `incoming` about to be queued); the largest queues go first.
   */
  private limitTotalBuffered(incoming = 0): void {
    let total = incoming;
    for (const connection of this.connections.values()) total += connection.socket.bufferedAmount;
    this.bufferedEstimate = total;
    if (total <= this.limits.maxTotalBufferedBytes) return;
    const largest = [...this.connections.values()].sort((a, b) => b.socket.bufferedAmount - a.socket.bufferedAmount);
    for (const connection of largest) {
      if (total <= this.limits.maxTotalBufferedBytes || connection.socket.bufferedAmount === 0) break;
      total -= connection.socket.bufferedAmount;
      this.drop(connection, 'dropping socket: server-wide send buffers full');
    }
    this.bufferedEstimate = total;
  }

  /** RS11: compacts every live room, closes every socket (1001), the shards and the store. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.timer);
      for (const connection of [...this.connections.values()]) {
        closeSocket(connection.socket, CLOSE_GOING_AWAY, 'server shutting down');
        this.remove(connection);
      }
      this.wss.close();
      await Promise.all(this.shards.map((shard) => shard.close(SHUTDOWN_GRACE_MS)));
      this.sqlite?.close();
      this.bridge?.close();
    })();
    return this.closing;
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
