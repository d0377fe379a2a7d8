/**
 * When to give up a WebRTC connection attempt whose pose channel has not opened
 * (docs/transports.md TRN4, TRN11). Plain logic on a clock, so a test drives it
 * with made-up times; `WebrtcPoseTransport` asks it every WATCHDOG_MS.
 *
 * An attempt's age is counted in the page's own **awake time**: a check that
 * comes much later than asked means the page's main thread was busy (a long
 * software-GL frame, a starved tab), and everything the attempt needed
 * meanwhile (the offer to apply, the answer, ICE and the channel's open) is
 * still waiting in that thread's queue. Counting that time gave up attempts
 * that were about to succeed: seen in `npm run bench -- pose60`, where a
 * drawing receiver among nine busy pages stalled 20-57 s at a time, gave up
 * every attempt on its next check, and after 5 minutes had WebRTC to 5 of 8
 * senders.
 *
 * An attempt still in the middle of its offer/answer is not given up (y-webrtc
 * cannot take an answer for a connection it has forgotten), but only for
 * MAX_NEGOTIATION_MS of awake time: an offer that was never answered (the other
 * side gave up its end first) otherwise held the pair forever, because y-webrtc
 * ignores the other side's announce while it has a connection to it.
 *
 * @example
 *   const watch = new AttemptWatchdog();
 *   const attempt = watch.start(now, 10_000);
 *   // every WATCHDOG_MS:
 *   watch.tick(now);
 *   if (watch.verdict(attempt, state, now) === 'give-up') destroy();
 */

/** How often the transport checks its attempts. */
export const WATCHDOG_MS = 500;
/** A check this much later than asked counts the excess as a stall, not as the attempt's time. */
const STALL_SLACK_MS = WATCHDOG_MS;
/** An attempt may stay in its offer/answer this long (awake time) before it is given up anyway. */
export const MAX_NEGOTIATION_MS = 30_000;

/** One attempt, in awake time. */
export interface Attempt {
  startedAt: number;
  deadline: number;
}

/** What the transport sees of an attempt when it checks. */
export interface AttemptState {
  /** The pose channel is open: nothing to judge. */
  channelOpen: boolean;
  /** y-webrtc itself uses the connection (its own channel is up): never touched here. */
  inUse: boolean;
  /** The peer connection's signaling state, if it has one. */
  signalingState: RTCSignalingState | undefined;
}

export type AttemptVerdict = 'keep' | 'extend' | 'give-up';

export class AttemptWatchdog {
  private lastTick: number | undefined;
  private stalled = 0;

  /** Marks a check at `now` (the page's clock); a late one adds its lateness to the stalled time. */
  tick(now: number): void {
    if (this.lastTick !== undefined) {
      const late = now - this.lastTick - WATCHDOG_MS;
      if (late > STALL_SLACK_MS) this.stalled += late;
    }
    this.lastTick = now;
  }

  /** The page's awake time at `now`: its clock minus the stalls seen so far. */
  awake(now: number): number {
    return now - this.stalled;
  }

  /** Time the page's checks were late, in total (for reports). */
  get stalledMs(): number {
    return this.stalled;
  }

  /** A new attempt at `now` that may take `timeoutMs` of awake time. */
  start(now: number, timeoutMs: number): Attempt {
    const startedAt = this.awake(now);
    return { startedAt, deadline: startedAt + timeoutMs };
  }

  /**
   * Keep waiting, wait `extendMs` more (a connection y-webrtc uses, or one mid-negotiation),
   * or give up. Call `tick(now)` first in each check.
   */
  verdict(attempt: Attempt, state: AttemptState, now: number): AttemptVerdict {
    const awake = this.awake(now);
    if (state.channelOpen || awake < attempt.deadline) return 'keep';
    if (state.inUse) return 'extend';
    const signaling = state.signalingState;
    const negotiating = signaling !== undefined && signaling !== 'stable' && signaling !== 'closed';
    if (negotiating && awake - attempt.startedAt < MAX_NEGOTIATION_MS) return 'extend';
    return 'give-up';
  }
}
