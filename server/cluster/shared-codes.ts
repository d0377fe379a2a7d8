/**
 * Room codes and per-address limits in Redis, shared by every instance
 * (docs/scaling.md; room-codes.ts CODE1-CODE4, security.md SEC20, SEC21).
 *
 *   CL16 A code issued on one instance resolves on every instance, for the same room, until
 *        24 h after it was last issued; the per-address limits on issuing and looking up codes
 *        and on TURN credentials count every instance's requests together (fixed one-minute
 *        windows), so more instances do not multiply what an address may try.
 */
import { randomInt } from 'node:crypto';
import { CODE_ALPHABET, CODE_LENGTH, normalizeCode } from '../../app/core/room-code.ts';
import type { RoomCodeOptions } from '../room-codes.ts';
import type { CodeBook, SharedLimiter } from '../shared-state.ts';
import type { Cluster } from './cluster.ts';
import { KEYS } from './keys.ts';

const WINDOW_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;

/** Renews the room's code, or takes the first free candidate; returns the code or false. */
const ISSUE_SCRIPT = `
local existing = redis.call('GET', KEYS[1])
if existing and redis.call('GET', ARGV[3] .. existing) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('PEXPIRE', ARGV[3] .. existing, ARGV[2])
  return existing
end
for i = 4, #ARGV do
  if redis.call('SET', ARGV[3] .. ARGV[i], ARGV[1], 'NX', 'PX', ARGV[2]) then
    redis.call('SET', KEYS[1], ARGV[i], 'PX', ARGV[2])
    return ARGV[i]
  end
end
return false
`;

type Scripted = Record<string, (...args: (string | number)[]) => Promise<unknown>>;

/** A per-address limit counted in Redis: `perMinute` in each fixed minute. */
export function sharedLimiter(cluster: Cluster, name: string, perMinute: number): SharedLimiter {
  cluster.redis.defineCommand('rateWindow', { numberOfKeys: 1, lua: WINDOW_SCRIPT });
  return {
    async take(address: string): Promise<boolean> {
      const minute = Math.floor(Date.now() / 60_000);
      const count = (await (cluster.redis as unknown as Scripted).rateWindow?.(
        KEYS.rateWindow(name, address, minute),
        120_000,
      )) as number;
      return count <= perMinute;
    },
  };
}

export class SharedCodes implements CodeBook {
  private readonly issues: SharedLimiter;
  private readonly lookups: SharedLimiter;

  constructor(
    private readonly cluster: Cluster,
    private readonly options: RoomCodeOptions,
  ) {
    cluster.redis.defineCommand('issueCode', { numberOfKeys: 1, lua: ISSUE_SCRIPT });
    this.issues = sharedLimiter(cluster, 'code-issue', options.issuesPerMinute);
    this.lookups = sharedLimiter(cluster, 'code-lookup', options.lookupsPerMinute);
  }

  async issue(room: string, address: string): Promise<{ code: string; expiresAt: number } | 'rate-limited'> {
    if (!(await this.issues.take(address))) return 'rate-limited';
    const candidates = Array.from({ length: 8 }, () =>
      Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join(''),
    );
    const code = (await (this.cluster.redis as unknown as Scripted).issueCode?.(
      KEYS.roomToCode(room),
      room,
      this.options.ttlMs,
      KEYS.codeToRoom(''),
      ...candidates,
    )) as string | null;
    if (!code) throw new Error('no free room code among the candidates');
    return { code, expiresAt: Date.now() + this.options.ttlMs };
  }

  async lookup(code: string, address: string): Promise<string | 'rate-limited' | undefined> {
    if (!(await this.lookups.take(address))) return 'rate-limited';
    const room = await this.cluster.redis.get(KEYS.codeToRoom(normalizeCode(code)));
    return room ?? undefined;
  }
}
