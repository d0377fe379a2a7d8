import { describe, expect, it } from 'vitest';
import { DEFAULT_ROOM_CODE_OPTIONS, RoomCodes } from './room-codes.ts';

/** Issues a code that the test expects to be granted. */
function issued(codes: RoomCodes, room: string): { code: string; expiresAt: number } {
  const result = codes.issue(room, 'ip');
  if (result === 'rate-limited') throw new Error('issuing was rate limited');
  return result;
}

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('room codes', () => {
  it('[CODE1] maps a code to one room, renews it on reissue, and expires it after the TTL', () => {
    const time = clock();
    const codes = new RoomCodes({ ...DEFAULT_ROOM_CODE_OPTIONS, ttlMs: 1000, lookupsPerMinute: 1000, now: time.now });
    const { code } = issued(codes, 'room-a-123');
    expect(issued(codes, 'room-a-123').code).toBe(code);
    expect(codes.lookup(code, 'ip')).toBe('room-a-123');
    expect(codes.lookup(`${code.slice(0, 3)}-${code.slice(3)}`.toLowerCase(), 'ip')).toBe('room-a-123');
    time.advance(999);
    issued(codes, 'room-a-123');
    time.advance(999);
    expect(codes.lookup(code, 'ip')).toBe('room-a-123');
    time.advance(2);
    expect(codes.lookup(code, 'ip')).toBeUndefined();
  });

  it('[CODE3] keeps at most maxCodes, evicting the oldest', () => {
    const codes = new RoomCodes({ ...DEFAULT_ROOM_CODE_OPTIONS, maxCodes: 2, lookupsPerMinute: 1000 });
    const a = issued(codes, 'room-aaaa-1').code;
    const b = issued(codes, 'room-bbbb-2').code;
    const c = issued(codes, 'room-cccc-3').code;
    expect(codes.lookup(a, 'ip')).toBeUndefined();
    expect(codes.lookup(b, 'ip')).toBe('room-bbbb-2');
    expect(codes.lookup(c, 'ip')).toBe('room-cccc-3');
  });

  it('[CODE2] limits lookups per address, refilling over time', () => {
    const time = clock();
    const codes = new RoomCodes({ ...DEFAULT_ROOM_CODE_OPTIONS, lookupsPerMinute: 2, now: time.now });
    expect(codes.lookup('AAAAAA', 'a')).toBeUndefined();
    expect(codes.lookup('AAAAAA', 'a')).toBeUndefined();
    expect(codes.lookup('AAAAAA', 'a')).toBe('rate-limited');
    expect(codes.lookup('AAAAAA', 'b')).toBeUndefined();
    time.advance(30_000);
    expect(codes.lookup('AAAAAA', 'a')).toBeUndefined();
  });

  it('[CODE2] [SEC20] keeps limiting an address when many others flood the table of limits', () => {
    const time = clock();
    const codes = new RoomCodes({
      ...DEFAULT_ROOM_CODE_OPTIONS,
      lookupsPerMinute: 2,
      maxTrackedAddresses: 100,
      now: time.now,
    });
    codes.lookup('AAAAAA', 'victim-of-limit');
    codes.lookup('AAAAAA', 'victim-of-limit');
    expect(codes.lookup('AAAAAA', 'victim-of-limit')).toBe('rate-limited');
    // Thousands of fresh addresses do not clear the table (the old code reset it at 10,000).
    for (let i = 0; i < 10_050; i++) codes.lookup('AAAAAA', `flood-${i}`);
    expect(codes.lookup('AAAAAA', 'victim-of-limit')).toBe('rate-limited');
    // Once the flood's buckets have refilled they are forgotten and newcomers get room.
    time.advance(61_000);
    expect(codes.lookup('AAAAAA', 'newcomer')).toBeUndefined();
  });

  it('[CODE4] [SEC20] limits issuing per address', () => {
    const time = clock();
    const codes = new RoomCodes({ ...DEFAULT_ROOM_CODE_OPTIONS, issuesPerMinute: 3, now: time.now });
    const results = Array.from({ length: 5 }, (_, i) => codes.issue(`room-number-${i}`, 'one-address'));
    expect(results.map((r) => (r === 'rate-limited' ? r : 'issued'))).toEqual([
      'issued',
      'issued',
      'issued',
      'rate-limited',
      'rate-limited',
    ]);
    expect(codes.issue('room-number-9', 'another-address')).not.toBe('rate-limited');
    time.advance(20_000);
    expect(codes.issue('room-number-5', 'one-address')).not.toBe('rate-limited');
  });
});
