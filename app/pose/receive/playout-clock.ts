/**
 * Adaptive playout delay for one remote peer ([POSE10]-[POSE12]). Remote
 * samples are shown at `renderTime(now)` on the sender's timeline, a little
 * in the past, so there is usually a sample on each side to interpolate between.
 *
 * transit = arrival (our clock) - send time (their clock): it includes the
 * unknown clock offset, which cancels because only differences from `base`
 * (the lowest recent transit) are used. `base` is a windowed minimum, so it
 * follows clock drift in either direction. For interpolation at time r the
 * next sample must have arrived, so the delay has to cover the gap between
 * samples plus how late a sample comes compared to the fastest one:
 *   need = gap + (transit - base);   target = mean(need) + 3 * sd(need)
 * The delay starts at two ticks, rises quickly to the target and falls slowly.
 */
import { TICK_MS } from '../wire/time.ts';

export const INITIAL_PLAYOUT_DELAY_MS = 2 * TICK_MS;
const MIN_PLAYOUT_DELAY_MS = 0.5 * TICK_MS;
/** A remote sample is drawn at most this long after it arrived (the render time's lag, POSE10). */
export const MAX_PLAYOUT_DELAY_MS = 300;
/** Gaps longer than this are rests (nothing changed), not jitter. */
const MAX_JITTER_GAP_MS = 250;
/** Base transit is the minimum over the current and the previous window of this length. */
const BASE_WINDOW_MS = 2000;
const RISE = 0.25;
const FALL = 0.01;
const EWMA = 1 / 16;

export class PlayoutClock {
  delayMs = INITIAL_PLAYOUT_DELAY_MS;
  /** RFC 3550 style inter-arrival jitter, milliseconds. */
  jitterMs = 0;
  private base = Number.POSITIVE_INFINITY;
  private windowMin = Number.POSITIVE_INFINITY;
  private previousWindowMin = Number.POSITIVE_INFINITY;
  private windowStart = Number.NaN;
  private lastSendTime = Number.NaN;
  private lastTransit = Number.NaN;
  private needMean = Number.NaN;
  private needVar = 0;

  /** Records one message: `sendTime` on the sender's (unwrapped) timeline, `arrival` on ours. */
  onArrival(sendTime: number, arrival: number): void {
    const transit = arrival - sendTime;
    if (!Number.isFinite(transit)) return;
    if (Number.isNaN(this.windowStart) || arrival - this.windowStart >= BASE_WINDOW_MS) {
      this.previousWindowMin = this.windowMin;
      this.windowMin = Number.POSITIVE_INFINITY;
      this.windowStart = arrival;
    }
    this.windowMin = Math.min(this.windowMin, transit);
    this.base = Math.min(this.windowMin, this.previousWindowMin);

    if (!Number.isNaN(this.lastTransit)) {
      this.jitterMs += (Math.abs(transit - this.lastTransit) - this.jitterMs) * EWMA;
    }
    this.lastTransit = transit;

    let gap = TICK_MS;
    if (!Number.isNaN(this.lastSendTime) && sendTime > this.lastSendTime) {
      const g = sendTime - this.lastSendTime;
      if (g <= MAX_JITTER_GAP_MS) gap = g;
    }
    if (Number.isNaN(this.lastSendTime) || sendTime > this.lastSendTime) this.lastSendTime = sendTime;

    const need = gap + (transit - this.base);
    if (Number.isNaN(this.needMean)) {
      this.needMean = need;
      return;
    }
    const deviation = need - this.needMean;
    this.needMean += deviation * EWMA;
    this.needVar += (deviation * deviation - this.needVar) * EWMA;
    const target = Math.min(
      MAX_PLAYOUT_DELAY_MS,
      Math.max(MIN_PLAYOUT_DELAY_MS, this.needMean + 3 * Math.sqrt(this.needVar)),
    );
    this.delayMs += (target - this.delayMs) * (target > this.delayMs ? RISE : FALL);
  }

  get hasTiming(): boolean {
    return Number.isFinite(this.base);
  }

  /** The sender-timeline instant to show at local time `now`. */
  renderTime(now: number): number {
    return now - this.base - this.delayMs;
  }
}
