// How the benchmarks' Chromium composites (docs/performance.md, "The drawing page's main thread"):
// in software by default, as every browser test runs it, and on the GPU process (SwiftShader) in
// the benchmarks' `_gpu_compositing` mode, where the room is still drawn and on screen.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  chromiumFlags,
  compositingInfo,
  expectCompositing,
  launchBrowser,
  newContext,
  saveScreenshot,
  waitUntil,
  watchPage,
} from './harness/browser.ts';
import { pixelStats } from './harness/pixels.ts';
import { type ServerProcess, startServerProcess } from './harness/server.ts';
import { colorStats, frames, RED, waitForScene } from './scene-helpers.ts';

const TEST_TIMEOUT_MS = 180_000;
/** The page's own background colour (#0f1720): what an unrendered canvas shows. */
const PAGE_BACKGROUND: [number, number, number] = [0x0f, 0x17, 0x20];

let server: ServerProcess | undefined;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => {
  await server?.stop();
});

async function withBrowser<T>(launch: { compositing?: 'gpu' }, run: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser([], launch);
  try {
    return await run(browser);
  } finally {
    await browser.close();
  }
}

test('Chromium composites in software by default and on its GPU process (SwiftShader) when asked', async () => {
  expect(chromiumFlags()).toContain('--disable-gpu');
  expect(chromiumFlags({ compositing: 'gpu' })).not.toContain('--disable-gpu');
  const software = await withBrowser({}, compositingInfo);
  expect(software.gpuCompositing).toBe('disabled_software');
  const gpu = await withBrowser({ compositing: 'gpu' }, compositingInfo);
  expect(gpu.gpuCompositing).toBe('enabled');
  // WebGL2 is there in both, drawn by SwiftShader (this machine has no GPU).
  expect(software.webglRenderer).toContain('SwiftShader');
  expect(gpu.webglRenderer).toContain('SwiftShader');
  // The benchmarks' check refuses a browser that composites otherwise than asked.
  await expect(withBrowser({}, (browser) => expectCompositing(browser, { compositing: 'gpu' }))).rejects.toThrow(
    /gpu_compositing is disabled_software, not enabled/,
  );
});

test(
  'with GPU compositing the lobby is drawn and on screen',
  async () => {
    await withBrowser({ compositing: 'gpu' }, async (browser) => {
      await expectCompositing(browser, { compositing: 'gpu' });
      const context = await newContext(browser, { name: 'Painter' });
      const page = await context.newPage();
      const { errors } = watchPage(page);
      await page.goto(`${server?.url}/r/e2egpu${Date.now().toString(36)}`);
      await waitUntil(
        () => page.evaluate(() => (window.__holoroom?.frameStats?.frames ?? 0) > 0),
        60_000,
        () => `the room did not start; ${errors.join('; ')}`,
      );
      await waitForScene(page, (scene) => scene.title === 'Lobby' && scene.drawn === scene.ids.length);
      await frames(page, 10);
      const png = await saveScreenshot(page, 'compositing-gpu-lobby.png');
      const stats = await pixelStats(browser, png, PAGE_BACKGROUND);
      expect(stats.nonBackground).toBeGreaterThan(0.6);
      expect(stats.distinctColors).toBeGreaterThan(40);
      // The lobby's red lamp switch and block are in the composited picture.
      const colours = await colorStats(browser, png, [RED]);
      expect(colours.fractions[0]).toBeGreaterThan(0.001);
      expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
      await context.close();
    });
  },
  TEST_TIMEOUT_MS,
);
