/**
 * Pose links over WebRTC: one extra data channel on each of y-webrtc's peer
 * connections, pre-negotiated (same id on both sides, no extra signaling),
 * unordered and without retransmits, so a late pose is dropped rather than
 * blocking newer ones ([TRN2]).
 *
 * A connection whose pose channel has not opened within the timeout is given
 * up: y-webrtc then announces itself again, which is a fresh attempt. Timeouts
 * grow exponentially with jitter up to UPGRADE_RETRY_MAX_MS, so a pair that
 * fell back to the relay keeps trying to upgrade back to WebRTC ([TRN4]). They
 * count the page's awake time only, and an offer/answer that never ends is
 * given up too (`attempt-watchdog.ts`, TRN11).
 */
import type { WebrtcProvider } from 'y-webrtc';
import type { PeerId } from '../../core/ids.ts';
import { createStore, type Store } from '../../core/store.ts';
import {
  ignoreLateAnswers,
  listRtcPeers,
  onRtcPeersChanged,
  type RtcPeerHandle,
} from '../../sync/y-webrtc-internals.ts';
import { type MessageHeader, readHeader } from '../wire/header.ts';
import { type Attempt, AttemptWatchdog, WATCHDOG_MS } from './attempt-watchdog.ts';
import type { LinkSink, PoseLink, PoseTransport } from './link.ts';

/** The SCTP stream id of the pose channel; y-webrtc's own channel takes 0 or 1. */
export const POSE_DATA_CHANNEL_ID = 7;
const POSE_DATA_CHANNEL_LABEL = 'holoroom-pose';
/**
 * A connection without an open pose channel after this long is given up and
 * retried ([TRN4]). Poses do not wait for it: the relay carries them meanwhile.
 * Generous, because a slow machine can take seconds to connect and a retry
 * restarts the whole handshake.
 */
const WEBRTC_ATTEMPT_TIMEOUT_MS = 10_000;
const UPGRADE_RETRY_MAX_MS = 30_000;
/** More queued than this and a pose is dropped (the next tick replaces it). */
const MAX_BUFFERED_BYTES = 64 * 1024;
const INTRODUCTION_INTERVAL_MS = 200;
const INTRODUCTION_TRIES = 25;

interface Tracked {
  handle: RtcPeerHandle;
  attempt: Attempt;
  channel?: RTCDataChannel;
  link?: PoseLink;
  unsubscribe: (() => void)[];
}

export interface WebrtcTransportState {
  /** y-webrtc connections now. */
  connections: number;
  /** Pose channels open. */
  open: number;
  /** Attempts given up so far. */
  retries: number;
  /** Open connections given up because their pose channel went silent (TRN8). */
  restarts: number;
}

/** One connection attempt as the transport sees it (benchmarks and tests say what is missing with it). */
export interface WebrtcAttemptReport {
  /** y-webrtc's id of the remote peer. */
  remoteId: string;
  /** Awake time since the attempt started (TRN11). */
  ageMs: number;
  /** y-webrtc's own channel is up. */
  connected: boolean;
  signaling: string;
  ice: string;
  connection: string;
  /** The pose channel's ready state, or 'none'. */
  poseChannel: string;
}

export class WebrtcPoseTransport implements PoseTransport {
  readonly kind = 'webrtc' as const;
  readonly state: Store<WebrtcTransportState> = createStore({
    connections: 0,
    open: 0,
    retries: 0,
    restarts: 0,
  });
  private readonly tracked = new Map<object, Tracked>();
  /** Consecutive failed attempts per remote y-webrtc id: the backoff exponent. */
  private readonly failures = new Map<string, number>();
  private readonly unsubscribe: () => void;
  private readonly watchdog: ReturnType<typeof setInterval>;
  private readonly attempts = new AttemptWatchdog();
  private retries = 0;
  private restarts = 0;
  /** Answers that came after their attempt was given up (TRN11), dropped before y-webrtc saw them. */
  private lateAnswers = 0;
  /** A password room's signaling messages that did not decrypt under its key (TRN15), dropped likewise. */
  private undecryptableSignals = 0;
  private readonly stopLateAnswers: () => void;

  constructor(
    private readonly provider: WebrtcProvider,
    private readonly sink: LinkSink,
    private readonly now: () => number = () => performance.now(),
    private readonly random: () => number = Math.random,
  ) {
    this.unsubscribe = onRtcPeersChanged(provider, this.sweep);
    this.stopLateAnswers = ignoreLateAnswers(provider, (kind) => {
      if (kind === 'late-answer') this.lateAnswers++;
      else this.undecryptableSignals++;
    });
    this.watchdog = setInterval(this.checkDeadlines, WATCHDOG_MS);
    this.sweep();
  }

  /** Timeout for the next attempt to a remote: grows 2x per failure, ±25 % jitter. */
  private timeoutFor(remoteId: string): number {
    const failures = this.failures.get(remoteId) ?? 0;
    const base = Math.min(UPGRADE_RETRY_MAX_MS, WEBRTC_ATTEMPT_TIMEOUT_MS * 2 ** failures);
    return base * (0.75 + 0.5 * this.random());
  }

  private readonly sweep = () => {
    const seen = new Set<object>();
    for (const handle of listRtcPeers(this.provider)) {
      seen.add(handle.key);
      if (this.tracked.has(handle.key)) continue;
      const entry: Tracked = {
        handle,
        attempt: this.attempts.start(this.now(), this.timeoutFor(handle.remoteId)),
        unsubscribe: [],
      };
      this.tracked.set(handle.key, entry);
      // Create our end at once, before the connection is up: y-webrtc emits `peers` right after
      // creating the connection, so both ends exist before SCTP carries anything. A negotiated
      // channel created later can miss (or have reset) what the other end already sent.
      this.openChannel(entry);
      entry.unsubscribe.push(handle.onConnect(() => this.openChannel(entry)));
      entry.unsubscribe.push(handle.onClose(() => this.forget(entry)));
    }
    for (const entry of [...this.tracked.values()]) if (!seen.has(entry.handle.key)) this.forget(entry);
    this.publish();
  };

  private openChannel(entry: Tracked): void {
    const pc = entry.handle.pc;
    if (!pc || entry.channel || pc.connectionState === 'closed') return;
    let channel: RTCDataChannel;
    try {
      channel = pc.createDataChannel(POSE_DATA_CHANNEL_LABEL, {
        negotiated: true,
        id: POSE_DATA_CHANNEL_ID,
        ordered: false,
        maxRetransmits: 0,
      });
    } catch (error) {
      console.warn(`pose: cannot open a data channel: ${(error as Error).message}`);
      return;
    }
    channel.binaryType = 'arraybuffer';
    entry.channel = channel;
    channel.onopen = () => {
      this.failures.delete(entry.handle.remoteId);
      this.publish();
      // The remote's pose id comes with its first message, so introduce ourselves. Until the
      // other side has created its end of the negotiated channel our messages are lost: repeat.
      let tries = 0;
      const introduce = () => {
        if (entry.link || channel.readyState !== 'open' || tries++ >= INTRODUCTION_TRIES) return;
        channel.send(this.sink.introduction() as Uint8Array<ArrayBuffer>);
        setTimeout(introduce, INTRODUCTION_INTERVAL_MS);
      };
      introduce();
    };
    channel.onmessage = (event: MessageEvent) => {
      if (!(event.data instanceof ArrayBuffer)) return;
      const bytes = new Uint8Array(event.data);
      if (!entry.link) {
        const header: MessageHeader = { kind: 0, sender: 0 as PeerId };
        if (readHeader(bytes, header) !== 'ok') return;
        entry.link = {
          kind: 'webrtc',
          peerId: header.sender,
          send: (message) => {
            if (channel.readyState !== 'open' || channel.bufferedAmount > MAX_BUFFERED_BYTES) return false;
            channel.send(message as Uint8Array<ArrayBuffer>);
            return true;
          },
          // Silent (TRN8): y-webrtc forgets this connection, announces itself again and connects anew.
          restart: () => {
            this.restarts++;
            this.forget(entry);
            entry.handle.destroy();
          },
        };
        this.sink.linkUp(entry.link);
      }
      this.sink.receive(bytes, entry.link);
    };
    channel.onclose = () => this.forget(entry);
  }

  private forget(entry: Tracked): void {
    if (this.tracked.get(entry.handle.key) !== entry) return;
    this.tracked.delete(entry.handle.key);
    for (const stop of entry.unsubscribe) stop();
    if (entry.link) this.sink.linkDown(entry.link);
    if (entry.channel && entry.channel.readyState !== 'closed') entry.channel.close();
    this.publish();
  }

  private readonly checkDeadlines = () => {
    const now = this.now();
    this.attempts.tick(now);
    for (const entry of [...this.tracked.values()]) {
      const verdict = this.attempts.verdict(
        entry.attempt,
        {
          channelOpen: entry.channel?.readyState === 'open',
          inUse: entry.handle.connected,
          signalingState: entry.handle.pc?.signalingState,
        },
        now,
      );
      if (verdict === 'keep') continue;
      if (verdict === 'extend') {
        entry.attempt.deadline = this.attempts.awake(now) + this.timeoutFor(entry.handle.remoteId);
        continue;
      }
      this.failures.set(entry.handle.remoteId, (this.failures.get(entry.handle.remoteId) ?? 0) + 1);
      this.retries++;
      this.forget(entry);
      entry.handle.destroy();
    }
  };

  private publish(): void {
    let open = 0;
    for (const entry of this.tracked.values()) if (entry.channel?.readyState === 'open') open++;
    const current = this.state.get();
    const { retries, restarts } = this;
    if (
      current.connections !== this.tracked.size ||
      current.open !== open ||
      current.retries !== retries ||
      current.restarts !== restarts
    ) {
      this.state.set({ connections: this.tracked.size, open, retries, restarts });
    }
  }

  /** Every attempt now, and how long this page's checks were late in total (its stalls, TRN11). */
  report(): {
    stalledMs: number;
    lateAnswers: number;
    undecryptableSignals: number;
    attempts: WebrtcAttemptReport[];
  } {
    const awake = this.attempts.awake(this.now());
    const attempts = [...this.tracked.values()].map(({ handle, attempt, channel }) => ({
      remoteId: handle.remoteId,
      ageMs: Math.round(awake - attempt.startedAt),
      connected: handle.connected,
      signaling: handle.pc?.signalingState ?? 'none',
      ice: handle.pc?.iceConnectionState ?? 'none',
      connection: handle.pc?.connectionState ?? 'none',
      poseChannel: channel?.readyState ?? 'none',
    }));
    return {
      stalledMs: Math.round(this.attempts.stalledMs),
      lateAnswers: this.lateAnswers,
      undecryptableSignals: this.undecryptableSignals,
      attempts,
    };
  }

  destroy(): void {
    clearInterval(this.watchdog);
    this.unsubscribe();
    this.stopLateAnswers();
    for (const entry of [...this.tracked.values()]) this.forget(entry);
  }
}
