/**
 * What shared physics costs the page's main thread (docs/physics.md PHYS9), in
 * Chromium: one page (`?render=off`: the room's frame on a 60 Hz timer, no
 * drawing), a pile of 100 boxes collapsing, every body awake; the page
 * simulates them all (it claims every body that moves, PHYS5) and streams them.
 *
 *   physics.main_thread_ms_per_frame_100_bodies             the app's way: the world in the physics
 *                                                           worker; on the main thread the rules, one
 *                                                           request a frame and the results' messages
 *   physics.main_thread_ms_per_frame_100_bodies_no_worker   the same page with `?physics=main`: the
 *                                                           world stepped in the frame, as without Worker
 *   physics.worker_frames_waited_100_bodies                 frames whose steps waited for the worker's
 *                                                           previous answer, of the measured frames
 *
 * Measured over 120 frames from the 20th frame after the world is ready
 * (RoomPhysics stats: `frameMs` + `messageMs` over `frames`). Bounded: every
 * wait has a time limit.
 */
import type { Browser } from 'playwright-core';
import { launchBrowser, newContext, waitUntil } from '../e2e/harness/browser.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import { pileScript } from './harness/physics-pile.ts';
import type { Benchmark } from './harness/types.ts';

const BODIES = 100;
const WARMUP_FRAMES = 20;
const MEASURED_FRAMES = 120;

interface Sample {
  frames: number;
  frameMs: number;
  messageMs: number;
  claims: number;
  waits: number;
  host: string | undefined;
  moving: boolean;
}

async function mainThreadPerFrame(
  browser: Browser,
  url: string,
  host: 'worker' | 'in-process',
): Promise<{ ms: number; waits: number }> {
  const context = await newContext(browser, { name: 'Ann' });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await waitUntil(
      () => page.evaluate(() => (window.__holoroom?.frameStats?.frames ?? 0) > 3),
      60_000,
      () => `the room at ${url} did not start`,
    );
    await page.evaluate((script) => window.__holoroom?.session?.room.replaceScript(script), pileScript(BODIES));
    const sample = () =>
      page.evaluate((): Sample => {
        const physics = window.__holoroom?.physics;
        const stats = physics?.stats;
        return {
          frames: stats?.frames ?? 0,
          frameMs: stats?.frameMs ?? 0,
          messageMs: stats?.messageMs ?? 0,
          claims: stats?.claims ?? 0,
          waits: stats?.waits ?? 0,
          host: stats?.host,
          moving: physics?.moving ?? false,
        };
      });
    await waitUntil(
      async () => (await sample()).frames >= WARMUP_FRAMES,
      60_000,
      () => 'physics did not start',
    );
    const start = await sample();
    await waitUntil(
      async () => (await sample()).frames >= start.frames + MEASURED_FRAMES,
      60_000,
      () => 'too few frames',
    );
    const end = await sample();
    if (end.host !== host) throw new Error(`expected the world ${host}, it ran ${end.host}`);
    // Every body was still moving at the end of the window, or the numbers are for a pile at rest.
    if (!end.moving) throw new Error('the pile came to rest inside the measured window');
    const frames = end.frames - start.frames;
    const frameMs = end.frameMs - start.frameMs;
    const messageMs = end.messageMs - start.messageMs;
    console.log(
      `${url}: ${frames} frames on ${end.host}: ${frameMs.toFixed(1)} ms in frames, ${messageMs.toFixed(1)} ms taking results in, ${end.claims - start.claims} claims`,
    );
    return { ms: (frameMs + messageMs) / frames, waits: end.waits - start.waits };
  } finally {
    await context.close();
  }
}

const physicsMainThread: Benchmark = async () => {
  const server = await startServerProcess();
  const browser = await launchBrowser();
  try {
    const stamp = Date.now().toString(36);
    const worker = await mainThreadPerFrame(
      browser,
      `${server.url}/r/benchphysicsmain${stamp}?seed=off&render=off`,
      'worker',
    );
    const inPage = await mainThreadPerFrame(
      browser,
      `${server.url}/r/benchphysicsmainnw${stamp}?seed=off&render=off&physics=main`,
      'in-process',
    );
    return {
      'physics.main_thread_ms_per_frame_100_bodies': worker.ms,
      'physics.main_thread_ms_per_frame_100_bodies_no_worker': inPage.ms,
      'physics.worker_frames_waited_100_bodies': worker.waits,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
};

export default physicsMainThread;
