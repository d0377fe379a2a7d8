/**
 * Per-peer receive statistics, updated per message without allocating and
 * summarized on demand (the HUD reads them twice a second): received rate,
 * one-way latency p50/p95, loss from sequence gaps, bytes per second.
 */
const LATENCY_SAMPLES = 512;
const WINDOW_MS = 1000;

class SeqTracker {
  private last = -1;
  /** Bit i set: seq (last - 1 - i) was received. */
  private seen = 0;
  expected = 0;
  received = 0;

  /** Returns false for a duplicate, which the caller drops. */
  accept(seq: number): boolean {
    if (this.last < 0) {
      this.last = seq;
      this.expected++;
      this.received++;
      return true;
    }
    const ahead = (seq - this.last) & 0xffff;
    if (ahead === 0) return false;
    if (ahead < 0x8000) {
      this.seen = ahead >= 32 ? 0 : ((this.seen << ahead) | (1 << (ahead - 1))) >>> 0;
      this.last = seq;
      this.expected += ahead;
      this.received++;
      return true;
    }
    const behind = (this.last - seq) & 0xffff;
    if (behind > 32) return true; // too old to tell; count nothing
    const bit = 1 << (behind - 1);
    if (this.seen & bit) return false;
    this.seen = (this.seen | bit) >>> 0;
    this.received++;
    return true;
  }
}

export class PeerStatsWindow {
  private readonly latencies = new Float64Array(LATENCY_SAMPLES);
  private readonly scratch = new Float64Array(LATENCY_SAMPLES);
  private latencyCount = 0;
  private latencyNext = 0;
  private windowStart = Number.NaN;
  private messages = 0;
  private bytes = 0;
  private sentBytes = 0;
  private expectedAtStart = 0;
  private receivedAtStart = 0;
  rateHz = 0;
  bytesInPerSecond = 0;
  bytesOutPerSecond = 0;
  lossRatio = 0;
  readonly seq = new SeqTracker();

  private roll(now: number): void {
    if (Number.isNaN(this.windowStart)) {
      this.windowStart = now;
      return;
    }
    const elapsed = now - this.windowStart;
    if (elapsed < WINDOW_MS) return;
    this.rateHz = (this.messages * 1000) / elapsed;
    this.bytesInPerSecond = (this.bytes * 1000) / elapsed;
    this.bytesOutPerSecond = (this.sentBytes * 1000) / elapsed;
    const expected = this.seq.expected - this.expectedAtStart;
    const received = this.seq.received - this.receivedAtStart;
    this.lossRatio = expected > 0 ? Math.max(0, 1 - received / expected) : 0;
    this.expectedAtStart = this.seq.expected;
    this.receivedAtStart = this.seq.received;
    this.messages = 0;
    this.bytes = 0;
    this.sentBytes = 0;
    this.windowStart = now;
  }

  onBatch(now: number, byteLength: number, latencyMs: number): void {
    this.roll(now);
    this.messages++;
    this.bytes += byteLength;
    if (Number.isFinite(latencyMs)) {
      this.latencies[this.latencyNext] = latencyMs;
      this.latencyNext = (this.latencyNext + 1) % LATENCY_SAMPLES;
      this.latencyCount = Math.min(LATENCY_SAMPLES, this.latencyCount + 1);
    }
  }

  onOther(now: number, byteLength: number): void {
    this.roll(now);
    this.bytes += byteLength;
  }

  onSent(now: number, byteLength: number): void {
    this.roll(now);
    this.sentBytes += byteLength;
  }

  /** Closes the window if it is over (so a silent peer reads 0 Hz, not its last rate). */
  refresh(now: number): void {
    this.roll(now);
  }

  /** Latency quantile over the recent samples (q in [0, 1]); NaN without samples. */
  latencyQuantile(q: number): number {
    const n = this.latencyCount;
    if (n === 0) return Number.NaN;
    const sorted = this.scratch.subarray(0, n);
    sorted.set(this.latencies.subarray(0, n));
    sorted.sort();
    return sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] as number;
  }
}
