/**
 * Reconnect delays: exponential from `baseMs` to `maxMs`, with "equal jitter"
 * (half fixed, half random) so many clients dropped at once do not come back
 * in lockstep ([TRN5]).
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** The delay before the next attempt; each call doubles the ceiling. */
  next(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.baseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    const random = this.options.random ?? Math.random;
    return ceiling / 2 + (random() * ceiling) / 2;
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
