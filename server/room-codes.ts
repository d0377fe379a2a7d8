/**
 * Short room codes: six characters that can be typed on a headset keyboard,
 * standing in for a room's long unguessable id for a while.
 *
 * CODE1 A code maps to exactly one room and expires `ttlMs` after it was last issued.
 * CODE2 Lookups are rate limited per client address (IPv6: per /64, SEC19) so codes
 *       cannot be enumerated; the table of limits is bounded and never cleared
 *       wholesale (SEC20).
 * CODE3 At most `maxCodes` live codes; the oldest is evicted first.
 * CODE4 Issuing is rate limited per client address too: nobody can fill the table
 *       of codes and evict everyone else's (SEC20).
 * Codes live in memory: a server restart forgets them (the room link keeps working).
 */
import { randomInt } from 'node:crypto';
import { CODE_ALPHABET, CODE_LENGTH, normalizeCode } from '../app/core/room-code.ts';
import { KeyedBuckets } from './rate-limit.ts';

export interface RoomCodeOptions {
  ttlMs: number;
  maxCodes: number;
  lookupsPerMinute: number;
  issuesPerMinute: number;
  /** Client addresses whose limits are remembered at once (CODE2). */
  maxTrackedAddresses: number;
  now?: () => number;
}

export const DEFAULT_ROOM_CODE_OPTIONS: RoomCodeOptions = {
  ttlMs: 24 * 60 * 60 * 1000,
  maxCodes: 50_000,
  lookupsPerMinute: 20,
  issuesPerMinute: 10,
  maxTrackedAddresses: 20_000,
};

export class RoomCodes {
  private readonly byCode = new Map<string, { room: string; expires: number }>();
  private readonly byRoom = new Map<string, string>();
  private readonly lookups: KeyedBuckets;
  private readonly issues: KeyedBuckets;
  private readonly now: () => number;

  constructor(private readonly options: RoomCodeOptions = DEFAULT_ROOM_CODE_OPTIONS) {
    this.now = options.now ?? Date.now;
    const { lookupsPerMinute, issuesPerMinute, maxTrackedAddresses } = options;
    this.lookups = new KeyedBuckets(lookupsPerMinute / 60, lookupsPerMinute, maxTrackedAddresses, this.now);
    this.issues = new KeyedBuckets(issuesPerMinute / 60, issuesPerMinute, maxTrackedAddresses, this.now);
  }

  /**
   * Returns the room's code, issuing one if needed, and extends its life;
   * `'rate-limited'` when `address` issues too often (CODE4).
   */
  issue(room: string, address = 'local'): { code: string; expiresAt: number } | 'rate-limited' {
    if (!this.issues.take(address)) return 'rate-limited';
    const expires = this.now() + this.options.ttlMs;
    const existing = this.byRoom.get(room);
    if (existing) {
      this.byCode.delete(existing);
      this.byCode.set(existing, { room, expires });
      return { code: existing, expiresAt: expires };
    }
    this.prune();
    let code = '';
    do {
      code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    } while (this.byCode.has(code));
    this.byCode.set(code, { room, expires });
    this.byRoom.set(room, code);
    return { code, expiresAt: expires };
  }

  /** `undefined` when unknown or expired; `'rate-limited'` when the address asks too often. */
  lookup(code: string, address: string): string | 'rate-limited' | undefined {
    if (!this.lookups.take(address)) return 'rate-limited';
    const entry = this.byCode.get(normalizeCode(code));
    if (!entry || entry.expires <= this.now()) return undefined;
    return entry.room;
  }

  private prune(): void {
    const now = this.now();
    // Map iteration is insertion order, and issue() re-inserts on renewal: oldest first.
    for (const [code, entry] of this.byCode) {
      if (entry.expires > now && this.byCode.size < this.options.maxCodes) break;
      this.byCode.delete(code);
      this.byRoom.delete(entry.room);
    }
  }
}
