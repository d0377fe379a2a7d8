/**
 * What the physics browser tests (e2e/physics.e2e.ts, e2e/roles.e2e.ts) read
 * back from a page: where its simulation has bodies, and its physics counters.
 */
import type { Page } from 'playwright-core';
import type { ObjectId } from '../app/core/ids.ts';

export interface BodyPose {
  position: [number, number, number];
  quaternion: [number, number, number, number];
}

/** Each body's pose in the page's simulation; null for one it has no body for. */
export function bodyPoses(page: Page, bodies: readonly string[]): Promise<Record<string, BodyPose | null>> {
  return page.evaluate((ids) => {
    const out: Record<string, BodyPose | null> = {};
    for (const id of ids) {
      const p = window.__holoroom?.physics?.bodyPoseArray(id as ObjectId);
      out[id] = p ? ({ position: [p[0], p[1], p[2]], quaternion: [p[3], p[4], p[5], p[6]] } as BodyPose) : null;
    }
    return out;
  }, bodies);
}

/** The page's physics counters (PhysicsStats) and whether its world is ready. */
export function physicsStats(page: Page) {
  return page.evaluate(() => {
    const stats = window.__holoroom?.physics?.stats;
    return stats ? { ...stats, ready: window.__holoroom?.physics?.ready ?? false } : undefined;
  });
}
