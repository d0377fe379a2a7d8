/**
 * What a first visit downloads before a page is usable, measured in Chromium
 * (docs/performance.md, LOAD1): every request the page and its workers start
 * until the room marks itself interactive (`frameStats.interactiveAt`, the
 * `holoroom:room-interactive` performance mark), or until the landing page
 * shows its "Create a room" button and the network is idle. A room's load is
 * also weighed up to its panels' first paint (the `holoroom:panels-ready`
 * mark, LOAD14), which comes after: "interactive" is the 3D view with its
 * input, not yet the panels.
 *
 * Each URL the browser fetched is then requested again from Node with
 * `Accept-Encoding: gzip` and with `br`, and the body bytes the server sends
 * are counted: the sizes "as served" (the server's precompressed files, or
 * the identity body where it has none), whatever encoding Chromium itself
 * negotiated on plain http.
 *
 * Used by bench/bundle.bench.ts (the figures) and e2e/bundle-budget.e2e.ts
 * (the budget).
 */
import { request as httpRequest } from 'node:http';
import type { Browser, Request } from 'playwright-core';
import { waitUntil } from './browser.ts';

const INTERACTIVE_TIMEOUT_MS = 60_000;
const SETTLE_TIMEOUT_MS = 10_000;

export type ResourceKind = 'js' | 'css' | 'html' | 'wasm' | 'json' | 'font' | 'image' | 'other';

export interface Fetched {
  /** Path and query on the server. */
  path: string;
  kind: ResourceKind;
  /** Body bytes as served with `Accept-Encoding: gzip`. */
  gzip: number;
  /** Body bytes as served with `Accept-Encoding: br`. */
  brotli: number;
  /** Body bytes uncompressed. */
  identity: number;
}

export interface LoadWeight {
  fetched: Fetched[];
  /** Milliseconds from navigation start to interactive (or to the landing page's settle). */
  readyMs: number;
  /** A room: everything fetched before its panels' first paint (LOAD14), and when that was. */
  panels?: { fetched: Fetched[]; readyMs: number };
}

const PANELS_READY_MARK = 'holoroom:panels-ready';

function kindOf(path: string, contentType: string): ResourceKind {
  const type = contentType.toLowerCase();
  if (type.includes('javascript')) return 'js';
  if (type.includes('css')) return 'css';
  if (type.includes('html')) return 'html';
  if (type.includes('wasm')) return 'wasm';
  if (type.includes('json')) return 'json';
  if (type.startsWith('font/') || /\.(woff2?|ttf|otf)$/.test(path)) return 'font';
  if (type.startsWith('image/')) return 'image';
  return 'other';
}

/** Body bytes the server sends for `path` with the given Accept-Encoding, and its content type. */
function servedBytes(origin: string, path: string, encoding: string): Promise<{ bytes: number; type: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, origin), { headers: { 'accept-encoding': encoding } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ bytes, type: String(res.headers['content-type'] ?? '') }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Loads `path` in a fresh context (empty cache, no service worker) and weighs what it fetched before it was ready. */
export async function measureLoad(
  browser: Browser,
  origin: string,
  path: string,
  until: 'room-interactive' | 'landing-ready',
): Promise<LoadWeight> {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 960, height: 600 } });
  try {
    const started: Request[] = [];
    let done = false;
    context.on('request', (request) => {
      if (!done) started.push(request);
    });
    const page = await context.newPage();
    await page.goto(new URL(path, origin).href);
    if (until === 'room-interactive') {
      await waitUntil(
        () => page.evaluate(() => (window.__holoroom?.frameStats.interactiveAt ?? 0) > 0),
        INTERACTIVE_TIMEOUT_MS,
        () => 'the room never became interactive',
      );
      await waitUntil(
        () => page.evaluate((mark) => performance.getEntriesByName(mark, 'mark').length > 0, PANELS_READY_MARK),
        INTERACTIVE_TIMEOUT_MS,
        () => `the room's panels never painted (no ${PANELS_READY_MARK} mark)`,
      );
    } else {
      await page.getByRole('button', { name: 'Create a room' }).waitFor();
      await page.waitForLoadState('networkidle');
    }
    done = true;
    const { readyMs, panelsMs, timeOrigin } = await page.evaluate(
      ({ mode, panelsMark }) => {
        const at =
          mode === 'room-interactive' ? (window.__holoroom?.frameStats.interactiveAt ?? Number.NaN) : performance.now();
        const panels = performance.getEntriesByName(panelsMark, 'mark')[0]?.startTime;
        return { readyMs: at, panelsMs: panels, timeOrigin: performance.timeOrigin };
      },
      { mode: until, panelsMark: PANELS_READY_MARK },
    );
    // Requests started before a mark count even if they finish just after it.
    await Promise.race([
      Promise.all(started.map((request) => request.response().catch(() => null))),
      new Promise((resolve) => setTimeout(resolve, SETTLE_TIMEOUT_MS)),
    ]);
    const fetched = await weigh(origin, started, timeOrigin + readyMs);
    if (panelsMs === undefined) return { fetched, readyMs };
    return {
      fetched,
      readyMs,
      panels: { fetched: await weigh(origin, started, timeOrigin + panelsMs), readyMs: panelsMs },
    };
  } finally {
    await context.close();
  }
}

/**
 * The resources of `origin` the page started before `at` (epoch milliseconds), as served. Those it
 * started after the mark, before this test saw it (what loads once the room is interactive, LOAD9),
 * do not count; a request whose start the browser did not report counts.
 */
async function weigh(origin: string, started: Request[], at: number): Promise<Fetched[]> {
  const paths = new Set<string>();
  for (const request of started) {
    if (request.timing().startTime > at) continue;
    const url = new URL(request.url());
    if (url.origin !== origin || !['GET'].includes(request.method())) continue;
    // WebSocket upgrades (signaling, sync, relay) are connections, not downloads.
    if (request.resourceType() === 'websocket') continue;
    paths.add(url.pathname + url.search);
  }
  const fetched: Fetched[] = [];
  for (const p of [...paths].sort()) {
    const [gzip, brotli, identity] = await Promise.all([
      servedBytes(origin, p, 'gzip'),
      servedBytes(origin, p, 'br'),
      servedBytes(origin, p, 'identity'),
    ]);
    fetched.push({
      path: p,
      kind: kindOf(p, identity.type),
      gzip: gzip.bytes,
      brotli: brotli.bytes,
      identity: identity.bytes,
    });
  }
  return fetched;
}

/** Sums one encoding over the fetched resources, optionally of one kind. */
export function total(
  weight: Pick<LoadWeight, 'fetched'>,
  encoding: 'gzip' | 'brotli' | 'identity',
  kind?: ResourceKind,
): number {
  return weight.fetched.filter((f) => kind === undefined || f.kind === kind).reduce((sum, f) => sum + f[encoding], 0);
}

/** One line per resource, largest first: what a budget failure prints. */
export function describeLoad(weight: Pick<LoadWeight, 'fetched'>): string {
  return [...weight.fetched]
    .sort((a, b) => b.gzip - a.gzip)
    .map(
      (f) =>
        `${String(f.gzip).padStart(9)} B gzip  ${String(f.brotli).padStart(9)} B br  ${f.kind.padEnd(5)} ${f.path}`,
    )
    .join('\n');
}
