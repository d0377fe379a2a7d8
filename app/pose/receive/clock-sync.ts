/**
 * Clock offset estimation between this peer and one remote peer, NTP style,
 * from PING/PONG exchanges ([POSE9]):
 *   offset = ((t1 - t0) + (t2 - t3)) / 2     rtt = (t3 - t0) - (t2 - t1)
 * where t0/t3 are on our clock and t1/t2 on theirs. The sample with the lowest
 * round trip among the last few is the least disturbed by queueing, so that
 * one is the estimate. Used to measure one-way latency and by the room clock
 * (app/room/room-clock.ts, CLOCK1), never to play out.
 */
import { TIME_TICKS_PER_MS } from '../wire/protocol.ts';
import { tickDiff } from '../wire/time.ts';

/** Samples kept; at one ping per second this follows drift within seconds. */
const CLOCK_SAMPLES = 8;

export class ClockSync {
  private readonly offsets = new Float64Array(CLOCK_SAMPLES);
  private readonly rtts = new Float64Array(CLOCK_SAMPLES).fill(Number.POSITIVE_INFINITY);
  private next = 0;
  private count = 0;

  /** Adds one exchange (all in wire ticks). Ignores impossible samples (negative round trip). */
  add(t0: number, t1: number, t2: number, t3: number): boolean {
    const rtt = tickDiff(t3, t0) - tickDiff(t2, t1);
    if (rtt < 0) return false;
    const offset = (tickDiff(t1, t0) + tickDiff(t2, t3)) / 2;
    this.offsets[this.next] = offset / TIME_TICKS_PER_MS;
    this.rtts[this.next] = rtt / TIME_TICKS_PER_MS;
    this.next = (this.next + 1) % CLOCK_SAMPLES;
    this.count = Math.min(CLOCK_SAMPLES, this.count + 1);
    return true;
  }

  get hasEstimate(): boolean {
    return this.count > 0;
  }

  private best(): number {
    let best = 0;
    for (let i = 1; i < this.count; i++) if ((this.rtts[i] as number) < (this.rtts[best] as number)) best = i;
    return best;
  }

  /** Their clock minus ours, in milliseconds (0 before the first sample). */
  get offsetMs(): number {
    return this.count ? (this.offsets[this.best()] as number) : 0;
  }

  get rttMs(): number {
    return this.count ? (this.rtts[this.best()] as number) : Number.NaN;
  }

  /** One-way latency of a message sent at `sentTicks` (their clock) and received at `receivedTicks` (ours). */
  latencyMs(sentTicks: number, receivedTicks: number): number {
    return tickDiff(receivedTicks, sentTicks) / TIME_TICKS_PER_MS + this.offsetMs;
  }
}
