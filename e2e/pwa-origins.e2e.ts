// A whole session (start page, room, emulated VR with controller models)
// requests nothing from any origin but the app's own: no CDN, no font host,
// no public STUN or signaling server. Every request of the pages, their
// workers and the service worker is recorded.
import type { Browser, BrowserContext, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, newContext, waitUntil, watchPage } from './harness/browser.ts';
import { type ServerProcess, startServerProcess } from './harness/server.ts';
import { precachedPaths, testRoomId, waitForFrames, waitForServiceWorker } from './pwa-helpers.ts';

let server: ServerProcess;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  server = await startServerProcess();
  browser = await launchBrowser();
  context = await newContext(browser, { name: 'Visitor', headset: true });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

interface Recorded {
  url: string;
  fromServiceWorker: boolean;
}

/** URLs that never leave the page: inline data and object URLs. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:']);

function recordEverything(ctx: BrowserContext): Recorded[] {
  const seen: Recorded[] = [];
  const seenRequests = new WeakSet<Request>();
  const add = (request: Request) => {
    if (seenRequests.has(request)) return;
    seenRequests.add(request);
    seen.push({ url: request.url(), fromServiceWorker: request.serviceWorker() !== null });
  };
  // The context sees its pages' requests and its service worker's.
  ctx.on('request', add);
  ctx.on('page', (page) => {
    page.on('request', add);
    page.on('websocket', (socket) => seen.push({ url: socket.url(), fromServiceWorker: false }));
  });
  return seen;
}

function foreign(recorded: Recorded[], origin: string): string[] {
  const wsOrigin = origin.replace(/^http/, 'ws');
  return recorded
    .map((entry) => entry.url)
    .filter((url) => {
      const parsed = new URL(url);
      if (LOCAL_SCHEMES.has(parsed.protocol)) return false;
      return parsed.origin !== origin && parsed.origin !== wsOrigin;
    });
}

test('[PWA9] a session with emulated VR and controller models requests nothing from another origin', async () => {
  const recorded = recordEverything(context);
  const page = await context.newPage();
  const watch = watchPage(page);

  await page.goto(`${server.url}/`);
  await waitForServiceWorker(page);
  await page.goto(`${server.url}/r/${testRoomId('e2eorigins')}`);
  await waitForFrames(page, 3);
  await waitUntil(
    async () => (await precachedPaths(page)).some((entry) => entry.endsWith('.wasm')),
    20_000,
    () => 'precache not filled',
  );

  await page.getByRole('button', { name: 'Enter VR' }).click();
  await waitUntil(
    () => page.evaluate(() => (window.__holoroom?.frameStats?.xrFrames ?? 0) > 30),
    30_000,
    async () => `xrFrames=${await page.evaluate(() => window.__holoroom?.frameStats?.xrFrames)}; ${watch.errors}`,
  );
  // The emulated Quest 3 controllers get their profile and glTF models, from us.
  const fromProfiles = () => recorded.filter((entry) => new URL(entry.url).pathname.startsWith('/xr-profiles/'));
  await waitUntil(
    async () => fromProfiles().some((entry) => entry.url.endsWith('.glb')),
    30_000,
    () =>
      `no controller model was requested from /xr-profiles/ (saw ${fromProfiles().map((e) => e.url)}); ${watch.errors}`,
  );
  expect(fromProfiles().map((entry) => new URL(entry.url).pathname)).toContain('/xr-profiles/profilesList.json');
  await page.evaluate(() => window.__holoroom?.xrStore?.getState().session?.end());

  // The recording covers the service worker too (its precache downloads).
  expect(recorded.some((entry) => entry.fromServiceWorker)).toBe(true);
  expect(foreign(recorded, server.url)).toEqual([]);
  expect(recorded.length).toBeGreaterThan(10);
});
