import { describe, expect, it } from 'vitest';
import {
  chooseSlot,
  DEFAULT_VIEWPOINT,
  MAX_SLOTS,
  mustYield,
  parseStart,
  START_STEP_DEG,
  startViewpoint,
} from './start-points.ts';

const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - (b[i] as number)));

describe('start points', () => {
  it('[START1] slot 0 is the viewpoint; other slots stand around the target, alternating right and left, looking at it', () => {
    expect(startViewpoint(DEFAULT_VIEWPOINT, 0)).toEqual(DEFAULT_VIEWPOINT);
    const right = startViewpoint(DEFAULT_VIEWPOINT, 1);
    const left = startViewpoint(DEFAULT_VIEWPOINT, 2);
    expect(right.position[0]).toBeGreaterThan(0.9);
    expect(left.position[0]).toBeLessThan(-0.9);
    for (const view of [right, left]) {
      expect(view.target).toEqual(DEFAULT_VIEWPOINT.target);
      expect(view.position[1]).toBe(1.7);
      // Same distance from the target (in plan).
      expect(Math.hypot(view.position[0], view.position[2])).toBeCloseTo(5);
    }
    expect(distance(right.position, DEFAULT_VIEWPOINT.position)).toBeCloseTo(
      2 * 5 * Math.sin((START_STEP_DEG * Math.PI) / 360),
    );
    // Every slot is a distinct spot at least ~1 m from every other.
    const spots = Array.from({ length: MAX_SLOTS }, (_, slot) => startViewpoint(DEFAULT_VIEWPOINT, slot).position);
    for (let i = 0; i < spots.length; i++) {
      for (let j = i + 1; j < spots.length; j++) {
        expect(distance(spots[i] as number[], spots[j] as number[])).toBeGreaterThan(1);
      }
    }
  });

  it('[START1] looking straight down, people stand side by side', () => {
    const view = startViewpoint({ position: [0, 5, 0], target: [0, 0, 0] }, 1);
    expect(view.position).toEqual([1, 5, 0]);
  });

  it('[START2] the lowest slot nobody announced', () => {
    expect(chooseSlot([])).toBe(0);
    expect(chooseSlot([0, 1, 3])).toBe(2);
    expect(parseStart({ start: { slot: 3, fresh: true } })).toEqual({ slot: 3, fresh: true });
    // Announcements are untrusted.
    for (const bad of [
      null,
      {},
      { start: 'x' },
      { start: { slot: -1 } },
      { start: { slot: 1.5 } },
      { start: { slot: 99 } },
    ]) {
      expect(parseStart(bad)).toBeUndefined();
    }
  });

  it('[START3] on a clash the fresh arrival moves on; between two fresh arrivals the higher client id does', () => {
    const settled = { id: 2, slot: 0, fresh: false };
    const fresh = { id: 9, slot: 0, fresh: true };
    expect(mustYield(fresh, settled)).toBe(true);
    expect(mustYield(settled, fresh)).toBe(false);
    expect(mustYield({ id: 1, slot: 0, fresh: true }, { id: 7, slot: 0, fresh: true })).toBe(false);
    expect(mustYield({ id: 7, slot: 0, fresh: true }, { id: 1, slot: 0, fresh: true })).toBe(true);
    expect(mustYield({ id: 7, slot: 1, fresh: true }, { id: 1, slot: 0, fresh: true })).toBe(false);
  });
});
