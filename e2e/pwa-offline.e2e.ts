// The service worker precaches the app (with its WebAssembly parser), so a room
// link opens with the server stopped: the room renders, the parser parses, the
// page says it is offline, and it reconnects when the server comes back.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, newContext, saveScreenshot, waitUntil, watchPage } from './harness/browser.ts';
import { builtFiles, physicsEngineFiles } from './harness/built-app.ts';
import { type ServerProcess, startServerProcess } from './harness/server.ts';
import { measureLayout } from './layout-helpers.ts';
import { parseWithPageParser, precachedPaths, testRoomId, waitForFrames, waitForServiceWorker } from './pwa-helpers.ts';

/** Files under `dir`, relative and with `/` separators; none when it does not exist. */
function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_MANIFEST = path.join(ROOT, 'build', 'app', '.vite', 'manifest.json');
const BUILT_WORKER = path.join(ROOT, 'build', 'app', 'sw.js');

/** The paths in one named cache of the page's origin. */
function cachePaths(p: Page, cacheName: string): Promise<string[]> {
  return p.evaluate(async (name) => {
    if (!(await caches.has(name))) return [];
    const cache = await caches.open(name);
    return (await cache.keys()).map((request) => new URL(request.url).pathname);
  }, cacheName);
}

let server: ServerProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let port: number;
const roomId = testRoomId('e2eoffline');
const marker = `written before going offline ${roomId}`;
const offlineEdit = `written while offline ${roomId}`;

beforeAll(async () => {
  server = await startServerProcess();
  port = Number(new URL(server.url).port);
  browser = await launchBrowser();
  context = await newContext(browser, { name: 'Wanderer' });
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

/**
 * PWA11, PWA12: what the offline room tells the person: no raw error, the people
 * panel says it is offline, and nothing lies over the offline notice.
 */
async function expectOfflineWording(p: Page): Promise<void> {
  const text = await p.evaluate(() => document.getElementById('root')?.textContent ?? '');
  expect(text).not.toMatch(/config\.json|Failed to fetch/i);
  expect(text).not.toMatch(/Nobody else is here yet/);
  expect(await p.getByTestId('presence-offline').textContent()).toMatch(/You are offline/);
  const layout = await measureLayout(p);
  expect(layout.boxes.some((box) => box.name.includes('offline-notice'))).toBe(true);
  expect(layout.overlaps.filter((pair) => pair.includes('offline-notice'))).toEqual([]);
  expect(layout.overlaps).toEqual([]);
}

/** Read in one step: the notice can disappear between two locator calls. */
function offlineNotice(p: Page): Promise<{ visible: boolean; reason?: string | null; text?: string | null }> {
  return p.evaluate(() => {
    const notice = document.querySelector('[data-testid="offline-notice"]');
    if (!notice) return { visible: false };
    return { visible: true, reason: notice.getAttribute('data-reason'), text: notice.textContent };
  });
}

/** Waits until the page's offline notice is gone (the page is online again). */
async function waitForOnlineNotice(p: Page, timeoutMs: number): Promise<void> {
  await waitUntil(
    async () => !(await offlineNotice(p)).visible,
    timeoutMs,
    async () => `still offline: ${JSON.stringify(await offlineNotice(p))}`,
  );
}

async function waitForParser(p: Page): Promise<void> {
  await waitUntil(
    () =>
      p.evaluate(
        async () =>
          (await window.__holoroom?.parser().then(
            () => true,
            () => false,
          )) === true,
      ),
    20_000,
    () => 'the wasm parser did not load',
  );
}

describe('offline rooms', () => {
  test('[PWA1] the service worker registers and precaches the shell, the wasm parser and the icons, but no maps or compressed twins', async () => {
    const watch = watchPage(page);
    await page.goto(`${server.url}/r/${roomId}`);
    await waitForFrames(page, 3);
    await waitForServiceWorker(page);

    const manifest = JSON.parse(readFileSync(BUILD_MANIFEST, 'utf8')) as Record<string, { file: string }>;
    const wasm = manifest['build/wasm/holoroom_parser.wasm']?.file;
    const roomChunk = Object.entries(manifest).find(([source]) => source.endsWith('app/boot/room-page.tsx'))?.[1].file;
    expect(wasm).toMatch(/^assets\/holoroom_parser-.+\.wasm$/);

    await waitUntil(
      async () => (await precachedPaths(page)).includes(`/${wasm}`),
      20_000,
      async () => `precache holds ${(await precachedPaths(page)).join(', ')}`,
    );
    const paths = await precachedPaths(page);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/index.html',
        `/${wasm}`,
        `/${roomChunk}`,
        '/manifest.webmanifest',
        '/favicon.svg',
        '/icons/icon-192.png',
        '/icons/icon-maskable-512.png',
      ]),
    );
    // The default scenes and what they ship with, whatever public/scenes/ holds today.
    const sceneFiles = listFiles(path.join(ROOT, 'build', 'app', 'scenes')).filter((file) => !/\.(br|gz)$/.test(file));
    expect(sceneFiles).toContain('lobby.holo');
    expect(paths).toEqual(expect.arrayContaining(sceneFiles.map((file) => `/scenes/${file}`)));
    for (const entry of paths) expect(entry).not.toMatch(/\.(map|br|gz)$/);

    // Something of this room that only this device's copy (IndexedDB) will hold once the server is gone.
    await page.evaluate((text) => window.__holoroom?.session?.room.editScript(0, 0, text), `// ${marker}\n`);

    // The worker script itself must be revalidated on every update check (STATIC2).
    const sw = await fetch(`${server.url}/sw.js`);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(watch.errors).toEqual([]);
  });

  test('[PWA13][PHYS9][LOAD23] the physics engine is not precached; a room with a body caches it on first use, and then loads it offline', async () => {
    // LOAD23: the engine is two files, its glue and its WebAssembly, one of each for the physics worker
    // (PHYS9) and the main thread's fallback for pages without Worker.
    const engines = readdirSync(path.join(ROOT, 'build', 'app', 'assets'))
      .filter((name) => /^rapier-.+\.(js|wasm)$/.test(name))
      .map((name) => `assets/${name}`);
    const { glue, wasm } = physicsEngineFiles();
    expect(engines.map((engine) => `/${engine}`).sort()).toEqual([glue, wasm].sort());
    // The precache list built into the service worker, and what it installed, leave both out.
    const worker = readFileSync(BUILT_WORKER, 'utf8');
    expect(worker).toContain(builtFiles(/^build\/wasm\/holoroom_parser\.wasm$/)[0]?.slice(1) ?? 'no parser');
    const precached = await precachedPaths(page);
    for (const engine of engines) {
      expect(worker).not.toContain(engine);
      expect(precached).not.toContain(`/${engine}`);
    }
    expect(await cachePaths(page, 'holoroom-code')).toEqual([]);

    // A body in the scene: the room starts the physics worker, which loads the engine; the service worker keeps it.
    await page.evaluate(() => {
      const room = window.__holoroom?.session?.room;
      room?.editScript(
        room.scriptText().length,
        0,
        '\nobject "Crate" @physics { geometry: "box"; size: 0.3; position: [0, 0.15, -2] }\n',
      );
    });
    await waitUntil(
      () => page.evaluate(() => window.__holoroom?.physics?.ready === true),
      60_000,
      () => 'the physics engine did not load',
    );
    expect(await page.evaluate(() => window.__holoroom?.physics?.stats.host)).toBe('worker');
    await waitUntil(
      async () => {
        const cached = await cachePaths(page, 'holoroom-code');
        return engines.every((engine) => cached.includes(`/${engine}`));
      },
      20_000,
      async () => `holoroom-code holds ${await cachePaths(page, 'holoroom-code')}`,
    );

    // Offline, without the HTTP cache: only the worker's cache can give the engine to the reloaded room.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
    await context.setOffline(true);
    try {
      await page.reload();
      await waitForFrames(page, 3);
      await waitUntil(
        () => page.evaluate(() => window.__holoroom?.physics?.ready === true),
        60_000,
        async () => `physics offline: ${await page.evaluate(() => JSON.stringify(window.__holoroom?.physics?.stats))}`,
      );
    } finally {
      await context.setOffline(false);
    }
    await waitForOnlineNotice(page, 20_000);
  });

  test('[PWA2][PWA8][PWA11][PWA12] with the server stopped, a reload renders the room, parses a script and says it is offline', async () => {
    await server.stop();
    // Without the HTTP cache, the service worker's precache is the only copy of the app and its parser.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
    await page.reload();
    await waitForFrames(page, 5);
    await waitForParser(page);
    expect(await parseWithPageParser(page, 'composition "Offline" {\n  object "A" { color: "#ff0000" }\n}\n')).toEqual({
      blocks: ['Composition'],
      errors: 0,
    });
    await waitUntil(
      async () => (await offlineNotice(page)).visible,
      10_000,
      () => 'no offline notice',
    );
    const notice = await offlineNotice(page);
    expect(notice.reason).toBe('server-unreachable');
    await expectOfflineWording(page);
    // The room shows this device's copy: the script edit made online is there, in the editor too.
    await waitUntil(
      () =>
        page.evaluate((text) => {
          const session = window.__holoroom?.session;
          return session?.status.get().localLoaded === true && session.room.scriptText().includes(text);
        }, marker),
      10_000,
      () => 'the local copy of the room did not load',
    );
    await saveScreenshot(page, 'pwa-offline-room.png');
    if ((await page.getByTestId('script-editor').count()) === 0) await page.getByTestId('script-open').click();
    await waitUntil(
      async () => ((await page.getByTestId('script-editor').textContent()) ?? '').includes(marker),
      10_000,
      () => 'the editor does not show the local copy',
    );
    // Work goes on offline; it must reach the others once the server is back.
    await page.evaluate((text) => window.__holoroom?.session?.room.editScript(0, 0, text), `// ${offlineEdit}\n`);
    expect(notice.text).toMatch(/showing your local copy; reconnects when the network returns/);
  });

  test('[PWA2] a room link never opened before also opens offline', async () => {
    const other = await context.newPage();
    await other.goto(`${server.url}/r/${testRoomId('e2efresh')}`);
    await waitForFrames(other, 3);
    await waitUntil(
      async () => (await offlineNotice(other)).visible,
      10_000,
      () => 'no offline notice',
    );
    await other.close();
  });

  test('[PWA8] when the server returns, the notice goes, the room reconnects and syncs what was done offline', async () => {
    server = await startServerProcess({ port });
    await waitForOnlineNotice(page, 30_000);
    await waitUntil(
      async () => (await page.getByTestId('connection').getAttribute('data-state')) === 'connected',
      20_000,
      async () => `connection badge: ${await page.getByTestId('connection').getAttribute('data-state')}`,
    );
    // The restarted server has a fresh data directory: the room can only come from this page's copy.
    const newcomer = await newContext(browser, { name: 'Newcomer' });
    try {
      const other = await newcomer.newPage();
      await other.goto(`${server.url}/r/${roomId}`);
      const script = () => other.evaluate(() => window.__holoroom?.session?.room.scriptText() ?? '');
      await waitUntil(
        async () => (await script()).includes(marker) && (await script()).includes(offlineEdit),
        30_000,
        async () => `the newcomer sees ${JSON.stringify((await script()).slice(0, 200))}`,
      );
    } finally {
      await newcomer.close();
    }
  });

  test('[PWA8][PWA11][PWA12] without any network the room still opens and says "Offline"; it comes back with the network', async () => {
    await context.setOffline(true);
    try {
      await page.reload();
      await waitForFrames(page, 3);
      await waitUntil(
        async () => (await offlineNotice(page)).reason === 'device-offline',
        10_000,
        async () => `notice: ${JSON.stringify(await offlineNotice(page))}`,
      );
      expect((await offlineNotice(page)).text).toMatch(/^Offline, showing your local copy/);
      await expectOfflineWording(page);
      await saveScreenshot(page, 'pwa-offline-device.png');
    } finally {
      await context.setOffline(false);
    }
    await waitForOnlineNotice(page, 20_000);
  });
});
