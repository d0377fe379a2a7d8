/**
 * A byte budget for a runtime cache (PWA4). Workbox's ExpirationPlugin caps
 * entries by count and age but not by size, and one 3D model can weigh as much
 * as a hundred textures, so the media cache also refuses single files over a
 * limit and evicts its oldest entries when the total passes a budget.
 *
 * Each cached response carries its decoded size in `SIZE_HEADER`, so keeping
 * the budget reads headers only, never bodies.
 *
 * Plain TypeScript on the Fetch and Cache APIs: the service worker glues it to
 * Workbox (service-worker/byte-budget-plugin.ts); Node tests run it directly.
 */
export const SIZE_HEADER = 'X-Holoroom-Bytes';

/**
 * The response to store, or null when it must not be cached: anything but a
 * complete 200 (partial content, errors, redirects) or a body over `maxEntryBytes`.
 */
export async function responseToCache(response: Response, maxEntryBytes: number): Promise<Response | null> {
  if (response.status !== 200 || response.type === 'opaque') return null;
  const declared = Number(response.headers.get('content-length'));
  // The declared length is the encoded size; a body under the limit on the
  // wire can still grow when decoded, so the decoded size is checked below too.
  if (Number.isFinite(declared) && declared > maxEntryBytes) return null;
  const body = await response.clone().blob();
  if (body.size > maxEntryBytes) return null;
  const headers = new Headers(response.headers);
  headers.set(SIZE_HEADER, String(body.size));
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * Indices of the entries to evict, oldest first, so that the rest fit in
 * `maxTotalBytes`. `sizes` is in insertion order (the order `Cache.keys()` returns).
 */
export function oldestToEvict(sizes: readonly number[], maxTotalBytes: number): number[] {
  let total = sizes.reduce((sum, size) => sum + size, 0);
  const evict: number[] = [];
  for (let i = 0; i < sizes.length && total > maxTotalBytes; i++) {
    total -= sizes[i] ?? 0;
    evict.push(i);
  }
  return evict;
}

/** The part of the Cache API the budget needs. */
export interface BudgetCache {
  keys(): Promise<readonly Request[]>;
  match(request: Request): Promise<Response | undefined>;
  delete(request: Request): Promise<boolean>;
}

/** Deletes the oldest entries of `cache` until it fits `maxTotalBytes`; returns how many went. */
export async function enforceByteBudget(cache: BudgetCache, maxTotalBytes: number): Promise<number> {
  const requests = await cache.keys();
  const sizes = await Promise.all(
    requests.map(async (request) => {
      // Every entry is written through responseToCache; one without the header
      // counts as empty and is still bounded by the cache's entry count.
      const size = Number((await cache.match(request))?.headers.get(SIZE_HEADER) ?? 0);
      return Number.isFinite(size) && size > 0 ? size : 0;
    }),
  );
  const evict = oldestToEvict(sizes, maxTotalBytes);
  for (const index of evict) {
    const request = requests[index];
    if (request) await cache.delete(request);
  }
  return evict.length;
}
