/**
 * The pose relay across instances (docs/scaling.md). Each room's peer ids are
 * claimed in one Redis hash, so RELAY8 (64 peers a room) and RELAY9 (an id
 * belongs to the socket holding it; taking it over needs its session secret)
 * hold cluster-wide. Frames for peers on other instances leave as one binary
 * bus message per room and event-loop turn; membership changes travel on the
 * same channel.
 *
 *   CL6 A frame reaches the room's peers on every instance, stamped with the sender's id;
 *       TO_PEERS frames reach only the named peers, wherever they are.
 *   CL7 RELAY8 and RELAY9 hold cluster-wide: the room's seats and each id's holder are decided
 *       by one script in Redis; a second socket for a live id (on any instance) needs the
 *       holder's secret, and the holder's instance then closes it with 4001.
 *   CL8 What one room sends to Redis from one instance is bounded in bytes per second (beyond
 *       it frames stay local, counted), and what an instance takes in for a room is bounded
 *       too; malformed bus messages are dropped whole.
 *   CL9 The peers of an instance that died are released (LEFT to everyone) once it is seen dead.
 */
import { createHash } from 'node:crypto';
import type { PeerId } from '../../app/core/ids.ts';
import type { Logger } from '../log.ts';
import { TokenBucket } from '../rate-limit.ts';
import type { RelayBridge, RelayClaim, RelayServer } from '../relay.ts';
import {
  BUS,
  RelayBundleWriter,
  readBusHeader,
  readPeerMessage,
  readRelayBundle,
  writePeerMessage,
} from './bus-codec.ts';
import type { Cluster } from './cluster.ts';
import { CHANNELS, KEYS } from './keys.ts';

export interface RelayBusLimits {
  /** CL8: bytes per second one room may send to Redis from one instance (bursts of 2x). */
  bytesPerSecond: number;
  /** CL8: how many instances' worth of a room's traffic one instance takes in. */
  inboundFactor: number;
  maxPeersPerRoom: number;
  /** Largest FROM frame in a bus record (the relay's own frame limit plus its header). */
  maxFrameBytes: number;
}

const DEFAULT_RELAY_BUS_LIMITS: RelayBusLimits = {
  // 64 peers at 60 Hz with ~100-byte batches is ~0.4 MB/s; a TO_PEERS-heavy room a few times that.
  bytesPerSecond: 2 * 1024 * 1024,
  inboundFactor: 4,
  maxPeersPerRoom: 64,
  maxFrameBytes: 2048 + 5,
};

/**
 * CL7: claims `peer` in the room's hash. Entries of dead instances are removed
 * on the way. Returns {-409} (held, wrong secret), {-503} (room full), or
 * {previous holder instance or 0, {peer, instance, ...} of the others alive}.
 */
const CLAIM_SCRIPT = `
local all = redis.call('HGETALL', KEYS[1])
local others = {}
local holder = false
local count = 0
local cache = {}
for i = 1, #all, 2 do
  local peer, value = all[i], all[i + 1]
  local inst = string.match(value, '^(%d+):')
  local alive = cache[inst]
  if alive == nil then
    local score = redis.call('ZSCORE', KEYS[2], inst or '')
    alive = score ~= false and tonumber(score) >= tonumber(ARGV[4])
    cache[inst] = alive
  end
  if not alive then
    redis.call('HDEL', KEYS[1], peer)
  elseif peer == ARGV[1] then
    holder = value
  else
    count = count + 1
    table.insert(others, peer)
    table.insert(others, inst)
  end
end
local previous = 0
if holder then
  if string.match(holder, ':(%x+)$') ~= ARGV[2] then return {-409} end
  previous = tonumber(string.match(holder, '^(%d+):'))
elseif count >= tonumber(ARGV[5]) then
  return {-503}
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return {previous, others}
`;

/** Removes `peer` from the hash only if this socket still holds it. */
const RELEASE_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0
`;

interface RoomState {
  handler: (message: Buffer) => void;
  /** Peers of this room on other instances: id -> instance. */
  remote: Map<PeerId, number>;
  /** LEFT heard for peers not (yet) known here: a claim's list read just before they left must not revive them. */
  recentlyLeft: Map<PeerId, number>;
  locals: number;
  bundle: RelayBundleWriter;
  outBytes: TokenBucket;
  inBytes: TokenBucket;
}

export interface RelayBusCounters {
  messagesOut: number;
  framesOut: number;
  messagesIn: number;
  framesIn: number;
  droppedOutbound: number;
  droppedInbound: number;
  malformed: number;
}

type ClaimReply = [number, string[]] | [number];

export class RelayBus implements RelayBridge {
  private readonly rooms = new Map<string, RoomState>();
  private readonly dirty = new Set<string>();
  private flushScheduled = false;
  readonly counters: RelayBusCounters = {
    messagesOut: 0,
    framesOut: 0,
    messagesIn: 0,
    framesIn: 0,
    droppedOutbound: 0,
    droppedInbound: 0,
    malformed: 0,
  };

  constructor(
    private readonly cluster: Cluster,
    private readonly relay: RelayServer,
    private readonly logger: Logger,
    private readonly limits: RelayBusLimits = DEFAULT_RELAY_BUS_LIMITS,
  ) {
    cluster.redis.defineCommand('relayClaim', { numberOfKeys: 2, lua: CLAIM_SCRIPT });
    cluster.redis.defineCommand('relayRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    cluster.on({ instanceGone: (instance) => this.instanceGone(instance) });
    relay.attach(this);
  }

  async claim(room: string, id: PeerId, presented: Uint8Array | undefined, secret: Buffer): Promise<RelayClaim> {
    const state = this.open(room);
    state.locals++;
    try {
      // CL3: while Redis is unreachable the claim cannot be decided: refuse now rather than wait.
      if (!this.cluster.ready) throw new Error('Redis unreachable');
      // Subscribed before the claim, so no JOINED after the list we read is missed. The subscriber
      // link queues while it reconnects, so a link that broke unnoticed is waited for a bounded time.
      await withinMs(this.cluster.subscribe(CHANNELS.relay(room), state.handler), SUBSCRIBE_TIMEOUT_MS);
      const reply = (await (
        this.cluster.redis as unknown as { relayClaim(...args: (string | number)[]): Promise<ClaimReply> }
      ).relayClaim(
        KEYS.relayPeers(room),
        KEYS.instances,
        String(id),
        presented ? secretHash(presented) : '',
        `${this.cluster.instance}:${secretHash(secret)}`,
        Date.now() - this.cluster.deadAfterMs,
        this.limits.maxPeersPerRoom,
      )) as ClaimReply;
      const [previous, others] = reply;
      if (previous === -409) {
        this.close(room);
        return { ok: false, status: '409 Conflict', why: 'peer id held by another connection' };
      }
      if (previous === -503 || others === undefined) {
        this.close(room);
        return { ok: false, status: '503 Service Unavailable', why: 'room full' };
      }
      const replacedRemote = previous !== 0 && previous !== this.cluster.instance;
      if (replacedRemote) {
        this.cluster.publish(
          CHANNELS.relay(room),
          writePeerMessage(BUS.relayReplace, this.cluster.instance, id, previous),
        );
      }
      state.remote.delete(id);
      const remotePeers: PeerId[] = [];
      for (let i = 0; i + 1 < others.length; i += 2) {
        const peer = Number(others[i]) as PeerId;
        const instance = Number(others[i + 1]);
        // Whoever is on this instance is known without Redis; the rest are remote.
        if (instance === this.cluster.instance || state.recentlyLeft.has(peer)) continue;
        remotePeers.push(peer);
        state.remote.set(peer, instance);
      }
      return { ok: true, remotePeers, replacedRemote };
    } catch (error) {
      this.close(room);
      throw error;
    }
  }

  joined(room: string, id: PeerId, _secret: Buffer, replaced: boolean): void {
    if (replaced) return;
    this.cluster.publish(CHANNELS.relay(room), writePeerMessage(BUS.relayJoined, this.cluster.instance, id));
  }

  left(room: string, id: PeerId, secret: Buffer, announce: boolean): void {
    const redis = this.cluster.redis as unknown as { relayRelease(...args: string[]): Promise<number> };
    if (this.cluster.ready) {
      redis
        .relayRelease(KEYS.relayPeers(room), String(id), `${this.cluster.instance}:${secretHash(secret)}`)
        .then((removed) => {
          if (announce && removed === 1) {
            this.cluster.publish(CHANNELS.relay(room), writePeerMessage(BUS.relayLeft, this.cluster.instance, id));
          }
        })
        .catch((error: unknown) => this.cluster.reportError('commands', error));
    }
    this.close(room);
  }

  hasRemote(room: string, id: PeerId): boolean {
    return this.rooms.get(room)?.remote.has(id) ?? false;
  }

  remoteCount(room: string): number {
    return this.rooms.get(room)?.remote.size ?? 0;
  }

  forward(room: string, frame: Uint8Array, targets: readonly PeerId[] | undefined): void {
    const state = this.rooms.get(room);
    if (!state) return;
    if (!state.outBytes.take(frame.length + 3 + 4 * (targets?.length ?? 0))) {
      if (this.counters.droppedOutbound++ % 10_000 === 0) {
        this.logger.warn('relay', 'a room sends more than the cluster carries; frames stay local', { room });
      }
      return;
    }
    state.bundle.add(frame, targets);
    this.counters.framesOut++;
    this.dirty.add(room);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** One bus message per room for everything its peers sent this turn. */
  private flush(): void {
    this.flushScheduled = false;
    for (const room of this.dirty) {
      const state = this.rooms.get(room);
      if (!state || state.bundle.empty) continue;
      if (this.cluster.publish(CHANNELS.relay(room), state.bundle.finish(this.cluster.instance))) {
        this.counters.messagesOut++;
      }
    }
    this.dirty.clear();
  }

  private open(room: string): RoomState {
    let state = this.rooms.get(room);
    if (!state) {
      const { bytesPerSecond, inboundFactor } = this.limits;
      const created: RoomState = {
        handler: (message) => this.receive(room, created, message),
        remote: new Map(),
        recentlyLeft: new Map(),
        locals: 0,
        bundle: new RelayBundleWriter(),
        outBytes: new TokenBucket(bytesPerSecond, 2 * bytesPerSecond),
        inBytes: new TokenBucket(inboundFactor * bytesPerSecond, 2 * inboundFactor * bytesPerSecond),
      };
      state = created;
      this.rooms.set(room, state);
    }
    return state;
  }

  /** One local hold on the room fewer; the last one unsubscribes. */
  private close(room: string): void {
    const state = this.rooms.get(room);
    if (!state) return;
    if (--state.locals > 0) return;
    this.rooms.delete(room);
    this.cluster.unsubscribe(CHANNELS.relay(room), state.handler);
  }

  private receive(room: string, state: RoomState, message: Buffer): void {
    const header = readBusHeader(message);
    if (!header) {
      this.counters.malformed++;
      return;
    }
    if (header.instance === this.cluster.instance) return;
    if (!state.inBytes.take(message.length)) {
      this.counters.droppedInbound++;
      return;
    }
    this.counters.messagesIn++;
    switch (header.kind) {
      case BUS.relayFrames: {
        const records = readRelayBundle(message, this.limits.maxFrameBytes);
        if (!records) {
          this.counters.malformed++;
          return;
        }
        for (const record of records) {
          this.counters.framesIn++;
          this.relay.deliverRemote(room, record.frame, record.targets);
        }
        return;
      }
      case BUS.relayJoined:
      case BUS.relayLeft:
      case BUS.relayReplace: {
        const peer = readPeerMessage(message);
        if (!peer) {
          this.counters.malformed++;
          return;
        }
        this.membership(room, state, header.kind, header.instance, peer.peer, peer.holder);
        return;
      }
      default:
        this.counters.malformed++;
    }
  }

  private membership(
    room: string,
    state: RoomState,
    kind: number,
    instance: number,
    peer: PeerId,
    holder: number | undefined,
  ): void {
    if (kind === BUS.relayJoined) {
      state.recentlyLeft.delete(peer);
      const known = state.remote.has(peer);
      state.remote.set(peer, instance);
      if (!known) this.relay.notifyRemote(room, 'joined', peer);
    } else if (kind === BUS.relayLeft) {
      const at = state.remote.get(peer);
      if (at === undefined) {
        const now = Date.now();
        for (const [id, when] of state.recentlyLeft) if (now - when > 5_000) state.recentlyLeft.delete(id);
        if (state.recentlyLeft.size < 1_024) state.recentlyLeft.set(peer, now);
        return;
      }
      if (at !== instance) return;
      state.remote.delete(peer);
      this.relay.notifyRemote(room, 'left', peer);
    } else {
      state.remote.set(peer, instance);
      if (holder === this.cluster.instance) this.relay.replacedRemotely(room, peer);
    }
  }

  /** CL9: everyone the dead instance held has left. */
  private instanceGone(instance: number): void {
    for (const [room, state] of this.rooms) {
      for (const [peer, at] of [...state.remote]) {
        if (at !== instance) continue;
        state.remote.delete(peer);
        this.relay.notifyRemote(room, 'left', peer);
      }
    }
  }
}

/** How long a relay upgrade waits for its room's subscription before it is refused (503). */
const SUBSCRIBE_TIMEOUT_MS = 2_000;

function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('Redis did not answer in time')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function secretHash(secret: Uint8Array): string {
  return createHash('sha256').update(secret).digest('hex');
}
