/**
 * Token bucket: `burst` tokens, refilled at `perSecond`. `take()` returns false
 * when the caller is over its rate. Time comes from `now` so tests can drive it.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Takes `cost` even past empty (work already done is charged); true while the bucket is not in debt. */
  charge(cost: number): boolean {
    this.refill();
    this.tokens -= cost;
    return this.tokens >= 0;
  }

  /** True when the bucket has refilled completely (nothing to remember about its owner). */
  full(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
  }
}

/**
 * Token buckets per key (a client address), in a table of bounded size. When
 * the table is full, buckets that have refilled completely are forgotten
 * (they hold no information); if none has, a new key is refused rather than
 * the table cleared, so flooding it with fresh addresses resets nobody's limit.
 */
export class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly maxKeys: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.buckets.size;
  }

  take(key: string, cost = 1): boolean {
    return this.bucket(key)?.take(cost) ?? false;
  }

  /** Charges work already done to `key` (TokenBucket.charge); false while it is in debt or untracked. */
  charge(key: string, cost: number): boolean {
    return this.bucket(key)?.charge(cost) ?? false;
  }

  private bucket(key: string): TokenBucket | undefined {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys && !this.sweep()) return undefined;
      bucket = new TokenBucket(this.perSecond, this.burst, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Forgets full buckets, at most once a second; true if there is room now. */
  private sweep(): boolean {
    const t = this.now();
    if (t - this.lastSweep >= 1000) {
      this.lastSweep = t;
      for (const [key, bucket] of this.buckets) if (bucket.full()) this.buckets.delete(key);
    }
    return this.buckets.size < this.maxKeys;
  }
}
