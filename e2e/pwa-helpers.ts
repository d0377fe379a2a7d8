/**
 * Helpers for the service worker tests: wait until a page is controlled and the
 * precache is complete, list what the caches hold, count rendered frames.
 */
import type { Page } from 'playwright-core';
import { waitUntil } from './harness/browser.ts';

/** A room id for a test: valid (8-64 characters), unique per run. */
export function testRoomId(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Resolves once the service worker is active and controls `page` (it claims pages on first install). */
export async function waitForServiceWorker(page: Page, timeoutMs = 30_000): Promise<void> {
  await waitUntil(
    () =>
      page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return registration?.active?.state === 'activated' && navigator.serviceWorker.controller !== null;
      }),
    timeoutMs,
    async () =>
      `service worker not controlling: ${await page.evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        return JSON.stringify({
          registered: Boolean(r),
          installing: r?.installing?.state,
          waiting: r?.waiting?.state,
          active: r?.active?.state,
          controller: Boolean(navigator.serviceWorker.controller),
        });
      })}`,
  );
}

/** Every URL path in the page origin's Cache Storage, by cache name. */
async function cachedPaths(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      out[name] = (await cache.keys()).map((request) => new URL(request.url).pathname);
    }
    return out;
  });
}

/** The paths in Workbox's precache (the cache whose name starts with `workbox-precache`). */
export async function precachedPaths(page: Page): Promise<string[]> {
  const all = await cachedPaths(page);
  const name = Object.keys(all).find((key) => key.startsWith('workbox-precache'));
  return name ? (all[name] ?? []) : [];
}

/** Frames the room has rendered (`window.__holoroom.frameStats`), 0 before the canvas exists. */
function renderedFrames(page: Page): Promise<number> {
  return page.evaluate(() => window.__holoroom?.frameStats?.frames ?? 0);
}

export async function waitForFrames(page: Page, atLeast: number, timeoutMs = 30_000): Promise<void> {
  await waitUntil(
    async () => (await renderedFrames(page)) >= atLeast,
    timeoutMs,
    async () => `only ${await renderedFrames(page)} frames rendered`,
  );
}

/** What the page's WebAssembly parser made of a script: top-level blocks and error count. */
export interface ParseSummary {
  blocks: string[];
  errors: number;
}

/** Parses `script` with the page's parser (the debug handle), or undefined while it is not loaded. */
export function parseWithPageParser(page: Page, script: string): Promise<ParseSummary | undefined> {
  return page.evaluate(async (text) => {
    const pool = await window.__holoroom?.parser();
    if (!pool) return undefined;
    const result = await pool.parse(text);
    return { blocks: result.document.children.map((block) => block.kind), errors: result.errors };
  }, script);
}
