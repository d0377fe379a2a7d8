import { describe, expect, it } from 'vitest';
import { DEFAULT_ROOM_CODE_OPTIONS, RoomCodes } from './room-codes.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('room codes', () => {
  it('[CODE1] maps a code to one room, renews it on reissue, and expires it after the TTL', () => {
    const time = clock();
    const codes = new RoomCodes({ ...DEFAULT_ROOM_CODE_OPTIONS, ttlMs: 1000, lookupsPerMinute: 1000, now: time.now });
    const { code } = codes.issue('room-a-123');
    expect(codes.issue('room-a-123').code).toBe(code);
    expect(codes.lookup(code, 'ip')).toBe('room-a-123');
    expect(codes.lookup(`${code.slice(0, 3)}-${code.slice(3)}`.toLowerCase(), 'ip')).toBe('room-a-123');
    time.advance(999);
    codes.issue('room-a-123');
    time.advance(999);
    expect(codes.lookup(code, 'ip')).toBe('room-a-123');
    time.advance(2);
    expect(codes.lookup(code, 'ip')).toBeUndefined();
  });

  it('[CODE3] keeps at most maxCodes, evicting the oldest', () => {
    const codes = new RoomCodes({ ...DEFAULT_ROOM_CODE_OPTIONS, maxCodes: 2, lookupsPerMinute: 1000 });
    const a = codes.issue('room-aaaa-1').code;
    const b = codes.issue('room-bbbb-2').code;
    const c = codes.issue('room-cccc-3').code;
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
});
