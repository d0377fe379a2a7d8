/**
 * Loading the parser's WebAssembly and the room, first visit versus later
 * visits through the service worker, in real Chromium against the built server.
 *
 *   wasm.load_cold_ms
 *       first visit, the app's own loading code: `compileParser` (Cache Storage
 *       lookup, a miss, fetch over loopback, `WebAssembly.compileStreaming`)
 *       then `instantiateParser`, from app/scene/parser/wasm-module.ts. A fresh
 *       browser context each run (empty HTTP cache, no service worker).
 *   wasm.load_cached_ms
 *       a later visit, the same app code: the precached bytes read from Cache
 *       Storage by the page (app/pwa/cached-response.ts), compiled, instantiated.
 *       The browser is closed and relaunched on the same profile before each
 *       run, so nothing survives in memory (no in-process module cache): only
 *       what Chromium keeps on disk.
 *   wasm.load_sw_fetch_ms
 *       the alternative of a plain `fetch` answered by the service worker's fetch
 *       event from the same precache (one more hop through the worker thread),
 *       compiled by `compileStreaming` and instantiated by the app's `instantiateParser`.
 *   wasm.load_http_cache_ms
 *       the obvious alternative to the service worker: a later visit with the
 *       service worker blocked, the immutable .wasm served by the browser's
 *       HTTP cache (plain `fetch`, as in the line above).
 *   app.first_render_cold_ms / app.first_render_cached_ms
 *       navigation start to the room's first rendered frame
 *       (`window.__holoroom.frameStats.frames` > 0, checked every animation
 *       frame): a fresh context, versus a relaunched profile whose service
 *       worker serves the app shell and code.
 *
 * The wasm is measured on the start page, which does not load the parser
 * itself, by the app's own module (wasm-module.ts bundled from its source,
 * bench/harness/app-module.ts, BENCH1): the room compiles with the same
 * `compileParser` and instantiates with the same `instantiateParser` in each
 * parse worker. Medians over RUNS runs each.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, launchBrowser, waitUntil } from '../e2e/harness/browser.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import { appModuleScript } from './harness/app-module.ts';
import { median } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 9;
const FIRST_FRAME_TIMEOUT_MS = 60_000;
const SETTLE_TIMEOUT_MS = 2_000;
const SETTLE_PAUSE_MS = 300;

declare global {
  interface Window {
    __benchFirstFrameAt?: number;
  }
}

/** Records when the room first rendered, relative to navigation start. */
const FIRST_FRAME_PROBE = `(() => {
  const check = () => {
    if ((window.__holoroom?.frameStats?.frames ?? 0) > 0) window.__benchFirstFrameAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

function parserUrl(): string {
  const manifest = JSON.parse(
    readFileSync(path.join(ROOT, 'build', 'app', '.vite', 'manifest.json'), 'utf8'),
  ) as Record<string, { file: string }>;
  const file = manifest['build/wasm/holoroom_parser.wasm']?.file;
  if (!file) throw new Error('the build has no parser .wasm; run npm run build');
  return `/${file}`;
}

/** Lets the start page finish its own start-up (render, worker registration) so it does not share the timed window. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  await page.evaluate(
    (timeout) => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout })),
    SETTLE_TIMEOUT_MS,
  );
  await new Promise((resolve) => setTimeout(resolve, SETTLE_PAUSE_MS));
}

/** The app's parser module in the page, under this global (bench/harness/app-module.ts). */
const APP_PARSER = '__benchParserModule';

interface AppParserGlobals {
  [APP_PARSER]: typeof import('../app/scene/parser/wasm-module.ts');
}

/**
 * Loads the parser in `page` and returns the milliseconds it took: `app`, the app's
 * `compileParser` (Cache Storage, else fetch); `fetch`, a plain fetch compiled by
 * `compileStreaming`. Both instantiate with the app's `instantiateParser`.
 */
async function timeWasmLoad(page: Page, url: string, source: 'app' | 'fetch', appScript: string): Promise<number> {
  await settle(page);
  await page.evaluate(appScript);
  return page.evaluate(
    async ([wasmUrl, from, global]) => {
      const app = (window as unknown as AppParserGlobals)[global];
      const t0 = performance.now();
      const module =
        from === 'app' ? await app.compileParser(wasmUrl) : await WebAssembly.compileStreaming(fetch(wasmUrl));
      await app.instantiateParser(module);
      return performance.now() - t0;
    },
    [url, source, APP_PARSER] as const,
  );
}

async function timeFirstRender(page: Page, roomUrl: string): Promise<number> {
  await page.addInitScript(FIRST_FRAME_PROBE);
  await page.goto(roomUrl);
  await waitUntil(
    () => page.evaluate(() => window.__benchFirstFrameAt !== undefined),
    FIRST_FRAME_TIMEOUT_MS,
    () => 'the room never rendered a frame',
  );
  return page.evaluate(() => window.__benchFirstFrameAt ?? Number.NaN);
}

function launchProfile(dir: string, serviceWorkers: 'allow' | 'block'): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    serviceWorkers,
    viewport: { width: 960, height: 600 },
  });
}

/** Runs `fn` on a page of a freshly launched browser on `dir`, then closes it. */
async function withProfile<T>(
  dir: string,
  serviceWorkers: 'allow' | 'block',
  fn: (page: Page) => Promise<T>,
): Promise<T> {
  const context = await launchProfile(dir, serviceWorkers);
  try {
    return await fn(context.pages()[0] ?? (await context.newPage()));
  } finally {
    await context.close();
  }
}

async function waitForPrecache(page: Page, wasmUrl: string): Promise<void> {
  await waitUntil(
    () =>
      page.evaluate(async (url) => {
        if (!navigator.serviceWorker.controller) return false;
        for (const name of await caches.keys()) {
          const cache = await caches.open(name);
          if ((await cache.keys()).some((request) => request.url.endsWith(url))) return true;
        }
        return false;
      }, wasmUrl),
    60_000,
    () => 'the service worker did not precache the parser',
  );
}

const pwaLoad: Benchmark = async () => {
  const server = await startServerProcess();
  const wasmUrl = parserUrl();
  const appScript = await appModuleScript('app/scene/parser/wasm-module.ts', APP_PARSER);
  const room = (n: number | string) => `${server.url}/r/benchpwaload${n}`;
  const profiles = [
    mkdtempSync(path.join(tmpdir(), 'holoroom-bench-sw-')),
    mkdtempSync(path.join(tmpdir(), 'hr-http-')),
  ];
  const [swProfile, httpProfile] = profiles as [string, string];
  const cold: number[] = [];
  const coldRender: number[] = [];
  const cached: number[] = [];
  const cachedRender: number[] = [];
  const httpCached: number[] = [];
  const swFetch: number[] = [];
  try {
    const browser = await launchBrowser();
    try {
      for (let run = 0; run < RUNS; run++) {
        const wasmContext = await browser.newContext({ serviceWorkers: 'block' });
        const wasmPage = await wasmContext.newPage();
        await wasmPage.goto(`${server.url}/`);
        cold.push(await timeWasmLoad(wasmPage, wasmUrl, 'app', appScript));
        await wasmContext.close();

        const renderContext = await browser.newContext({ viewport: { width: 960, height: 600 } });
        coldRender.push(await timeFirstRender(await renderContext.newPage(), room(`cold${run}`)));
        await renderContext.close();
      }
    } finally {
      await browser.close();
    }

    // First visits that install the service worker and fill the HTTP cache.
    await withProfile(swProfile, 'allow', async (page) => {
      await page.goto(room('cached'));
      await waitForPrecache(page, wasmUrl);
    });
    await withProfile(httpProfile, 'block', async (page) => {
      await page.goto(`${server.url}/`);
      await timeWasmLoad(page, wasmUrl, 'fetch', appScript);
    });

    for (let run = 0; run < RUNS; run++) {
      cached.push(
        await withProfile(swProfile, 'allow', async (page) => {
          await page.goto(`${server.url}/`);
          if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
            throw new Error('a later visit was not controlled by the service worker');
          }
          return timeWasmLoad(page, wasmUrl, 'app', appScript);
        }),
      );
      swFetch.push(
        await withProfile(swProfile, 'allow', async (page) => {
          await page.goto(`${server.url}/`);
          return timeWasmLoad(page, wasmUrl, 'fetch', appScript);
        }),
      );
      cachedRender.push(await withProfile(swProfile, 'allow', (page) => timeFirstRender(page, room('cached'))));
      httpCached.push(
        await withProfile(httpProfile, 'block', async (page) => {
          await page.goto(`${server.url}/`);
          return timeWasmLoad(page, wasmUrl, 'fetch', appScript);
        }),
      );
    }
  } finally {
    await server.stop();
    for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `wasm cold ${cold.map((v) => v.toFixed(1))}\nwasm cached ${cached.map((v) => v.toFixed(1))}\n` +
      `wasm via service worker fetch ${swFetch.map((v) => v.toFixed(1))}\n` +
      `wasm http cache ${httpCached.map((v) => v.toFixed(1))}\nrender cold ${coldRender.map((v) => v.toFixed(0))}\n` +
      `render cached ${cachedRender.map((v) => v.toFixed(0))}`,
  );
  return {
    'wasm.load_cold_ms': median(cold),
    'wasm.load_cached_ms': median(cached),
    'wasm.load_sw_fetch_ms': median(swFetch),
    'wasm.load_http_cache_ms': median(httpCached),
    'app.first_render_cold_ms': median(coldRender),
    'app.first_render_cached_ms': median(cachedRender),
  };
};

export default pwaLoad;
