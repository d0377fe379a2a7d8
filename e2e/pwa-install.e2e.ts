// Holoroom is installable: Chromium itself (DevTools protocol) reports no
// installability errors, and the manifest carries what an install needs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CHROMIUM_FLAGS, watchPage } from './harness/browser.ts';
import { type ServerProcess, startServerProcess } from './harness/server.ts';
import { waitForServiceWorker } from './pwa-helpers.ts';

let server: ServerProcess;
let profileDir: string;
let context: BrowserContext;

beforeAll(async () => {
  server = await startServerProcess();
  // A real profile: Chromium refuses to install from an incognito context,
  // which is what `browser.newContext()` gives.
  profileDir = mkdtempSync(path.join(tmpdir(), 'holoroom-profile-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
});
afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test('[PWA10] Chromium reports no installability errors for the app and its manifest', async () => {
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(`${server.url}/`);
  await waitForServiceWorker(page);

  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);

  const { url, errors, data } = await cdp.send('Page.getAppManifest');
  expect(url).toBe(`${server.url}/manifest.webmanifest`);
  expect(errors).toEqual([]);
  const manifest = JSON.parse(data ?? '{}') as Record<string, unknown> & { icons: ManifestIcon[] };
  expect(manifest).toMatchObject({
    name: 'Holoroom',
    short_name: 'Holoroom',
    display: 'standalone',
    start_url: '/',
    scope: '/',
    theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/),
    background_color: expect.stringMatching(/^#[0-9a-f]{6}$/),
  });
  expect(String(manifest.description).length).toBeGreaterThan(20);

  // 192 and 512 pixel PNGs, plain and maskable, that really are that size.
  for (const purpose of ['any', 'maskable']) {
    const sizes = manifest.icons.filter((icon) => icon.type === 'image/png' && icon.purpose === purpose);
    expect(sizes.map((icon) => icon.sizes).sort()).toEqual(['192x192', '512x512']);
    for (const icon of sizes) {
      const response = await fetch(new URL(icon.src, server.url));
      expect(response.headers.get('content-type')).toBe('image/png');
      const [width, height] = pngSize(Buffer.from(await response.arrayBuffer()));
      expect(`${width}x${height}`).toBe(icon.sizes);
    }
  }
  expect(watch.errors).toEqual([]);
});
