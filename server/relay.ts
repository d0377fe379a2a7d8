/**
 * WebSocket relay at `/relay?room=R&peer=P`: forwards binary pose messages
 * between peers of one room when WebRTC cannot reach them (docs/transports.md).
 * It reads only its own frames (app/pose/wire/relay-frames.ts), never the
 * pose payload, and stamps the sender id itself.
 *
 * Rules (ids cited by server/relay.test.ts):
 *   RELAY1 the upgrade needs a valid `room` and a `peer` id (u32 > 0); else HTTP 400.
 *   RELAY2 a frame larger than maxFrameBytes closes the socket with 1009.
 *   RELAY3 a text frame closes with 1003.
 *   RELAY4 a malformed envelope (unknown type, bad target count, no payload) closes with 1008.
 *   RELAY5 frames beyond the rate limit are dropped and counted (poses are perishable; the
 *          next tick supersedes them); more than maxDropsPerWindow in a window closes with 1008.
 *   RELAY6 frames go only to peers of the sender's room; the sender id is stamped by the server.
 *   RELAY7 a receiver whose send buffer exceeds maxBufferedBytes misses frames (counted).
 *   RELAY8 beyond maxSockets, or maxPeersPerRoom in a room, upgrades get HTTP 503.
 *   RELAY9 a peer id is bound to the socket holding it (SEC14): on join the server
 *          sends SESSION with a random secret; a second socket with the same id
 *          replaces the first (closed 4001) only if it presents that secret
 *          (`&secret=`), else its upgrade gets HTTP 409 while the first lives.
 *   RELAY10 a socket that misses a heartbeat pong is terminated.
 *   RELAY11 on join a peer gets PEERS (who is there); others get JOINED, and LEFT when it goes.
 *   RELAY12 the upgrade's `v` names the client's relay protocol version (absent: 1); one the
 *          server does not speak gets HTTP 400.
 *   RELAY15 frames forwarded to one receiver while the server handles one batch of readable
 *          sockets leave in one write: the receiver's socket is corked at its first frame and
 *          uncorked once that batch is done (setImmediate), not one write per frame.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { PeerId } from '../app/core/ids.ts';
import {
  parseRelayPeerId,
  parseRelaySecret,
  parseRelayVersion,
  RELAY_ROOM_PATTERN,
  RELAY_SECRET_BYTES,
  readClientFrame,
  writeFrom,
  writeJoined,
  writeLeft,
  writePeers,
  writeSession,
} from '../app/pose/wire/relay-frames.ts';
import { sessionFromId, sessionId } from '../app/sync/roles/session-key.ts';
import { directUpgradeContext, refuseUpgrade, type UpgradeContext } from './admission.ts';
import type { Logger } from './log.ts';
import { CLOSE_REMOVED, OwnerDecisions, REMOVED_REASON } from './owner-decisions.ts';
import { TokenBucket } from './rate-limit.ts';
import { closeSocket, onMessageGuarded, sweepHeartbeats, watchSocket } from './socket-watch.ts';

export interface RelayLimits {
  maxFrameBytes: number;
  /** Sustained frames per second per socket: a 60 Hz tick plus pings and hellos, with headroom. */
  framesPerSecond: number;
  frameBurst: number;
  /** Dropped (over-rate) frames per 10 s that close the socket. */
  maxDropsPerWindow: number;
  maxBufferedBytes: number;
  maxPeersPerRoom: number;
  maxSockets: number;
  heartbeatMs: number;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  maxFrameBytes: 2048,
  framesPerSecond: 150,
  frameBurst: 300,
  maxDropsPerWindow: 3000,
  maxBufferedBytes: 256 * 1024,
  maxPeersPerRoom: 64,
  maxSockets: 5_000,
  heartbeatMs: 15_000,
};

const DROP_WINDOW_MS = 10_000;

export const RELAY_CLOSE = {
  goingAway: 1001,
  unsupportedData: 1003,
  policyViolation: 1008,
  messageTooBig: 1009,
  replaced: 4001,
} as const;

/** What a cluster-wide claim of a peer id decided (server/cluster/relay-bus.ts). */
export type RelayClaim =
  | {
      ok: true;
      /** Peers of the room on other instances, for PEERS. */
      remotePeers: PeerId[];
      /** The id was held by a socket on another instance, which is told to let go (4001). */
      replacedRemote: boolean;
    }
  | { ok: false; status: '409 Conflict' | '503 Service Unavailable'; why: string };

/**
 * How the relay reaches other instances (server/cluster/relay-bus.ts): RELAY8
 * and RELAY9 are decided cluster-wide before an upgrade is accepted, and
 * frames for peers elsewhere are handed over after local delivery.
 */
export interface RelayBridge {
  claim(room: string, id: PeerId, presented: Uint8Array | undefined, secret: Buffer): Promise<RelayClaim>;
  /** A local peer joined (`replaced`: it took its id over from an older socket). */
  joined(room: string, id: PeerId, secret: Buffer, replaced: boolean): void;
  left(room: string, id: PeerId, secret: Buffer, announce: boolean): void;
  /** True when `id` is a peer of `room` on another instance. */
  hasRemote(room: string, id: PeerId): boolean;
  remoteCount(room: string): number;
  /** A FROM frame (`writeFrom`) for the room's peers elsewhere (`targets` undefined: all of them). */
  forward(room: string, frame: Uint8Array, targets: readonly PeerId[] | undefined): void;
}

interface RelayPeer {
  socket: WebSocket;
  /** The upgraded TCP socket under `socket`, corked while frames for it collect (RELAY15). */
  stream: Duplex;
  corked: boolean;
  address: string;
  room: string;
  id: PeerId;
  /** RELAY9: what a later socket must present to take this id over. */
  secret: Buffer;
  bucket: TokenBucket;
  alive: boolean;
  drops: number;
  dropWindowStart: number;
  /** MOD5: the session the socket's URL names (`&session=`), as claimed. */
  session: string | undefined;
}

export interface RelayCounters {
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  droppedRate: number;
  droppedSlowReceiver: number;
  droppedUnknownTarget: number;
}

export class RelayServer {
  private readonly wss: WebSocketServer;
  private readonly rooms = new Map<string, Map<PeerId, RelayPeer>>();
  private readonly peers = new Set<RelayPeer>();
  private readonly heartbeat: NodeJS.Timeout;
  private bridge: RelayBridge | undefined;
  /** RELAY15: receivers corked in this turn of the event loop, uncorked together after it. */
  private readonly corked: RelayPeer[] = [];
  private readonly uncorkAll = () => {
    for (const peer of this.corked) {
      peer.corked = false;
      peer.stream.uncork();
    }
    this.corked.length = 0;
  };
  readonly counters: RelayCounters = {
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    droppedRate: 0,
    droppedSlowReceiver: 0,
    droppedUnknownTarget: 0,
  };

  constructor(
    private readonly logger: Logger,
    private readonly limits: RelayLimits = DEFAULT_RELAY_LIMITS,
    private readonly decisions: OwnerDecisions = new OwnerDecisions(),
  ) {
    decisions.onKick((room, session) => this.closeSession(room, session));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
    this.heartbeat = setInterval(() => this.checkHeartbeats(), limits.heartbeatMs);
    this.heartbeat.unref();
  }

  get socketCount(): number {
    return this.peers.size;
  }

  roomSize(room: string): number {
    return this.rooms.get(room)?.size ?? 0;
  }

  /** Cluster mode: ids are claimed cluster-wide and frames cross instances. */
  attach(bridge: RelayBridge): void {
    this.bridge = bridge;
  }

  /** A FROM frame from a peer on another instance, for this instance's peers of `room` (all, or `targets`). */
  deliverRemote(room: string, frame: Uint8Array, targets: readonly PeerId[]): void {
    const members = this.rooms.get(room);
    if (!members) return;
    if (targets.length === 0) {
      for (const receiver of members.values()) this.forward(receiver, frame);
      return;
    }
    for (const target of targets) {
      const receiver = members.get(target);
      if (receiver) this.forward(receiver, frame);
    }
  }

  /** JOINED or LEFT of a peer on another instance, for this instance's peers of `room`. */
  notifyRemote(room: string, event: 'joined' | 'left', id: PeerId): void {
    const members = this.rooms.get(room);
    if (!members || members.has(id)) return;
    const frame = event === 'joined' ? writeJoined(id) : writeLeft(id);
    for (const receiver of members.values()) this.forward(receiver, frame);
  }

  /** RELAY9 across instances: a socket elsewhere took `id` over with this one's secret. */
  replacedRemotely(room: string, id: PeerId): void {
    const previous = this.rooms.get(room)?.get(id);
    if (!previous) return;
    this.remove(previous, false);
    closeSocket(previous.socket, RELAY_CLOSE.replaced, 'replaced by a newer connection');
  }

  /** `context` comes from `startServer` (SEC18/SEC19 passed); without it the request is read directly. */
  handleUpgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    context: UpgradeContext | undefined = directUpgradeContext(req),
  ): void {
    if (!context) {
      refuseUpgrade(socket, '400 Bad Request');
      return;
    }
    const { address, query } = context;
    const room = query.get('room');
    const id = parseRelayPeerId(query.get('peer'));
    const secret = parseRelaySecret(query.get('secret'));
    const version = parseRelayVersion(query.get('v'));
    if (
      room === null ||
      !RELAY_ROOM_PATTERN.test(room) ||
      id === undefined ||
      secret === null ||
      version === undefined
    ) {
      this.logger.warn('relay', 'refusing socket: bad room, peer, secret or version', { address });
      refuseUpgrade(socket, '400 Bad Request');
      return;
    }
    const claimed = sessionFromId(query.get('session'));
    const session = claimed ? sessionId(claimed) : undefined;
    if (this.decisions.isKicked(room, session)) {
      this.logger.warn('relay', 'refusing socket: session removed by the room owner', { address, room });
      refuseUpgrade(socket, '403 Forbidden');
      return;
    }
    const members = this.rooms.get(room);
    const holder = members?.get(id);
    if (holder && !(secret && timingSafeEqual(secret, holder.secret))) {
      this.logger.warn('relay', 'refusing socket: peer id held by another connection', { address, room });
      refuseUpgrade(socket, '409 Conflict');
      return;
    }
    if (this.peers.size >= this.limits.maxSockets || (!holder && (members?.size ?? 0) >= this.limits.maxPeersPerRoom)) {
      this.logger.warn('relay', 'refusing socket: full', { address, room });
      refuseUpgrade(socket, '503 Service Unavailable');
      return;
    }
    const newSecret = randomBytes(RELAY_SECRET_BYTES);
    const bridge = this.bridge;
    if (!bridge) {
      this.wss.handleUpgrade(req, socket, head, (ws) =>
        this.accept(ws, socket, address, room, id, newSecret, [], false, session),
      );
      return;
    }
    // RELAY8 and RELAY9 hold cluster-wide: the id and the room's seats are claimed in Redis first.
    bridge.claim(room, id, secret, newSecret).then(
      (claim) => {
        if (socket.destroyed) {
          if (claim.ok) bridge.left(room, id, newSecret, false);
          return;
        }
        if (!claim.ok) {
          this.logger.warn('relay', `refusing socket: ${claim.why}`, { address, room });
          refuseUpgrade(socket, claim.status);
          return;
        }
        this.wss.handleUpgrade(req, socket, head, (ws) =>
          this.accept(ws, socket, address, room, id, newSecret, claim.remotePeers, claim.replacedRemote, session),
        );
      },
      (error: unknown) => {
        this.logger.warn('relay', 'refusing socket: cluster unavailable', { address, error: String(error) });
        refuseUpgrade(socket, '503 Service Unavailable');
      },
    );
  }

  private accept(
    socket: WebSocket,
    stream: Duplex,
    address: string,
    room: string,
    id: PeerId,
    secret: Buffer,
    remotePeers: readonly PeerId[],
    replacedRemote: boolean,
    session: string | undefined,
  ): void {
    const peer: RelayPeer = {
      session,
      socket,
      stream,
      corked: false,
      address,
      room,
      id,
      secret,
      bucket: new TokenBucket(this.limits.framesPerSecond, this.limits.frameBurst),
      alive: true,
      drops: 0,
      dropWindowStart: Date.now(),
    };
    let members = this.rooms.get(room);
    if (!members) {
      members = new Map();
      this.rooms.set(room, members);
    }
    const previous = members.get(id);
    if (previous) {
      this.remove(previous, false);
      closeSocket(previous.socket, RELAY_CLOSE.replaced, 'replaced by a newer connection');
    }
    const others = [...members.keys(), ...remotePeers.filter((other) => other !== id && !members.has(other))];
    members.set(id, peer);
    this.peers.add(peer);

    socket.send(writeSession(peer.secret));
    socket.send(writePeers(others));
    if (!previous && !replacedRemote) this.notify(peer, writeJoined(peer.id));
    this.bridge?.joined(room, id, secret, previous !== undefined || replacedRemote);

    watchSocket(peer, this.logger, 'relay', RELAY_CLOSE.messageTooBig);
    onMessageGuarded(
      peer,
      this.logger,
      'relay',
      (data, isBinary) => this.onMessage(peer, data, isBinary),
      () => this.remove(peer, true),
    );
    socket.on('close', () => this.remove(peer, true));
  }

  private onMessage(peer: RelayPeer, data: RawData, isBinary: boolean): void {
    if (!isBinary) {
      this.violation(peer, RELAY_CLOSE.unsupportedData, 'text frames are not accepted');
      return;
    }
    const frame = toBuffer(data);
    this.counters.framesIn++;
    this.counters.bytesIn += frame.length;
    const read = readClientFrame(frame);
    if (!read.ok) {
      this.violation(peer, RELAY_CLOSE.policyViolation, read.reason);
      return;
    }
    if (!peer.bucket.take()) {
      this.counters.droppedRate++;
      const now = Date.now();
      if (now - peer.dropWindowStart > DROP_WINDOW_MS) {
        peer.dropWindowStart = now;
        peer.drops = 0;
      }
      if (peer.drops === 0) this.logger.info('relay', 'dropping frames over the rate limit', { address: peer.address });
      if (++peer.drops > this.limits.maxDropsPerWindow) {
        this.violation(peer, RELAY_CLOSE.policyViolation, 'frame rate exceeded');
      }
      return;
    }
    const members = this.rooms.get(peer.room);
    if (!members) return;
    // One outgoing frame, shared by every receiver: FROM, stamped sender, payload.
    const out = writeFrom(peer.id, read.frame.payload);
    const bridge = this.bridge;
    if (read.frame.type === 'to-room') {
      for (const receiver of members.values()) if (receiver !== peer) this.forward(receiver, out);
      if (bridge && bridge.remoteCount(peer.room) > 0) bridge.forward(peer.room, out, undefined);
    } else {
      const remote: PeerId[] = [];
      for (const target of read.frame.targets) {
        const receiver = members.get(target);
        if (receiver && receiver !== peer) this.forward(receiver, out);
        else if (bridge?.hasRemote(peer.room, target)) remote.push(target);
        else this.counters.droppedUnknownTarget++;
      }
      if (remote.length > 0) bridge?.forward(peer.room, out, remote);
    }
  }

  private forward(receiver: RelayPeer, frame: Uint8Array): void {
    const socket = receiver.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.counters.droppedSlowReceiver++;
      return;
    }
    this.counters.framesOut++;
    if (!receiver.corked) {
      // RELAY15: ws writes each frame at once (one syscall each, which on loopback also runs the
      // receiving end's TCP work); frames from the other senders read in this turn join it.
      receiver.corked = true;
      receiver.stream.cork();
      if (this.corked.push(receiver) === 1) setImmediate(this.uncorkAll);
    }
    socket.send(frame);
  }

  /** Sends JOINED or LEFT about `peer` to the others of its room. */
  private notify(peer: RelayPeer, frame: Uint8Array): void {
    const members = this.rooms.get(peer.room);
    if (!members) return;
    for (const other of members.values()) if (other !== peer) this.forward(other, frame);
  }

  /** `reason` is a fixed string of this file or of the envelope reader, never input (SEC3). */
  private violation(peer: RelayPeer, code: number, reason: string): void {
    this.logger.warn('relay', `closing socket: ${reason}`, { address: peer.address, code });
    closeSocket(peer.socket, code, reason);
    this.remove(peer, true);
  }

  /** MOD5: closes the sockets of `session` in `room` (4410). */
  private closeSession(room: string, session: string): void {
    for (const peer of [...(this.rooms.get(room)?.values() ?? [])]) {
      if (peer.session !== session) continue;
      this.remove(peer, true);
      closeSocket(peer.socket, CLOSE_REMOVED, REMOVED_REASON);
    }
  }

  private remove(peer: RelayPeer, announce: boolean): void {
    if (!this.peers.delete(peer)) return;
    const members = this.rooms.get(peer.room);
    if (members?.get(peer.id) === peer) {
      members.delete(peer.id);
      if (announce) this.notify(peer, writeLeft(peer.id));
      if (members.size === 0) this.rooms.delete(peer.room);
      this.bridge?.left(peer.room, peer.id, peer.secret, announce);
    }
  }

  private checkHeartbeats(): void {
    sweepHeartbeats(this.peers, this.logger, 'relay', (peer) => this.remove(peer, true));
  }

  /** Closes every socket with 1001 and stops the heartbeat. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const peer of [...this.peers]) {
      closeSocket(peer.socket, RELAY_CLOSE.goingAway, 'server shutting down');
      this.remove(peer, false);
    }
    this.wss.close();
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
