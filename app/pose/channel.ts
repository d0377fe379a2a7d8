/**
 * The 60 Hz pose channel: this peer's avatar and streamed objects out, every
 * remote peer's in, over whichever transport reaches each peer best. Plain
 * TypeScript; React calls `tick()` once per rendered frame and samples remote
 * poses into its objects. Nothing here allocates per frame in steady state.
 *
 * @example
 *   const channel = new PoseChannel({ selfId, identity: () => ({ name, color }) });
 *   channel.setAvatarPart(PART_HEAD, camera.position, camera.quaternion);
 *   channel.tick();                                       // one batch per peer
 *   channel.sampleAvatarPart(peerId, PART_HEAD, mesh.position, mesh.quaternion);
 */

import type { ObjectId, PeerId } from '../core/ids.ts';
import { createStore, type Store } from '../core/store.ts';
import type { SampleState } from './receive/entity-track.ts';
import { RESTART_SILENT_LINK_MS } from './receive/link-health.ts';
import { RemotePeer } from './receive/remote-peer.ts';
import { LocalEntities, PRIORITY_AVATAR, PRIORITY_HELD, type Priority } from './send/local-entities.ts';
import { buildBatch } from './send/scheduler.ts';
import type { LinkSink, PoseLink, PoseTransport, TransportKind } from './transports/link.ts';
import { createDecodedBatch, type DecodedBatch, PoseBatchWriter, readPoseBatch } from './wire/batch-codec.ts';
import {
  type Bye,
  type Ping,
  type Pong,
  readBye,
  readHello,
  readPing,
  readPong,
  writeBye,
  writeHello,
  writePing,
  writePong,
} from './wire/control-codec.ts';
import { type MessageHeader, readHeader } from './wire/header.ts';
import { objectEntityId } from './wire/object-id.ts';
import {
  KIND_BATCH,
  KIND_BYE,
  KIND_HELLO,
  KIND_PING,
  KIND_PONG,
  PART_OBJECT,
  type PartCode,
  READ_ERRORS,
  type ReadStatus,
  TIME_TICKS_PER_MS,
} from './wire/protocol.ts';
import type { QuatLike, Vec3Like } from './wire/quantize.ts';
import { type Clock, systemClock, tickDiff, toTicks } from './wire/time.ts';
import { viewOf } from './wire/views.ts';

/** A peer with no link and no message for this long is gone ([POSE13]). */
const PEER_TIMEOUT_MS = 5000;
/**
 * A peer that sent nothing at all (not even a PING) for this long has its
 * entities hidden ([POSE13]). Entities of a live peer end by GONE, or by
 * missing from one of its keyframes (which list everything present).
 */
const PEER_SILENT_MS = 10_000;
const PING_INTERVAL_MS = 1000;
/** The first pings go faster so latency is measured within a second of connecting. */
const EARLY_PING_INTERVAL_MS = 150;
const EARLY_PINGS = 5;
const HELLO_INTERVAL_MS = 5000;

export interface PoseIdentity {
  name: string;
  color: string;
}

export interface PoseChannelOptions {
  /** This peer's pose id: u32, non-zero; the room's awareness client id. */
  selfId: PeerId;
  identity: () => PoseIdentity;
  /** This peer's WebRTC endpoint token, told to others in HELLO. */
  linkToken?: () => string;
  clock?: Clock;
  budgetBytesPerSecond?: number;
  /** Called once per kind of link, when the first batch from anyone arrives over it (connect timing). */
  onFirstBatch?(kind: TransportKind): void;
}

export interface PeerInfo {
  id: PeerId;
  name: string;
  color: string;
  transport: TransportKind | 'none';
}

export interface PeerStats extends PeerInfo {
  rateHz: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  jitterMs: number;
  lossPercent: number;
  bytesInPerSecond: number;
  bytesOutPerSecond: number;
  playoutDelayMs: number;
  clockOffsetMs: number;
  rttMs: number;
  links: TransportKind[];
}

export type DropReason = Exclude<ReadStatus, 'ok'> | 'spoofed' | 'duplicate' | 'limit';

export interface ChannelCounters {
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** BYEs received ([POSE15]). */
  byesIn: number;
  /** Peers ended because presence said they left ([POSE19]). */
  departures: number;
  /** Times a peer's poses left a link that went silent, and came back to one that answered again (TRN8). */
  silentSwitches: number;
  recoveries: number;
  /** Silent links given up so their transport makes a new one (TRN8). */
  linkRestarts: number;
  dropped: Record<DropReason, number>;
}

export class PoseChannel implements LinkSink {
  readonly selfId: PeerId;
  readonly entities = new LocalEntities();
  readonly peers = new Map<PeerId, RemotePeer>();
  /** Remote peers for the UI; replaced only when membership, names or transports change. */
  readonly peerList: Store<PeerInfo[]> = createStore<PeerInfo[]>([]);
  readonly counters: ChannelCounters = {
    messagesIn: 0,
    messagesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    byesIn: 0,
    departures: 0,
    silentSwitches: 0,
    recoveries: 0,
    linkRestarts: 0,
    dropped: Object.fromEntries([...READ_ERRORS, 'spoofed', 'duplicate', 'limit'].map((k) => [k, 0])) as Record<
      DropReason,
      number
    >,
  };
  /**
   * Received batches that changed what a remote peer shows (a pose that moved, an entity that came or
   * went); a room that draws on demand compares it between display frames (docs/architecture.md ROOM5).
   */
  remoteChanges = 0;
  /** Bench/test hook: when an array, every batch's one-way latency (ms) is appended (bounded). */
  latencyLog: number[] | null = null;
  /** Time of the last tick or frame, used by sampling so every object of a frame shares one instant. */
  frameNow: number;
  private readonly clock: Clock;
  private readonly writer = new PoseBatchWriter();
  private readonly batch: DecodedBatch = createDecodedBatch();
  private readonly header: MessageHeader = { kind: 0, sender: 0 as PeerId };
  /** Control messages read and written, reused (PING, PONG, BYE allocate nothing). */
  private readonly ping: Ping = { sender: 0 as PeerId, t0: 0 };
  private readonly pong: Pong = { sender: 0 as PeerId, t0: 0, t1: 0, t2: 0 };
  private readonly bye: Bye = { sender: 0 as PeerId };
  private readonly control = new Uint8Array(32);
  private peerArray: RemotePeer[] = [];
  private readonly transports: PoseTransport[] = [];
  private readonly firstBatchKinds = new Set<TransportKind>();
  private destroyed = false;
  /** The seq destinations in step will use next. */
  private nextSeq = Math.floor(Math.random() * 0x10000);

  constructor(private readonly options: PoseChannelOptions) {
    if (!Number.isInteger(options.selfId) || options.selfId <= 0 || options.selfId > 0xffffffff) {
      throw new Error(`PoseChannel: selfId must be a non-zero u32, got ${options.selfId}`);
    }
    this.selfId = options.selfId;
    this.clock = options.clock ?? systemClock;
    this.frameNow = this.clock.now();
  }

  addTransport(transport: PoseTransport): void {
    this.transports.push(transport);
  }

  // --- what this peer publishes -------------------------------------------------

  /** Sets one avatar part (head, left, right) in room coordinates; false when not encodable. */
  setAvatarPart(part: PartCode, position: Vec3Like, rotation: QuatLike): boolean {
    return this.entities.set(part, position, rotation, PRIORITY_AVATAR);
  }

  /** The part is no longer tracked (a hand left view, XR ended): peers hide it. */
  clearAvatarPart(part: PartCode): void {
    this.entities.clear(part, this.clock.now());
  }

  /**
   * Streams an object's pose at up to 60 Hz while this peer moves it (issue 7:
   * a held object). Call every frame while held; `endObjectStream` on release
   * (then the room document holds the final pose). False when not encodable or
   * when MAX_LOCAL_ENTITIES objects are already streaming.
   */
  streamObject(
    objectId: ObjectId,
    position: Vec3Like,
    rotation: QuatLike,
    priority: Priority = PRIORITY_HELD,
  ): boolean {
    const slot = this.entities.objectSlot(objectEntityId(objectId), true, this.clock.now());
    return slot >= 0 && this.entities.set(slot, position, rotation, priority);
  }

  endObjectStream(objectId: ObjectId): void {
    const slot = this.entities.objectSlot(objectEntityId(objectId), false, 0);
    if (slot >= 0) this.entities.clear(slot, this.clock.now());
  }

  setIdentityChanged(): void {
    for (const peer of this.peerArray) peer.lastHelloAt = Number.NEGATIVE_INFINITY;
  }

  // --- the tick ---------------------------------------------------------------------

  /**
   * Starts a frame: remote poses sampled from now on are at this instant's
   * render time. A frame that sends (`tick`) does this itself; frames between
   * send windows ([POSE18]) call it alone. Returns the time.
   */
  markFrame(): number {
    this.frameNow = this.clock.now();
    return this.frameNow;
  }

  /**
   * One tick: a batch per peer over its best live link (TRN8: not a silent
   * one), PINGs when due (the clock estimate's on that link, and every WebRTC
   * link's probe), hellos when due, then transports flush.
   */
  tick(): void {
    if (this.destroyed) return;
    const now = this.clock.now();
    this.frameNow = now;
    let changed = false;
    for (const peer of this.peerArray) {
      if (this.checkLinks(peer, now)) changed = true;
      if (!peer.current) {
        if (now - peer.lastHeard > PEER_TIMEOUT_MS) {
          this.peers.delete(peer.id);
          changed = true;
        }
        continue;
      }
      const link = peer.current;
      const length = buildBatch(this.writer, this.entities, peer.dest, this.selfId, now);
      if (length > 0) {
        this.sendOn(peer, link, this.writer.finish(), now);
        this.nextSeq = peer.dest.seq;
      }
      const clockInterval = peer.pingsSent < EARLY_PINGS ? EARLY_PING_INTERVAL_MS : PING_INTERVAL_MS;
      for (const other of peer.links.values()) {
        if (!peer.health.pingDue(other.kind, now, other === link ? clockInterval : Number.POSITIVE_INFINITY)) continue;
        peer.health.pinged(other.kind, now);
        if (other === link) peer.pingsSent++;
        const ping = this.ping;
        ping.sender = this.selfId;
        ping.t0 = toTicks(now);
        this.sendOn(peer, other, viewOf(this.control, writePing(this.control, ping)), now);
      }
      if (now - peer.lastHelloAt >= HELLO_INTERVAL_MS) this.sendHello(peer, link, true, now);
    }
    if (changed) this.peersChanged();
    for (const transport of this.transports) transport.flush?.();
  }

  /**
   * TRN8: a link silent for RESTART_SILENT_LINK_MS is given up (its transport
   * makes a new one); a link that fell silent is passed over, with full state
   * at once over the next best. Returns whether the peer's link changed.
   */
  private checkLinks(peer: RemotePeer, now: number): boolean {
    for (const link of peer.links.values()) {
      if (!link.restart || peer.health.silentFor(link.kind, now) < RESTART_SILENT_LINK_MS) continue;
      this.counters.linkRestarts++;
      link.restart();
      this.linkDown(link);
    }
    const from = peer.current;
    if (!peer.chooseLink(now)) return false;
    if (from && peer.links.get(from.kind) === from) this.counters.silentSwitches++;
    if (peer.current) peer.dest.needsKeyframe = true;
    return true;
  }

  private sendOn(peer: RemotePeer, link: PoseLink, bytes: Uint8Array, now: number): void {
    if (!link.send(bytes)) return;
    this.counters.messagesOut++;
    this.counters.bytesOut += bytes.length;
    peer.stats.onSent(now, bytes.length);
  }

  private sendHello(peer: RemotePeer, link: PoseLink, replyWanted: boolean, now: number): void {
    peer.lastHelloAt = now;
    const { name, color } = this.options.identity();
    const hello = writeHello({
      sender: this.selfId,
      replyWanted,
      name,
      color,
      linkToken: this.options.linkToken?.() ?? '',
    });
    this.sendOn(peer, link, hello, now);
  }

  // --- links -------------------------------------------------------------------------

  introduction(): Uint8Array {
    const { name, color } = this.options.identity();
    return writeHello({
      sender: this.selfId,
      replyWanted: true,
      name,
      color,
      linkToken: this.options.linkToken?.() ?? '',
    });
  }

  linkUp(link: PoseLink): void {
    if (this.destroyed || link.peerId === this.selfId || link.peerId <= 0) return;
    const now = this.clock.now();
    let peer = this.peers.get(link.peerId);
    if (!peer) {
      // Start in step with the other destinations: identical batches can then share a relay frame.
      peer = new RemotePeer(link.peerId, this.entities, now, this.nextSeq, this.options.budgetBytesPerSecond);
      this.peers.set(link.peerId, peer);
    }
    peer.links.set(link.kind, link);
    peer.health.up(link.kind);
    peer.lastHeard = now;
    if (peer.chooseLink(now)) {
      // A new or better link: the peer gets full state at once over it ([POSE8]).
      peer.dest.needsKeyframe = true;
    }
    this.sendHello(peer, link, true, now);
    this.peersChanged();
  }

  linkDown(link: PoseLink): void {
    const peer = this.peers.get(link.peerId);
    if (!peer || peer.links.get(link.kind) !== link) return;
    peer.links.delete(link.kind);
    peer.health.down(link.kind);
    if (peer.chooseLink(this.clock.now()) && peer.current) peer.dest.needsKeyframe = true;
    this.peersChanged();
  }

  /**
   * Presence says this peer left the room ([POSE19], room-doc.md PRES4): it ends here
   * as if its BYE had arrived, so what it held or simulated is free at once even
   * when the BYE was lost. Its links stay: if it is still there, presence brings it
   * back (`peerPresent`) and its streams are followed again.
   */
  peerLeft(peerId: PeerId): void {
    const peer = this.peers.get(peerId);
    if (!peer || peer.left) return;
    this.counters.departures++;
    this.markLeft(peer);
  }

  /**
   * Presence announced this peer (added, or renewed, after it left): it counts
   * again ([POSE19]). A peer that said BYE or left presence comes back only this
   * way, never by a batch or HELLO that was still on its way when it left.
   */
  peerPresent(peerId: PeerId): void {
    const peer = this.peers.get(peerId);
    if (!peer?.left) return;
    peer.left = false;
    this.peersChanged();
  }

  /** Peers that count as in the room on this channel (GRAB5): not left, heard within PEER_SILENT_MS. */
  *heardPeerIds(): Iterable<PeerId> {
    for (const peer of this.peerArray) if (!peer.left && this.frameNow - peer.lastHeard < PEER_SILENT_MS) yield peer.id;
  }

  private markLeft(peer: RemotePeer): void {
    peer.left = true;
    for (const track of peer.parts) track.clear();
    peer.objects.clear();
    this.peersChanged();
  }

  /** The kind of link a peer is currently reached by. */
  transportOf(peerId: PeerId): TransportKind | 'none' {
    return this.peers.get(peerId)?.current?.kind ?? 'none';
  }

  // --- receiving ---------------------------------------------------------------------

  private drop(reason: DropReason): DropReason {
    this.counters.dropped[reason]++;
    return reason;
  }

  /**
   * Takes one message from a link. Untrusted: anything malformed is dropped and
   * counted, never thrown ([POSE6]); returns why it was dropped, if it was.
   */
  receive(bytes: Uint8Array, link: PoseLink): DropReason | undefined {
    if (this.destroyed) return undefined;
    const status = readHeader(bytes, this.header);
    if (status !== 'ok') return this.drop(status);
    const sender = this.header.sender;
    if (sender === this.selfId) return undefined;
    // A link speaks for exactly one peer; a message claiming another sender is dropped ([POSE14]).
    if (sender !== link.peerId) return this.drop('spoofed');
    const peer = this.peers.get(sender);
    if (!peer || peer.links.get(link.kind) !== link) return this.drop('spoofed');
    const now = this.clock.now();
    this.counters.messagesIn++;
    this.counters.bytesIn += bytes.length;
    peer.lastHeard = now;
    switch (this.header.kind) {
      case KIND_BATCH:
        return this.receiveBatch(peer, bytes, now, link.kind);
      case KIND_HELLO: {
        const result = readHello(bytes);
        if (result.status !== 'ok') return this.drop(result.status);
        const { name, color, linkToken, replyWanted } = result.hello;
        peer.stats.onOther(now, bytes.length);
        const changed = name !== peer.name || color !== peer.color;
        peer.name = name;
        peer.color = color;
        peer.linkToken = linkToken;
        if (replyWanted) this.sendHello(peer, link, false, now);
        if (changed) this.peersChanged();
        return undefined;
      }
      case KIND_PING: {
        const { ping, pong } = this;
        const status = readPing(bytes, ping);
        if (status !== 'ok') return this.drop(status);
        peer.stats.onOther(now, bytes.length);
        pong.sender = this.selfId;
        pong.t0 = ping.t0;
        pong.t1 = toTicks(now);
        pong.t2 = toTicks(this.clock.now());
        this.sendOn(peer, link, viewOf(this.control, writePong(this.control, pong)), now);
        return undefined;
      }
      case KIND_PONG: {
        const pong = this.pong;
        const status = readPong(bytes, pong);
        if (status !== 'ok') return this.drop(status);
        peer.stats.onOther(now, bytes.length);
        peer.clock.add(pong.t0, pong.t1, pong.t2, toTicks(now));
        // A silent link answers again (TRN8): poses go back to it at once, with full state.
        // When the PING went out (our clock) tells whether the peer was alive after a link went unanswered.
        const sentAt = now - tickDiff(toTicks(now), pong.t0) / TIME_TICKS_PER_MS;
        if (peer.health.pong(link.kind, now, sentAt) && peer.chooseLink(now)) {
          this.counters.recoveries++;
          if (peer.current) peer.dest.needsKeyframe = true;
          this.peersChanged();
        }
        return undefined;
      }
      case KIND_BYE: {
        const status = readBye(bytes, this.bye);
        if (status !== 'ok') return this.drop(status);
        this.counters.byesIn++;
        this.markLeft(peer);
        return undefined;
      }
    }
  }

  private receiveBatch(peer: RemotePeer, bytes: Uint8Array, now: number, kind: TransportKind): DropReason | undefined {
    const batch = this.batch;
    const status = readPoseBatch(bytes, batch);
    if (status !== 'ok') return this.drop(status);
    if (!peer.stats.seq.accept(batch.seq)) return this.drop('duplicate');
    if (peer.firstBatchAt[kind] === undefined) {
      peer.firstBatchAt[kind] = now;
      if (!this.firstBatchKinds.has(kind)) {
        this.firstBatchKinds.add(kind);
        this.options.onFirstBatch?.(kind);
      }
    }
    const sendTime = peer.unwrap.unwrap(batch.timeTicks);
    peer.playout.onArrival(sendTime, now);
    const latency = peer.clock.hasEstimate ? peer.clock.latencyMs(batch.timeTicks, toTicks(now)) : Number.NaN;
    peer.stats.onBatch(now, bytes.length, latency);
    if (this.latencyLog && this.latencyLog.length < 100_000 && Number.isFinite(latency)) this.latencyLog.push(latency);
    const changes = peer.changes;
    this.counters.dropped.limit += peer.applyBatch(batch, sendTime, now);
    if (peer.changes !== changes) this.remoteChanges++;
    return undefined;
  }

  // --- sampling -----------------------------------------------------------------------

  /** Writes a remote avatar part's pose at this frame's render time into the targets. */
  sampleAvatarPart(peerId: PeerId, part: PartCode, position: Vec3Like, rotation: QuatLike): SampleState {
    const peer = this.peers.get(peerId);
    if (!peer || peer.left || part === PART_OBJECT) return 'empty';
    const track = peer.parts[part];
    if (!track?.hasPosition || this.frameNow - peer.lastHeard > PEER_SILENT_MS) return 'empty';
    return track.sample(peer.playout.renderTime(this.frameNow), position, rotation);
  }

  /**
   * Writes the pose of an object some remote peer streams (issue 7: someone
   * else holds it). 'empty' when nobody streams it: use the room document's pose.
   */
  sampleObject(objectId: ObjectId, position: Vec3Like, rotation: QuatLike): SampleState {
    const id = objectEntityId(objectId);
    let best: RemotePeer | undefined;
    let bestHeard = Number.NEGATIVE_INFINITY;
    for (const peer of this.peerArray) {
      const track = peer.left ? undefined : peer.objects.get(id);
      if (track && track.count > 0 && track.lastHeard > bestHeard) {
        best = peer;
        bestHeard = track.lastHeard;
      }
    }
    if (!best || this.frameNow - best.lastHeard > PEER_SILENT_MS) return 'empty';
    return (best.objects.get(id) as NonNullable<ReturnType<typeof best.objects.get>>).sample(
      best.playout.renderTime(this.frameNow),
      position,
      rotation,
    );
  }

  /** The peer currently streaming an object, if any. */
  objectStreamer(objectId: ObjectId): PeerId | undefined {
    const id = objectEntityId(objectId);
    for (const peer of this.peerArray) {
      const track = peer.left ? undefined : peer.objects.get(id);
      if (track && track.count > 0 && this.frameNow - peer.lastHeard <= PEER_SILENT_MS) return peer.id;
    }
    return undefined;
  }

  // --- stats and lifecycle -------------------------------------------------------------

  private peersChanged(): void {
    this.peerArray = [...this.peers.values()];
    const visible = this.peerArray.filter((peer) => !peer.left);
    this.peerList.set(
      visible.map((peer) => ({
        id: peer.id,
        name: peer.name,
        color: peer.color,
        transport: peer.current?.kind ?? 'none',
      })),
    );
  }

  /**
   * Visits every present peer whose clock is estimated (POSE9): its id and its clock minus
   * ours in ms. Allocates nothing; the room clock asks every frame (CLOCK1).
   */
  forEachClockOffset(visit: (peerId: PeerId, offsetMs: number) => void): void {
    for (let i = 0; i < this.peerArray.length; i++) {
      const peer = this.peerArray[i] as RemotePeer;
      if (!peer.left && peer.clock.hasEstimate) visit(peer.id, peer.clock.offsetMs);
    }
  }

  /** A summary per remote peer (allocates; for the HUD and tests, not per frame). */
  stats(): PeerStats[] {
    const now = this.clock.now();
    return this.peerArray.map((peer) => {
      peer.stats.refresh(now);
      return {
        id: peer.id,
        name: peer.name,
        color: peer.color,
        transport: peer.current?.kind ?? 'none',
        links: [...peer.links.keys()],
        rateHz: peer.stats.rateHz,
        latencyP50Ms: peer.stats.latencyQuantile(0.5),
        latencyP95Ms: peer.stats.latencyQuantile(0.95),
        jitterMs: peer.playout.jitterMs,
        lossPercent: peer.stats.lossRatio * 100,
        bytesInPerSecond: peer.stats.bytesInPerSecond,
        bytesOutPerSecond: peer.stats.bytesOutPerSecond,
        playoutDelayMs: peer.playout.delayMs,
        clockOffsetMs: peer.clock.offsetMs,
        rttMs: peer.clock.rttMs,
      };
    });
  }

  /**
   * Says BYE over every link to every peer (on page hide), so peers drop the
   * avatar at once ([POSE15]). Every link, not only the one poses use: a page
   * being torn down aborts its WebRTC connections, which can discard a message
   * still queued there, while a WebSocket (the relay) delivers what was sent
   * before it closes. Nothing can be sent by a page that crashed: presence
   * (POSE19) and the timeout (POSE13) end such a peer.
   */
  sayGoodbye(): void {
    const bye = this.bye;
    bye.sender = this.selfId;
    const length = writeBye(this.control, bye);
    const now = this.clock.now();
    for (const peer of this.peerArray)
      for (const link of peer.links.values()) this.sendOn(peer, link, viewOf(this.control, length), now);
    for (const transport of this.transports) transport.flush?.();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.sayGoodbye();
    this.destroyed = true;
    for (const transport of this.transports) transport.destroy();
    this.transports.length = 0;
    this.peers.clear();
    this.peerArray = [];
    this.peerList.set([]);
  }
}
