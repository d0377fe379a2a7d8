// [ROOM4] While this page joins (the first moments of its session without a
// WebRTC connection, and while one of its connections negotiates), the room
// draws at most 5 frames a second; otherwise every display frame. Fake clock,
// display frames every 16.67 ms.
import { describe, expect, it } from 'vitest';
import {
  FramePacing,
  HANDSHAKE_YIELD_MS,
  INPUT_DRAWS_MS,
  JOIN_WINDOW_MS,
  JOINING_FRAME_MS,
  JOINING_MAX_FREE_MS,
  type PacedConnection,
} from './frame-pacing.ts';

const DISPLAY_MS = 1000 / 60;

/** Frames drawn between `from` and `to` (display frames every 16.67 ms). */
function drawn(pacing: FramePacing, from: number, to: number): number {
  let count = 0;
  for (let t = from; t < to; t += DISPLAY_MS) if (pacing.draw(t)) count++;
  return count;
}

describe('frame pacing', () => {
  it('[ROOM4] a newcomer draws nothing until its first WebRTC connection is up, for JOIN_WINDOW_MS at most', () => {
    const connections: PacedConnection[] = [];
    const pacing = new FramePacing(1000, () => connections);
    expect(drawn(pacing, 1000, 1000 + JOIN_WINDOW_MS - 1)).toBe(0);
    expect(pacing.held).toBeGreaterThan(50);
    // Alone after the window: every display frame.
    expect(drawn(pacing, 1000 + JOIN_WINDOW_MS, 1000 + JOIN_WINDOW_MS + 1000)).toBeGreaterThanOrEqual(59);
  });

  it('[ROOM4] input is answered at full rate while joining, for INPUT_DRAWS_MS after it', () => {
    const pacing = new FramePacing(0, () => [{ key: {}, connected: false }]);
    expect(drawn(pacing, 0, 200)).toBe(0);
    pacing.input(200);
    expect(drawn(pacing, 200, 200 + INPUT_DRAWS_MS)).toBeGreaterThanOrEqual(59);
    expect(drawn(pacing, 200 + INPUT_DRAWS_MS, 1000 + INPUT_DRAWS_MS)).toBeLessThanOrEqual(5);
  });

  it('[ROOM4] a newcomer whose first connection comes up draws at once', () => {
    const connections: PacedConnection[] = [{ key: {}, connected: false }];
    const pacing = new FramePacing(0, () => connections);
    expect(drawn(pacing, 0, 300)).toBe(0);
    connections[0] = { key: (connections[0] as PacedConnection).key, connected: true };
    expect(drawn(pacing, 300, 800)).toBeGreaterThanOrEqual(29);
  });

  it('[ROOM4] a connection that is up but has not synced yet still counts as negotiating', () => {
    const key = {};
    const connections: PacedConnection[] = [{ key, connected: true, synced: false }];
    const pacing = new FramePacing(-10_000, () => connections);
    expect(drawn(pacing, 0, 1000)).toBeLessThanOrEqual(5);
    connections[0] = { key, connected: true, synced: true };
    expect(drawn(pacing, 1000, 2000)).toBeGreaterThanOrEqual(59);
  });

  it('[ROOM4] slow frames while joining take at most a quarter of the time, and leave it free for a second at most', () => {
    for (const cost of [100, 200, 300, 1500]) {
      // A connection that keeps negotiating (a fresh attempt every 2 s), so the page keeps joining.
      let attempt = { key: {}, connected: false };
      let attemptAt = 0;
      const pacing = new FramePacing(0, () => [attempt]);
      // Each drawn frame holds the thread for `cost`: the next display frame comes that much later.
      let busy = 0;
      let t = 0;
      while (t < 20_000) {
        if (pacing.draw(t)) {
          busy += cost;
          t += cost;
        } else t += DISPLAY_MS;
        if (t - attemptAt > 2000) {
          attempt = { key: {}, connected: false };
          attemptAt = t;
        }
      }
      const freeAfterEach = Math.min(JOINING_MAX_FREE_MS, 3 * cost);
      expect(busy / t, `${cost} ms frames`).toBeLessThanOrEqual(cost / (cost + freeAfterEach) + 0.05);
      expect(busy, `${cost} ms frames`).toBeGreaterThan(0);
    }
  });

  it('[ROOM4] a connection that is up ends the yielding at once', () => {
    const connections: PacedConnection[] = [{ key: {}, connected: true }];
    const pacing = new FramePacing(0, () => connections);
    expect(drawn(pacing, 0, 500)).toBeGreaterThanOrEqual(29);
  });

  it('[ROOM4] an old member yields while a connection negotiates, for HANDSHAKE_YIELD_MS at most', () => {
    const connections: PacedConnection[] = [{ key: {}, connected: true }];
    const pacing = new FramePacing(0, () => connections);
    expect(drawn(pacing, 10_000, 11_000)).toBeGreaterThanOrEqual(59);
    // A newcomer's connection appears and negotiates.
    const attempt = { key: {}, connected: false };
    connections.push(attempt);
    expect(drawn(pacing, 11_000, 12_000)).toBeLessThanOrEqual(Math.ceil(1000 / JOINING_FRAME_MS));
    // It comes up: full rate again.
    connections[1] = { key: attempt.key, connected: true };
    expect(drawn(pacing, 12_000, 13_000)).toBeGreaterThanOrEqual(59);
    // One that never comes up stops holding frames back after HANDSHAKE_YIELD_MS.
    connections.push({ key: {}, connected: false });
    expect(drawn(pacing, 13_000, 13_000 + HANDSHAKE_YIELD_MS)).toBeLessThan(60);
    expect(drawn(pacing, 13_000 + HANDSHAKE_YIELD_MS, 14_000 + HANDSHAKE_YIELD_MS)).toBeGreaterThanOrEqual(59);
  });
});
