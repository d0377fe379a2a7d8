// Shared physics between two browsers (separate contexts, real WebRTC asserted):
// a ball dropped by the script knocks over a stack of blocks; both pages see
// every block come to rest at the same place (within 1 cm and 1 degree), the
// room document holds the rest poses with no owner, nothing is streamed once
// the pile rests, and a latecomer sees the settled pile.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ObjectId } from '../app/core/ids.ts';
import { launchBrowser, waitUntil } from './harness/browser.ts';
import { type ServerProcess, startServerProcess } from './harness/server.ts';
import { distance, docState, type OpenedPage, openRoomPage, setScript, waitForWebRTC } from './interaction-helpers.ts';

const BLOCKS = ['B0', 'B1', 'B2', 'B3'];
const SCRIPT = `composition "Physics test" {
  ${BLOCKS.map((name, i) => `object "${name}" @physics @grabbable { geometry: "box"; size: 0.3; position: [${i * 0.1}, ${0.15 + i * 0.3}, 3]; color: "#ffd166" }`).join('\n  ')}
  object "Ball" @physics(mass: 8, restitution: 0.3, angular_damping: 2) { geometry: "sphere"; size: 0.4; position: [0.12, 2.4, 3]; color: "#ef476f" }
}`;
const BODIES = [...BLOCKS, 'Ball'];

let server: ServerProcess;
let browser: Browser;
const pages: OpenedPage[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const { context } of pages) await context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

interface BodyPose {
  position: [number, number, number];
  quaternion: [number, number, number, number];
}

function bodyPoses(page: Page): Promise<Record<string, BodyPose | null>> {
  return page.evaluate((ids) => {
    const out: Record<string, BodyPose | null> = {};
    for (const id of ids) {
      const p = window.__holoroom?.physics.bodyPoseArray(id as ObjectId);
      out[id] = p ? ({ position: [p[0], p[1], p[2]], quaternion: [p[3], p[4], p[5], p[6]] } as BodyPose) : null;
    }
    return out;
  }, BODIES);
}

function physicsStats(page: Page) {
  return page.evaluate(() => {
    const stats = window.__holoroom?.physics.stats;
    return stats ? { ...stats, ready: window.__holoroom?.physics.ready ?? false } : undefined;
  });
}

/** Angle between two unit quaternions, degrees. */
function angleDeg(a: readonly number[], b: readonly number[]): number {
  const dot = Math.abs(a.reduce((sum, v, i) => sum + v * (b[i] as number), 0));
  return (2 * Math.acos(Math.min(1, dot)) * 180) / Math.PI;
}

async function allRest(page: Page): Promise<boolean> {
  for (const id of BODIES) {
    const state = await docState(page, id);
    if (state?.owner !== null || state.position === undefined) return false;
  }
  return true;
}

test('[PHYS4][PHYS5][PHYS6][PHYS8] a leaning stack hit by a falling ball collapses: both browsers see every block rest at the same place, the document holds the rest poses, nothing is streamed at rest, a latecomer sees the pile', async () => {
  const url = `${server.url}/r/e2ephysics${Date.now().toString(36)}?seed=off`;
  const a = await openRoomPage(browser, 'Alice', url, '#ef476f');
  const b = await openRoomPage(browser, 'Bob', url, '#06d6a0');
  pages.push(a, b);
  await waitForWebRTC(a.page, b.page);
  console.log('physics e2e: WebRTC connected');
  // PHYS8: the engine is not loaded before a scene has a body.
  expect((await physicsStats(a.page))?.ready).toBe(false);
  await setScript(a.page, SCRIPT);
  for (const { page } of [a, b]) {
    await waitUntil(
      async () => (await physicsStats(page))?.ready === true,
      60_000,
      async () => `physics did not start: ${JSON.stringify(await physicsStats(page))}`,
    );
  }
  console.log('physics e2e: engines ready');
  // The ball falls on the stack; everything ends at rest, written to the document by whoever simulated it.
  await waitUntil(
    async () => (await allRest(a.page)) && (await allRest(b.page)),
    120_000,
    async () => `A ${JSON.stringify(await physicsStats(a.page))} B ${JSON.stringify(await physicsStats(b.page))}`,
  );
  console.log('physics e2e: all at rest');
  const [statsA, statsB] = [await physicsStats(a.page), await physicsStats(b.page)];
  expect((statsA?.rests ?? 0) + (statsB?.rests ?? 0)).toBeGreaterThanOrEqual(BODIES.length);
  // The stack fell over: blocks are no longer one above the other.
  const pa = await bodyPoses(a.page);
  await waitUntil(
    async () => {
      const [now, other] = [await bodyPoses(a.page), await bodyPoses(b.page)];
      return BODIES.every((id) => {
        const [x, y] = [now[id], other[id]];
        return x && y && distance(x.position, y.position) < 0.01 && angleDeg(x.quaternion, y.quaternion) < 1;
      });
    },
    20_000,
    async () => `A ${JSON.stringify(await bodyPoses(a.page))} B ${JSON.stringify(await bodyPoses(b.page))}`,
  );
  const heights = BLOCKS.map((id) => pa[id]?.position[1] ?? 0);
  expect(Math.max(...heights), `block heights ${heights}`).toBeLessThan(0.15 + 3 * 0.3 - 0.05);
  // The document holds where they rest.
  const pb = await bodyPoses(b.page);
  for (const id of BODIES) {
    const state = await docState(b.page, id);
    expect(distance(state?.position ?? [0, 0, 0], pb[id]?.position ?? [9, 9, 9]), id).toBeLessThan(0.01);
  }
  // PHYS6: at rest nothing more is streamed or written, on either page, for two seconds.
  const before = [await physicsStats(a.page), await physicsStats(b.page)].map((s) => [s?.streamed, s?.rests]);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const after = [await physicsStats(a.page), await physicsStats(b.page)].map((s) => [s?.streamed, s?.rests]);
  expect(after).toEqual(before);

  // A latecomer sees the settled pile from the document.
  const c = await openRoomPage(browser, 'Carol', url, '#118ab2');
  pages.push(c);
  await waitUntil(
    async () => (await physicsStats(c.page))?.ready === true,
    60_000,
    () => 'C physics did not start',
  );
  const pc = await bodyPoses(c.page);
  for (const id of BODIES)
    expect(distance(pc[id]?.position ?? [9, 9, 9], pb[id]?.position ?? [0, 0, 0]), id).toBeLessThan(0.01);
  expect((await physicsStats(c.page))?.streamed).toBe(0);
}, 300_000);
