/**
 * One server instance's link to the cluster (docs/scaling.md): two Redis
 * connections (commands, and pub/sub), this instance's id and heartbeat, the
 * set of instances alive, and channel subscriptions with reference counts.
 *
 * Loaded only when `REDIS_URL` is set: `ioredis` is imported here, lazily,
 * so a server without it never loads the client (CL1).
 *
 *   CL1 With REDIS_URL unset the server is one process with SQLite and loads no Redis client.
 *   CL2 Each instance writes a heartbeat every HEARTBEAT_MS; one silent for DEAD_AFTER_MS is
 *       dead: what it held (relay ids, presence, sync seats) is released cluster-wide.
 *   CL3 Commands never queue while Redis is unreachable: they fail at once, and each endpoint
 *       says what that means for its clients (sync: 4507; relay and signaling: local only).
 */
import { randomInt } from 'node:crypto';
import type { Redis as RedisClient, RedisOptions } from 'ioredis';
import type { Logger } from '../log.ts';
import { errorText } from '../socket-watch.ts';
import { KEYS } from './keys.ts';

/** How often an instance renews its heartbeat (CL2). */
const HEARTBEAT_MS = 500;
/** An instance silent this long is dead (CL2): its sockets were lost with it. */
const DEAD_AFTER_MS = 2_000;
/** Dead instances' heartbeat entries are removed after this long. */
const FORGET_AFTER_MS = 60_000;

export type ChannelHandler = (message: Buffer) => void;

export interface ClusterEvents {
  /** An instance stopped heartbeating (or said goodbye): forget what it held. */
  instanceGone?(instance: number): void;
  /** The pub/sub link came back after a break: messages published meanwhile were missed. */
  resumed?(): void;
}

export interface ClusterOptions {
  url: string;
  /** Tests shorten liveness. */
  heartbeatMs?: number;
  deadAfterMs?: number;
}

export class Cluster {
  /** This instance's id: a random non-zero u32, new on every start. */
  readonly instance: number;
  readonly heartbeatMs: number;
  readonly deadAfterMs: number;
  private readonly handlers = new Map<string, Set<ChannelHandler>>();
  private readonly listeners: ClusterEvents[] = [];
  private live = new Set<number>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private lastError = '';

  private constructor(
    readonly redis: RedisClient,
    private readonly sub: RedisClient,
    private readonly logger: Logger,
    options: ClusterOptions,
  ) {
    this.instance = randomInt(1, 0xffffffff);
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.deadAfterMs = options.deadAfterMs ?? DEAD_AFTER_MS;
    this.live.add(this.instance);
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.dispatch(channel.toString('latin1'), message));
    for (const [name, client] of [
      ['commands', redis],
      ['pubsub', sub],
    ] as const) {
      client.on('error', (error: unknown) => this.reportError(name, error));
    }
    let readyBefore = sub.status === 'ready';
    sub.on('ready', () => {
      this.lastError = '';
      this.logger.info('cluster', 'connected to Redis');
      if (readyBefore) for (const listener of this.listeners) listener.resumed?.();
      readyBefore = true;
    });
    this.timer = setInterval(() => void this.beat(), this.heartbeatMs);
    this.timer.unref();
  }

  /** Connects to Redis (both connections), registers this instance, and learns who else is alive. */
  static async connect(options: ClusterOptions, logger: Logger): Promise<Cluster> {
    const { Redis } = await import('ioredis');
    const common: RedisOptions = {
      lazyConnect: true,
      // A broken link reconnects quickly and keeps trying (every second at most).
      retryStrategy: (times) => Math.min(50 * times, 1_000),
      connectTimeout: 5_000,
    };
    // CL3: commands fail at once while disconnected rather than pile up in memory.
    const redis = new Redis(options.url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const sub = new Redis(options.url, { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null });
    await Promise.all([redis.connect(), sub.connect()]);
    const cluster = new Cluster(redis, sub, logger, options);
    await cluster.beat();
    return cluster;
  }

  /** Registers for instanceGone events. */
  on(events: ClusterEvents): void {
    this.listeners.push(events);
  }

  isAlive(instance: number): boolean {
    return this.live.has(instance);
  }

  /** Instances alive as of the last heartbeat round, this one included. */
  get instances(): ReadonlySet<number> {
    return this.live;
  }

  /** Subscribes `handler` to `channel`; resolves once Redis confirmed the subscription. */
  async subscribe(channel: string, handler: ChannelHandler): Promise<void> {
    let set = this.handlers.get(channel);
    const first = !set;
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    if (first) await this.sub.subscribe(channel);
  }

  unsubscribe(channel: string, handler: ChannelHandler): void {
    const set = this.handlers.get(channel);
    if (!set?.delete(handler) || set.size > 0) return;
    this.handlers.delete(channel);
    this.sub.unsubscribe(channel).catch((error: unknown) => this.reportError('pubsub', error));
  }

  /** Publishes; false (and nothing sent) when Redis is unreachable right now (CL3). */
  publish(channel: string, message: Buffer): boolean {
    if (this.redis.status !== 'ready') return false;
    this.redis.publish(channel, message).catch((error: unknown) => this.reportError('commands', error));
    return true;
  }

  get ready(): boolean {
    return this.redis.status === 'ready';
  }

  /** Logs a Redis error once per distinct message (a down Redis would otherwise log every retry). */
  reportError(connection: string, error: unknown): void {
    const text = errorText(error);
    if (text === this.lastError) return;
    this.lastError = text;
    this.logger.warn('cluster', 'Redis error', { connection, error: text });
  }

  private dispatch(channel: string, message: Buffer): void {
    const set = this.handlers.get(channel);
    if (!set) return;
    for (const handler of set) {
      try {
        handler(message);
      } catch (error) {
        // A bad message from the bus costs that message, never the process (SEC3).
        this.logger.error('cluster', 'a bus message handler failed', { channel, error: errorText(error) });
      }
    }
  }

  /** CL2: renews this instance's heartbeat and reads everyone else's. */
  private async beat(): Promise<void> {
    if (this.closed || this.redis.status !== 'ready') return;
    const now = Date.now();
    try {
      const [, , alive] = (await this.redis
        .multi()
        .zadd(KEYS.instances, now, String(this.instance))
        .zremrangebyscore(KEYS.instances, '-inf', now - FORGET_AFTER_MS)
        .zrangebyscore(KEYS.instances, now - this.deadAfterMs, '+inf')
        .exec()) as [unknown, unknown, [Error | null, string[]]];
      if (alive[0]) throw alive[0];
      const next = new Set(alive[1].map(Number));
      next.add(this.instance);
      const gone = [...this.live].filter((id) => !next.has(id));
      this.live = next;
      for (const id of gone) {
        this.logger.info('cluster', 'an instance is gone', { instance: id });
        for (const listener of this.listeners) listener.instanceGone?.(id);
      }
    } catch (error) {
      this.reportError('commands', error);
    }
  }

  /** Says goodbye (others forget this instance at once), then closes both connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    try {
      if (this.redis.status === 'ready') await this.redis.zrem(KEYS.instances, String(this.instance));
    } catch (error) {
      this.reportError('commands', error);
    }
    this.sub.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
