import { afterEach, expect, test, vi } from 'vitest';
import { afterRoomInteractive, markRoomInteractive, ROOM_INTERACTIVE_MARK } from './frame-stats.ts';

afterEach(() => {
  vi.useRealTimers();
  performance.clearMarks(ROOM_INTERACTIVE_MARK);
});

test('[LOAD14] what waits for the room to be interactive starts as the room marks it, not when an observer hears of it', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  let started = false;
  const waiting = afterRoomInteractive(10_000).then(() => {
    started = true;
  });
  await Promise.resolve();
  expect(started).toBe(false);
  markRoomInteractive();
  // No timer runs: only the promise's own microtasks.
  await waiting;
  expect(started).toBe(true);
  expect(performance.getEntriesByName(ROOM_INTERACTIVE_MARK, 'mark')).toHaveLength(1);
  // Once marked, later waiters go at once.
  await afterRoomInteractive(10_000);
});

test('[LOAD10] [LOAD14] a room that is not interactive by the latest time lets the work start then', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  let started = false;
  const waiting = afterRoomInteractive(10_000).then(() => {
    started = true;
  });
  await vi.advanceTimersByTimeAsync(9_999);
  expect(started).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  await waiting;
  expect(started).toBe(true);
});
