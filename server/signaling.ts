/**
 * WebSocket signaling at `/signal`, speaking the y-webrtc signaling protocol
 * (docs/signaling-protocol.md) so the stock y-webrtc client works against it.
 *
 *   client -> server  {"type":"subscribe","topics":["room"]}
 *   client -> server  {"type":"unsubscribe","topics":["room"]}
 *   client -> server  {"type":"publish","topic":"room", ...payload}
 *   server -> clients {"type":"publish","topic":"room", ...payload, "clients": N}
 *   client -> server  {"type":"ping"}   server -> client {"type":"pong"}
 *
 * Limits (rule ids cited by server/signaling.test.ts):
 *   SIG1 a frame larger than maxFrameBytes closes the socket with 1009.
 *   SIG2 subscribing to more than maxTopicsPerSocket topics closes with 1008.
 *   SIG3 a topic longer than maxTopicLength (or not a string) closes with 1008.
 *   SIG4 more messages than the rate allows closes with 1008.
 *   SIG5 a frame that is not a JSON object with a string `type` closes with 1008;
 *        a binary frame closes with 1003. Unknown types are ignored.
 *   SIG6 publishing to a topic the socket is not subscribed to is ignored.
 *   SIG7 a socket that misses a heartbeat pong is terminated.
 *   SIG8 beyond maxSockets, new upgrades are refused with HTTP 503.
 *   SIG9 a frame nested deeper than maxJsonDepth closes with 1008 before it is
 *        parsed or re-encoded (SEC4).
 *   SIG10 a subscriber that has more than maxBufferedBytes unread is dropped (SEC9).
 * Every closing violation is logged with the client address and the reason.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { parseJsonLimited } from '../app/core/safe-json.ts';
import { sessionFromId, sessionId } from '../app/sync/roles/session-key.ts';
import { roomOfTopic, webrtcTopic } from '../app/sync/webrtc-topic.ts';
import { directUpgradeContext, refuseUpgrade, type UpgradeContext } from './admission.ts';
import type { Logger } from './log.ts';
import { CLOSE_REMOVED, OwnerDecisions, REMOVED_REASON } from './owner-decisions.ts';
import { TokenBucket } from './rate-limit.ts';
import { closeSocket, onMessageGuarded, sendBounded, sweepHeartbeats, watchSocket } from './socket-watch.ts';

export interface SignalingLimits {
  maxFrameBytes: number;
  maxTopicsPerSocket: number;
  maxTopicLength: number;
  messagesPerSecond: number;
  messageBurst: number;
  heartbeatMs: number;
  maxSockets: number;
  maxJsonDepth: number;
  maxBufferedBytes: number;
}

export const DEFAULT_SIGNALING_LIMITS: SignalingLimits = {
  maxFrameBytes: 64 * 1024,
  maxTopicsPerSocket: 32,
  maxTopicLength: 256,
  // y-webrtc sends a burst of offers, answers and ICE candidates per peer on join.
  messagesPerSecond: 60,
  messageBurst: 240,
  heartbeatMs: 30_000,
  maxSockets: 5_000,
  // y-webrtc's deepest frame (a publish of an encrypted signal) is 4 levels.
  maxJsonDepth: 32,
  maxBufferedBytes: 1024 * 1024,
};

/** WebSocket close codes used here (RFC 6455 section 7.4.1). */
const CLOSE = {
  goingAway: 1001,
  unsupportedData: 1003,
  policyViolation: 1008,
  messageTooBig: 1009,
} as const;

interface Violation {
  code: number;
  reason: string;
}

/**
 * How signaling reaches other instances (server/cluster/signal-bus.ts): told
 * when this instance gains its first or loses its last subscriber of a topic,
 * and handed every publish after local delivery.
 */
export interface SignalingBridge {
  topicOpened(topic: string): void;
  topicClosed(topic: string): void;
  published(topic: string, frame: string): void;
}

interface Client {
  socket: WebSocket;
  address: string;
  topics: Set<string>;
  bucket: TokenBucket;
  alive: boolean;
  /** MOD5: the session the socket's URL names (`?session=`), as claimed. */
  session: string | undefined;
}

export class SignalingServer {
  private readonly wss: WebSocketServer;
  private readonly topics = new Map<string, Set<Client>>();
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private bridge: SignalingBridge | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly limits: SignalingLimits = DEFAULT_SIGNALING_LIMITS,
    private readonly decisions: OwnerDecisions = new OwnerDecisions(),
  ) {
    decisions.onKick((room, session) => this.closeSession(room, session));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
    this.heartbeat = setInterval(() => this.checkHeartbeats(), limits.heartbeatMs);
    this.heartbeat.unref();
  }

  get socketCount(): number {
    return this.clients.size;
  }

  get topicCount(): number {
    return this.topics.size;
  }

  /** Cluster mode: publishes also go to, and come from, other instances. */
  attach(bridge: SignalingBridge): void {
    this.bridge = bridge;
  }

  /** The topics with a subscriber on this instance. */
  localTopics(): string[] {
    return [...this.topics.keys()];
  }

  /**
   * A publish from another instance (already checked there): delivered to this
   * instance's subscribers of `topic` as it is.
   */
  deliverRemote(topic: string, frame: string): void {
    const subscribers = this.topics.get(topic);
    if (!subscribers) return;
    for (const receiver of [...subscribers]) this.send(receiver, frame);
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
    if (this.clients.size >= this.limits.maxSockets) {
      this.logger.warn('signal', 'refusing socket: server full', { address: context.address });
      refuseUpgrade(socket, '503 Service Unavailable');
      return;
    }
    const session = sessionFromId(context.query.get('session'));
    this.wss.handleUpgrade(req, socket, head, (ws) =>
      this.accept(ws, context.address, session ? sessionId(session) : undefined),
    );
  }

  private accept(socket: WebSocket, address: string, session: string | undefined): void {
    const client: Client = {
      socket,
      address,
      topics: new Set(),
      bucket: new TokenBucket(this.limits.messagesPerSecond, this.limits.messageBurst),
      alive: true,
      session,
    };
    this.clients.add(client);
    watchSocket(client, this.logger, 'signal', CLOSE.messageTooBig);
    onMessageGuarded(
      client,
      this.logger,
      'signal',
      (data, isBinary) => this.onMessage(client, data, isBinary),
      () => this.remove(client),
    );
    socket.on('close', () => this.remove(client));
  }

  private onMessage(client: Client, data: RawData, isBinary: boolean): void {
    const violation = this.handle(client, data, isBinary);
    if (violation) this.violation(client, violation.code, violation.reason);
  }

  /** Acts on one frame; returns the violation that closes the socket, if any. */
  private handle(client: Client, data: RawData, isBinary: boolean): Violation | undefined {
    if (!client.bucket.take()) return { code: CLOSE.policyViolation, reason: 'message rate exceeded' };
    if (isBinary) return { code: CLOSE.unsupportedData, reason: 'binary frames are not accepted' };
    const parsed = parseJsonLimited(data.toString(), {
      maxDepth: this.limits.maxJsonDepth,
      maxLength: this.limits.maxFrameBytes,
    });
    if (!parsed.ok) {
      return {
        code: CLOSE.policyViolation,
        reason: parsed.error === 'too deep' ? 'frame is nested too deeply' : 'frame is not JSON',
      };
    }
    const message = parsed.value;
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return { code: CLOSE.policyViolation, reason: 'frame is not a JSON object' };
    }
    const msg = message as Record<string, unknown>;
    switch (msg.type) {
      case 'subscribe':
        return this.subscribe(client, msg.topics);
      case 'unsubscribe':
        return this.unsubscribe(client, msg.topics);
      case 'publish':
        return this.publish(client, msg);
      case 'ping':
        this.send(client, '{"type":"pong"}');
        return undefined;
      default:
        // Unknown message types are ignored for forward compatibility.
        return typeof msg.type === 'string'
          ? undefined
          : { code: CLOSE.policyViolation, reason: 'frame has no string "type"' };
    }
  }

  private checkTopics(topics: unknown): Violation | undefined {
    if (!Array.isArray(topics)) return { code: CLOSE.policyViolation, reason: '"topics" must be an array' };
    for (const topic of topics) {
      if (typeof topic !== 'string' || topic.length === 0 || topic.length > this.limits.maxTopicLength) {
        return { code: CLOSE.policyViolation, reason: 'invalid topic' };
      }
    }
    return undefined;
  }

  private subscribe(client: Client, topics: unknown): Violation | undefined {
    const invalid = this.checkTopics(topics);
    if (invalid) return invalid;
    for (const topic of topics as string[]) {
      if (client.topics.has(topic)) continue;
      if (this.isRemoved(client, topic)) return { code: CLOSE_REMOVED, reason: REMOVED_REASON };
      if (client.topics.size >= this.limits.maxTopicsPerSocket) {
        return { code: CLOSE.policyViolation, reason: 'too many topics' };
      }
      client.topics.add(topic);
      let subscribers = this.topics.get(topic);
      if (!subscribers) {
        subscribers = new Set();
        this.topics.set(topic, subscribers);
        this.bridge?.topicOpened(topic);
      }
      subscribers.add(client);
    }
    return undefined;
  }

  private unsubscribe(client: Client, topics: unknown): Violation | undefined {
    const invalid = this.checkTopics(topics);
    if (invalid) return invalid;
    for (const topic of topics as string[]) this.leave(client, topic);
    return undefined;
  }

  private publish(client: Client, msg: Record<string, unknown>): Violation | undefined {
    const topic = msg.topic;
    if (typeof topic !== 'string' || topic.length > this.limits.maxTopicLength) {
      return { code: CLOSE.policyViolation, reason: 'invalid topic' };
    }
    const subscribers = this.topics.get(topic);
    if (!subscribers || !client.topics.has(topic)) return undefined;
    const frame = JSON.stringify({ ...msg, clients: subscribers.size });
    for (const receiver of [...subscribers]) this.send(receiver, frame);
    this.bridge?.published(topic, frame);
    return undefined;
  }

  private send(client: Client, frame: string): void {
    if (client.socket.readyState !== client.socket.OPEN) return;
    if (!sendBounded(client.socket, frame, this.limits.maxBufferedBytes)) {
      this.logger.warn('signal', 'dropping socket: not reading', { address: client.address });
      this.remove(client);
    }
  }

  /** `reason` is one of this file's fixed strings, never text from the frame (SEC3). */
  /** MOD5: whether the owner of `topic`'s room removed the session this socket named. */
  private isRemoved(client: Client, topic: string): boolean {
    const room = roomOfTopic(topic);
    return room !== undefined && this.decisions.isKicked(room, client.session);
  }

  /** MOD5: closes the sockets of `session` in `room` (4410). */
  private closeSession(room: string, session: string): void {
    for (const client of [...(this.topics.get(webrtcTopic(room)) ?? [])]) {
      if (client.session === session) this.violation(client, CLOSE_REMOVED, REMOVED_REASON);
    }
  }

  private violation(client: Client, code: number, reason: string): void {
    this.logger.warn('signal', `closing socket: ${reason}`, { address: client.address, code });
    closeSocket(client.socket, code, reason);
    // Stop routing to it at once rather than after the close handshake.
    this.remove(client);
  }

  private leave(client: Client, topic: string): void {
    client.topics.delete(topic);
    const subscribers = this.topics.get(topic);
    if (!subscribers) return;
    subscribers.delete(client);
    if (subscribers.size === 0) {
      this.topics.delete(topic);
      this.bridge?.topicClosed(topic);
    }
  }

  private remove(client: Client): void {
    if (!this.clients.delete(client)) return;
    for (const topic of [...client.topics]) this.leave(client, topic);
  }

  private checkHeartbeats(): void {
    sweepHeartbeats(this.clients, this.logger, 'signal', (client) => this.remove(client));
  }

  /** Closes every socket with 1001 and stops the heartbeat. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const client of [...this.clients]) {
      closeSocket(client.socket, CLOSE.goingAway, 'server shutting down');
      this.remove(client);
    }
    this.wss.close();
  }
}
