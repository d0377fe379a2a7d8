/**
 * Power when nothing moves (docs/architecture.md ROOM5): the renderer's
 * main-thread time (DevTools protocol `Performance.getMetrics`, TaskDuration)
 * over MEASURE_MS in a still room of static objects, one browser, software
 * WebGL, then the same room while one person (a Node pose channel on the
 * relay) walks around in it.
 *   app.idle_cpu_pct      main-thread busy share, still room (100 = one core)
 *   app.idle_fps          frames the room drew per second, still room
 *   app.moving_cpu_pct    the same with someone moving
 *   app.moving_fps
 */
import type { Page } from 'playwright-core';
import { launchBrowser, newContext, waitUntil } from '../e2e/harness/browser.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import type { Benchmark } from './harness/types.ts';
import { objectsScript, startAvatars } from './xr.bench.ts';

const OBJECTS = 50;
const MEASURE_MS = 10_000;
/** After the scene is drawn, before measuring: the last wakes (loads, the first poses) pass. */
const SETTLE_MS = 3000;

interface Sample {
  cpuPct: number;
  fps: number;
}

/** Main-thread busy share and frames drawn over MEASURE_MS. */
async function measure(page: Page, taskSeconds: () => Promise<number>): Promise<Sample> {
  const frames = () => page.evaluate(() => window.__holoroom?.frameStats?.frames ?? 0);
  const [task0, frames0, t0] = [await taskSeconds(), await frames(), performance.now()];
  await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
  const [task1, frames1, t1] = [await taskSeconds(), await frames(), performance.now()];
  const seconds = (t1 - t0) / 1000;
  return { cpuPct: ((task1 - task0) / seconds) * 100, fps: (frames1 - frames0) / seconds };
}

const idleCpu: Benchmark = async () => {
  const server = await startServerProcess();
  const browser = await launchBrowser();
  let avatars: { stop(): void } | undefined;
  try {
    const roomId = `benchidle${Date.now().toString(36)}`;
    const context = await newContext(browser, { name: 'Viewer' });
    const page = await context.newPage();
    await page.setViewportSize({ width: 800, height: 450 });
    await page.goto(`${server.url}/r/${roomId}?seed=off`);
    await waitUntil(
      () => page.evaluate(() => (window.__holoroom?.frameStats?.frames ?? 0) > 0),
      60_000,
      () => 'timed out waiting for the room',
    );
    await page.evaluate((script) => window.__holoroom?.session?.room.replaceScript(script), objectsScript(OBJECTS));
    await waitUntil(
      () => page.evaluate((n) => (window.__holoroom?.sceneObjects?.size ?? 0) >= n, OBJECTS),
      60_000,
      () => 'timed out waiting for objects drawn',
    );
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskSeconds = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN;
    };
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const still = await measure(page, taskSeconds);
    avatars = startAvatars(server.url, roomId, 1);
    await waitUntil(
      () => page.evaluate(() => (window.__holoroom?.avatars?.() ?? []).filter((avatar) => avatar.visible).length >= 1),
      60_000,
      () => 'timed out waiting for the walking avatar',
    );
    const moving = await measure(page, taskSeconds);
    await context.close();
    return {
      'app.idle_cpu_pct': still.cpuPct,
      'app.idle_fps': still.fps,
      'app.moving_cpu_pct': moving.cpuPct,
      'app.moving_fps': moving.fps,
    };
  } finally {
    avatars?.stop();
    await browser.close();
    await server.stop();
  }
};

export default idleCpu;
