/**
 * State the API keeps that must agree across instances in cluster mode
 * (docs/scaling.md): room codes and the per-address limits on them and on
 * TURN credentials. One server keeps them in memory (room-codes.ts,
 * rate-limit.ts); a cluster keeps them in Redis (cluster/shared-codes.ts).
 * Both answer through these interfaces, which may answer later.
 */
import type { KeyedBuckets } from './rate-limit.ts';

export type Answer<T> = T | Promise<T>;

/** CODE1-CODE4 (room-codes.ts). */
export interface CodeBook {
  issue(room: string, address: string): Answer<{ code: string; expiresAt: number } | 'rate-limited'>;
  lookup(code: string, address: string): Answer<string | 'rate-limited' | undefined>;
}

/** A per-address limit: may `address` have one more? */
export interface SharedLimiter {
  take(address: string): Answer<boolean>;
}

/** The in-memory limiter of one server as a SharedLimiter. */
export function localLimiter(buckets: KeyedBuckets): SharedLimiter {
  return { take: (address) => buckets.take(address) };
}
