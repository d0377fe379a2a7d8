// [POSE18] Batches go out on 16.67 ms send windows whatever the display rate:
// frames at a given rate (with seeded jitter) through SendWindows, counting sends.
import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import { SendWindows } from './send-windows.ts';

/** Sends per second for `seconds` of frames every `frameMs` (± `jitterMs`, seeded). */
function sendRate(frameMs: number, jitterMs = 0, seconds = 10): number {
  const gen = prng.create(7);
  const windows = new SendWindows();
  let sends = 0;
  let t = 1_000_000;
  const end = t + seconds * 1000;
  while (t < end) {
    if (windows.due(t + (jitterMs ? (prng.real53(gen) * 2 - 1) * jitterMs : 0))) sends++;
    t += frameMs;
  }
  return sends / seconds;
}

describe('send windows', () => {
  it('[POSE18] 72, 90, 120 and 144 Hz displays send 60 batches a second', () => {
    for (const hz of [72, 90, 120, 144]) expect(sendRate(1000 / hz), `${hz} Hz`).toBeCloseTo(60, 0);
  });

  it('[POSE18] a 60 Hz display sends every frame, also when its frames jitter by 1.5 ms', () => {
    expect(sendRate(1000 / 60)).toBeGreaterThanOrEqual(59.9);
    expect(sendRate(1000 / 60, 1.5)).toBeGreaterThanOrEqual(59.5);
  });

  it('[POSE18] slow frames send every frame: a slow display never loses a sample it drew', () => {
    for (const hz of [8, 20, 45]) expect(sendRate(1000 / hz), `${hz} Hz`).toBeCloseTo(hz, 0);
  });

  it('[POSE18] a hitch buys at most one extra send, not a burst', () => {
    const windows = new SendWindows();
    let t = 0;
    windows.due(t);
    t += 500; // a long frame
    expect(windows.due(t)).toBe(true);
    const sends = [1, 2, 3, 4].map((i) => windows.due(t + (i * 1000) / 120));
    // Four 120 Hz frames (33 ms): two windows, plus at most the one the hitch carried over.
    expect(sends.filter(Boolean).length).toBeLessThanOrEqual(3);
  });
});
