/**
 * Signaling across instances (docs/scaling.md): each instance subscribes to a
 * topic's channel while it has a subscriber of that topic, and publishes every
 * local publish there; publishes from other instances go to the local
 * subscribers as they are (they were checked by SIG1-SIG9 where they came in).
 *
 *   CL4 A publish on one instance reaches the topic's subscribers on every instance, once.
 *   CL5 What one topic sends to Redis from one instance is bounded (messagesPerSecond,
 *       bytesPerSecond); beyond it publishes stay local and are counted. What an instance
 *       takes from Redis for one topic is bounded the same way (times the instances it may
 *       hear from), so no instance's clients can flood another instance's.
 */
import { parseJsonLimited } from '../../app/core/safe-json.ts';
import type { Logger } from '../log.ts';
import { TokenBucket } from '../rate-limit.ts';
import type { SignalingBridge, SignalingServer } from '../signaling.ts';
import { BUS, busBodyLength, readBusHeader, readSignalText, writeBusMessage } from './bus-codec.ts';
import type { Cluster } from './cluster.ts';
import { CHANNELS } from './keys.ts';

export interface SignalBusLimits {
  /** CL5: publishes per second one topic may send to Redis from one instance (bursts of 4x). */
  messagesPerSecond: number;
  /** CL5: bytes per second of the same (bursts of 4x). */
  bytesPerSecond: number;
  /** CL5: how many instances' worth of traffic one topic may bring in. */
  inboundFactor: number;
  /** Largest message taken from Redis (a signaling frame plus the `clients` field). */
  maxMessageBytes: number;
}

const DEFAULT_SIGNAL_BUS_LIMITS: SignalBusLimits = {
  // A room of 64 peers joining at once sends a few hundred offers and candidates.
  messagesPerSecond: 400,
  bytesPerSecond: 2 * 1024 * 1024,
  inboundFactor: 4,
  maxMessageBytes: 64 * 1024 + 64,
};

interface TopicState {
  handler: (message: Buffer) => void;
  outMessages: TokenBucket;
  outBytes: TokenBucket;
  inMessages: TokenBucket;
  inBytes: TokenBucket;
}

export interface SignalBusCounters {
  sent: number;
  received: number;
  droppedOutbound: number;
  droppedInbound: number;
  malformed: number;
}

export class SignalBus implements SignalingBridge {
  private readonly topics = new Map<string, TopicState>();
  readonly counters: SignalBusCounters = { sent: 0, received: 0, droppedOutbound: 0, droppedInbound: 0, malformed: 0 };

  constructor(
    private readonly cluster: Cluster,
    private readonly signaling: SignalingServer,
    private readonly logger: Logger,
    private readonly limits: SignalBusLimits = DEFAULT_SIGNAL_BUS_LIMITS,
  ) {
    signaling.attach(this);
  }

  topicOpened(topic: string): void {
    if (this.topics.has(topic)) return;
    const { messagesPerSecond: m, bytesPerSecond: b, inboundFactor: f } = this.limits;
    const state: TopicState = {
      handler: (message) => this.receive(topic, state, message),
      outMessages: new TokenBucket(m, 4 * m),
      outBytes: new TokenBucket(b, 4 * b),
      inMessages: new TokenBucket(f * m, 4 * f * m),
      inBytes: new TokenBucket(f * b, 4 * f * b),
    };
    this.topics.set(topic, state);
    this.cluster
      .subscribe(CHANNELS.signal(topic), state.handler)
      .catch((error: unknown) => this.cluster.reportError('pubsub', error));
  }

  topicClosed(topic: string): void {
    const state = this.topics.get(topic);
    if (!state) return;
    this.topics.delete(topic);
    this.cluster.unsubscribe(CHANNELS.signal(topic), state.handler);
  }

  published(topic: string, frame: string): void {
    const state = this.topics.get(topic);
    if (!state) return;
    const message = writeBusMessage(BUS.signal, this.cluster.instance, frame);
    if (!state.outMessages.take() || !state.outBytes.take(message.length)) {
      if (this.counters.droppedOutbound++ % 1000 === 0) {
        this.logger.warn('signal', 'a topic sends more than the cluster carries; keeping the rest local');
      }
      return;
    }
    if (this.cluster.publish(CHANNELS.signal(topic), message)) this.counters.sent++;
  }

  private receive(topic: string, state: TopicState, message: Buffer): void {
    const header = readBusHeader(message);
    if (!header || header.kind !== BUS.signal || busBodyLength(message) > this.limits.maxMessageBytes) {
      this.counters.malformed++;
      return;
    }
    if (header.instance === this.cluster.instance) return;
    if (!state.inMessages.take() || !state.inBytes.take(message.length)) {
      this.counters.droppedInbound++;
      return;
    }
    const frame = readSignalText(message);
    // Checked where it came in, and again here (cheap at signaling's rates): only JSON objects reach clients.
    const parsed = parseJsonLimited(frame, { maxDepth: 33, maxLength: this.limits.maxMessageBytes });
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
      this.counters.malformed++;
      return;
    }
    this.counters.received++;
    this.signaling.deliverRemote(topic, frame);
  }
}
