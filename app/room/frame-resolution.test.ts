import { expect, test } from 'vitest';
import {
  FRAME_KEPT_MS,
  FRAME_MISS_MS,
  FrameResolution,
  RAISE_AFTER_WINDOWS,
  RAISE_AFTER_WINDOWS_MAX,
  RESOLUTION_SCALES,
  RESOLUTION_WINDOW_FRAMES,
} from './frame-resolution.ts';

const DISPLAY_MS = 1000 / 60;
/** Frames that miss the budget: twice what a window's median may be. */
const SLOW_MS = FRAME_MISS_MS * 2;

/** Draws `frames` display frames in a row, each `intervalMs` after the last; returns the time reached. */
function drawFrames(resolution: FrameResolution, from: number, frames: number, intervalMs: number): number {
  let now = from;
  for (let i = 0; i < frames; i++) {
    now += intervalMs;
    resolution.displayFrame(now, true);
  }
  return now;
}

/** One judged window: the first frame of a chain only starts it, so a window takes one frame more. */
const WINDOW = RESOLUTION_WINDOW_FRAMES;

test('[DRAW7] frames that miss a 60 Hz budget step the resolution down one step per window, to the least allowed and no lower', () => {
  expect(DISPLAY_MS).toBeLessThanOrEqual(FRAME_KEPT_MS);
  const resolution = new FrameResolution();
  let now = drawFrames(resolution, 0, WINDOW, SLOW_MS);
  expect(resolution.scale).toBe(1);
  now = drawFrames(resolution, now, 1, SLOW_MS);
  expect(resolution.scale).toBe(RESOLUTION_SCALES[1]);
  for (let i = 0; i < 10; i++) now = drawFrames(resolution, now, WINDOW, SLOW_MS);
  expect(resolution.scale).toBe(RESOLUTION_SCALES.at(-1));
  expect(resolution.scale).toBe(0.5);
  expect(resolution.stepsDown).toBe(RESOLUTION_SCALES.length - 1);
});

test('[DRAW7] frames at the display rate step it back up after kept windows, one step at a time', () => {
  const resolution = new FrameResolution();
  let now = drawFrames(resolution, 0, WINDOW + 1 + WINDOW, SLOW_MS);
  expect(resolution.scale).toBe(RESOLUTION_SCALES[2]);
  now = drawFrames(resolution, now, WINDOW * (RAISE_AFTER_WINDOWS - 1), DISPLAY_MS);
  expect(resolution.scale).toBe(RESOLUTION_SCALES[2]);
  now = drawFrames(resolution, now, WINDOW, DISPLAY_MS);
  expect(resolution.scale).toBe(RESOLUTION_SCALES[1]);
  drawFrames(resolution, now, WINDOW * RAISE_AFTER_WINDOWS, DISPLAY_MS);
  expect(resolution.scale).toBe(1);
  expect(resolution.stepsUp).toBe(2);
});

test('[DRAW7] a median decides: a few long frames (a sync, a commit) among quick ones do not step down', () => {
  const resolution = new FrameResolution();
  let now = 0;
  for (let i = 0; i < 5 * WINDOW; i++) now = drawFrames(resolution, now, 1, i % 4 === 0 ? 300 : DISPLAY_MS);
  expect(resolution.stepsDown).toBe(0);
});

test('[DRAW7] only drawn frames in a row count: the gap across display frames not drawn is not a frame', () => {
  const resolution = new FrameResolution();
  let now = 0;
  for (let i = 0; i < 5 * WINDOW; i++) {
    now = drawFrames(resolution, now, 2, DISPLAY_MS);
    // A still room: nothing drawn for half a second.
    for (let idle = 0; idle < 30; idle++) {
      now += DISPLAY_MS;
      resolution.displayFrame(now, false);
    }
  }
  expect(resolution.stepsDown).toBe(0);
});

test('[DRAW7] a step up that misses at once waits twice as long before the next try, up to a bound', () => {
  const resolution = new FrameResolution();
  // Frames that keep the rate at 0.85 and miss it at full resolution.
  let now = drawFrames(resolution, 0, WINDOW + 1, SLOW_MS);
  expect(resolution.scale).toBe(RESOLUTION_SCALES[1]);
  const keptWindowsBeforeRaise: number[] = [];
  for (let tries = 0; tries < 8; tries++) {
    let kept = 0;
    while (resolution.scale < 1) {
      now = drawFrames(resolution, now, WINDOW, DISPLAY_MS);
      kept++;
    }
    keptWindowsBeforeRaise.push(kept);
    now = drawFrames(resolution, now, WINDOW, SLOW_MS);
    expect(resolution.scale).toBe(RESOLUTION_SCALES[1]);
  }
  expect(keptWindowsBeforeRaise.slice(0, 5)).toEqual([3, 6, 12, 24, 48]);
  expect(Math.max(...keptWindowsBeforeRaise)).toBe(RAISE_AFTER_WINDOWS_MAX);
});

test('[DRAW7] after frames at a lower resolution the still picture is owed once at full resolution', () => {
  const resolution = new FrameResolution();
  expect(resolution.owesStillFrame()).toBe(false);
  const now = drawFrames(resolution, 0, 2 * WINDOW + 2, SLOW_MS);
  expect(resolution.owesStillFrame()).toBe(true);
  resolution.displayFrame(now + DISPLAY_MS, false);
  resolution.stillFrameDrawn();
  expect(resolution.owesStillFrame()).toBe(false);
  // The scale it learned stays for the next frames that move.
  expect(resolution.scale).toBeLessThan(1);
});
