/**
 * Bundle size, two ways.
 *
 * Measured in Chromium (e2e/harness/load-weight.ts, docs/performance.md LOAD1):
 * a first visit to a room link with an empty cache, every response fetched
 * before the room marks itself interactive, weighed as the server sends it
 * with gzip and with brotli:
 *   bundle.room_interactive_js_gzip_bytes / _js_brotli_bytes   JavaScript only
 *   bundle.room_interactive_all_gzip_bytes / _all_brotli_bytes HTML, JS, CSS, wasm, JSON, icons
 *   bundle.room_interactive_requests                           how many requests that took
 *   bundle.room_panels_js_gzip_bytes / _all_gzip_bytes         the same up to the panels' first paint (LOAD14)
 *   bundle.landing_all_gzip_bytes / _js_gzip_bytes / _all_brotli_bytes  the start page alone
 *
 *
 * Time to interactive, navigation start to `frameStats.interactiveAt`, one
 * run each (bytes dominate; the machine may be shared):
 *   app.tti_cold_ms / app.tti_cached_ms                  loopback, a fresh context / the same context again (HTTP cache)
 *   app.tti_slow4g_cold_ms / app.tti_slow4g_cached_ms    the same under the DevTools protocol's network throttling
 *                                                        (1.6 Mbps down, 750 kbps up, 150 ms round trip) and 4x CPU slowdown
 *   app.room_interactive_ms / app.panels_ready_ms        the first visit above: to interactive and to the
 *                                                        panels' first paint (`holoroom:panels-ready`, LOAD14)
 *
 * From the chunk files (Vite's manifest), gzip level 9 as the server's
 * precompressed `.gz` files are:
 *   bundle.initial_js_gzip_bytes   the entry chunk, the room page's boot chunk and their static imports
 *   bundle.total_js_gzip_bytes     every .js file of the build
 *   bundle.shipped_js_gzip_bytes   the same (it left out the test-only XR emulator's chunks until LOAD26 took
 *                                  the emulator out of the build; kept for the series)
 *   bundle.room_chunk_min_bytes    the room page chunk, minified, uncompressed
 *   bundle.wasm_gzip_bytes         the parser
 *   bundle.physics_wasm_gzip_bytes the physics engine's WebAssembly (its glue is a .js file, in the
 *                                  shipped figure; docs/performance.md LOAD23)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { launchBrowser, waitUntil } from '../e2e/harness/browser.ts';
import { shippedScripts } from '../e2e/harness/built-app.ts';
import { describeLoad, measureLoad, total } from '../e2e/harness/load-weight.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import type { Benchmark } from './harness/types.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APP = path.join(ROOT, 'build', 'app');

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  src?: string;
}

const gzipBytes = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/** Chunks loaded eagerly from `keys`, following static imports only. */
function staticClosure(manifest: Record<string, ManifestChunk>, keys: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) visit(next);
  };
  for (const key of keys) visit(key);
  return seen;
}

const SLOW_4G = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const SLOW_CPU_RATE = 4;
const TTI_TIMEOUT_MS = 180_000;

/** Milliseconds to interactive for a first visit and a second one in the same context (HTTP cache warm). */
async function timeToInteractive(browser: Browser, origin: string, throttled: boolean): Promise<[number, number]> {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 960, height: 600 } });
  try {
    const page = await context.newPage();
    if (throttled) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW_CPU_RATE });
    }
    const visit = async (room: string) => {
      await page.goto(`${origin}/r/${room}`);
      await waitUntil(
        () => page.evaluate(() => (window.__holoroom?.frameStats.interactiveAt ?? 0) > 0),
        TTI_TIMEOUT_MS,
        () => `${room} never became interactive`,
      );
      return page.evaluate(() => window.__holoroom?.frameStats.interactiveAt ?? Number.NaN);
    };
    const tag = throttled ? 'slow' : 'fast';
    const cold = await visit(`benchtti${tag}cold01`);
    const cached = await visit(`benchtti${tag}cached1`);
    return [cold, cached];
  } finally {
    await context.close();
  }
}

async function measuredInBrowser(): Promise<Record<string, number>> {
  const server = await startServerProcess();
  try {
    const browser = await launchBrowser();
    try {
      const room = await measureLoad(browser, server.url, '/r/benchbundleroom0001', 'room-interactive');
      const landing = await measureLoad(browser, server.url, '/', 'landing-ready');
      console.log(`room link, fetched before interactive (${Math.round(room.readyMs)} ms):\n${describeLoad(room)}`);
      const panels = room.panels;
      if (!panels) throw new Error("the room's panels never painted");
      console.log(
        `room link, fetched before its panels painted (${Math.round(panels.readyMs)} ms):\n${describeLoad(panels)}`,
      );
      console.log(`landing page:\n${describeLoad(landing)}`);
      const [ttiCold, ttiCached] = await timeToInteractive(browser, server.url, false);
      const [slowCold, slowCached] = await timeToInteractive(browser, server.url, true);
      return {
        'bundle.room_interactive_js_gzip_bytes': total(room, 'gzip', 'js'),
        'bundle.room_interactive_js_brotli_bytes': total(room, 'brotli', 'js'),
        'bundle.room_interactive_all_gzip_bytes': total(room, 'gzip'),
        'bundle.room_interactive_all_brotli_bytes': total(room, 'brotli'),
        'bundle.room_interactive_requests': room.fetched.length,
        'bundle.room_panels_js_gzip_bytes': total(panels, 'gzip', 'js'),
        'bundle.room_panels_all_gzip_bytes': total(panels, 'gzip'),
        'app.room_interactive_ms': room.readyMs,
        'app.panels_ready_ms': panels.readyMs,
        'bundle.landing_all_gzip_bytes': total(landing, 'gzip'),
        'bundle.landing_all_brotli_bytes': total(landing, 'brotli'),
        'bundle.landing_js_gzip_bytes': total(landing, 'gzip', 'js'),
        'app.tti_cold_ms': ttiCold,
        'app.tti_cached_ms': ttiCached,
        'app.tti_slow4g_cold_ms': slowCold,
        'app.tti_slow4g_cached_ms': slowCached,
      };
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
}

const bundle: Benchmark = async () => {
  const manifest = JSON.parse(readFileSync(path.join(APP, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const entry = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
  const roomPage = Object.keys(manifest).find((key) => key.endsWith('app/boot/room-page.tsx'));
  if (!entry || !roomPage) throw new Error("manifest lacks the entry or the room page's boot chunk");
  const initial = staticClosure(manifest, [entry, roomPage]);
  let initialBytes = 0;
  for (const key of initial) {
    const file = manifest[key]?.file;
    if (file?.endsWith('.js')) initialBytes += gzipBytes(path.join(APP, file));
  }
  const allJs = listFiles(APP).filter((file) => file.endsWith('.js'));
  const totalBytes = allJs.reduce((sum, file) => sum + gzipBytes(file), 0);
  const shipped = shippedScripts();
  console.log(`all JavaScript shipped (gzip):\n${shipped.map((s) => `${s.gzipBytes} B ${s.path}`).join('\n')}`);
  const shippedBytes = shipped.reduce((sum, script) => sum + script.gzipBytes, 0);
  const roomChunk = manifest[roomPage]?.file;
  if (!roomChunk) throw new Error('manifest lacks the room page file');
  const wasmOf = (source: string) => {
    const file = manifest[source]?.file;
    if (!file) throw new Error(`the manifest lists no ${source}`);
    return path.join(APP, file);
  };
  return {
    ...(await measuredInBrowser()),
    'bundle.initial_js_gzip_bytes': initialBytes,
    'bundle.total_js_gzip_bytes': totalBytes,
    'bundle.shipped_js_gzip_bytes': shippedBytes,
    'bundle.room_chunk_min_bytes': statSync(path.join(APP, roomChunk)).size,
    'bundle.wasm_gzip_bytes': gzipBytes(wasmOf('build/wasm/holoroom_parser.wasm')),
    'bundle.physics_wasm_gzip_bytes': gzipBytes(wasmOf('build/rapier/rapier.wasm')),
  };
};

export default bundle;
