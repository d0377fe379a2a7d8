import { describe, expect, test } from 'vitest';
import { type Envelope, envelopeDelay } from './click-delay.ts';

/** Clicks (20 ms) at uneven times over `ms`, starting at `startMs`, each `delay` ms late, with seeded noise. */
function clicks(startMs: number, ms: number, delay: number, noise: number, seed = 1): Envelope {
  let s = seed;
  const random = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const values = Array.from({ length: ms }, () => noise * random());
  for (const at of [100, 470, 1080, 1530, 2360, 2880, 3410]) {
    for (let i = 0; i < 20; i++) {
      const k = at + delay + i - startMs;
      if (k >= 0 && k < ms) values[k] = (values[k] as number) + Math.sin((Math.PI * i) / 19);
    }
  }
  return { startMs, values };
}

describe('the voice benchmark’s click delay', () => {
  test('finds the lag of a delayed, noisy copy to within a millisecond, across different start times', () => {
    for (const delay of [0, 37, 143, 612]) {
      const sent = clicks(0, 4_000, 0, 0.05);
      const heard = clicks(50, 4_600, delay, 0.2, 7);
      const found = envelopeDelay(sent, heard, 1_000);
      expect(found?.lagMs).toBeCloseTo(delay, 0);
      expect(found?.score).toBeGreaterThan(0.8);
    }
  });

  test('silence heard matches nothing', () => {
    const found = envelopeDelay(clicks(0, 4_000, 0, 0), { startMs: 0, values: new Array(5_000).fill(0) }, 500);
    expect(found?.score).toBe(0);
  });
});
