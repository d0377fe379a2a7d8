/**
 * Time for the pose channel. Clocks return milliseconds on an epoch-based
 * timeline (browsers: `performance.timeOrigin + performance.now()`), so two
 * pages on one machine start close together; the wire carries u32 counts of
 * 1/8 ms that wrap, and only differences are ever taken.
 */
import { TIME_TICKS_PER_MS } from './protocol.ts';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
};

/** One render/XR tick at the nominal 60 Hz. */
export const TICK_MS = 1000 / 60;

/** Milliseconds to wire ticks (u32, wrapping). */
export function toTicks(ms: number): number {
  return Math.floor(ms * TIME_TICKS_PER_MS) >>> 0;
}

/** a - b in ticks, as a signed 32-bit difference (correct across one wrap). */
export function tickDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** Turns a peer's wrapping u32 send times into a continuous millisecond timeline. */
export class TimeUnwrapper {
  private lastTicks = 0;
  private lastMs = Number.NaN;

  unwrap(ticks: number): number {
    if (Number.isNaN(this.lastMs)) {
      this.lastTicks = ticks;
      this.lastMs = ticks / TIME_TICKS_PER_MS;
      return this.lastMs;
    }
    const ms = this.lastMs + tickDiff(ticks, this.lastTicks) / TIME_TICKS_PER_MS;
    // Only move the anchor forward, so a reordered old message cannot drag it back.
    if (ms > this.lastMs) {
      this.lastMs = ms;
      this.lastTicks = ticks;
    }
    return ms;
  }
}
