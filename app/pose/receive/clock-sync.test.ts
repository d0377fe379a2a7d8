import { describe, expect, it } from 'vitest';
import { toTicks } from '../wire/time.ts';
import { ClockSync } from './clock-sync.ts';

describe('clock offset estimation ([POSE9])', () => {
  it('[POSE9] finds the offset from the least delayed exchange, across a u32 wrap', () => {
    const sync = new ClockSync();
    // Their clock is 123.5 ms ahead of ours and near the 2^32-tick wrap; one way takes 2 ms,
    // except that some exchanges queue for 40 ms on the way back.
    const ours = 2 ** 32 / 8 - 50; // ms, so ticks wrap during the test
    for (let i = 0; i < 8; i++) {
      const t0 = ours + i * 10;
      const t1 = t0 + 2 + 123.5;
      const t2 = t1 + 0.5;
      const t3 = t2 - 123.5 + 2 + (i % 2 ? 40 : 0);
      expect(sync.add(toTicks(t0), toTicks(t1), toTicks(t2), toTicks(t3))).toBe(true);
    }
    expect(sync.offsetMs).toBeCloseTo(123.5, 0);
    expect(sync.rttMs).toBeCloseTo(4, 0);
    // A message sent at their t, received 3 ms later by our clock: 3 ms one way.
    const sent = ours + 200 + 123.5;
    expect(sync.latencyMs(toTicks(sent), toTicks(ours + 203))).toBeCloseTo(3, 0);
  });

  it('[POSE9] follows drift: old samples age out', () => {
    const sync = new ClockSync();
    for (let i = 0; i < 20; i++) {
      const offset = 10 + i; // their clock gains 1 ms per exchange
      const t0 = 1000 + i * 1000;
      sync.add(toTicks(t0), toTicks(t0 + 1 + offset), toTicks(t0 + 1 + offset), toTicks(t0 + 2));
    }
    expect(sync.offsetMs).toBeGreaterThan(21);
  });

  it('[POSE9] rejects an impossible sample (negative round trip)', () => {
    const sync = new ClockSync();
    expect(sync.add(toTicks(100), toTicks(500), toTicks(900), toTicks(101))).toBe(false);
    expect(sync.hasEstimate).toBe(false);
  });
});
