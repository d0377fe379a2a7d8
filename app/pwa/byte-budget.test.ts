import { describe, expect, it } from 'vitest';
import { type BudgetCache, enforceByteBudget, oldestToEvict, responseToCache, SIZE_HEADER } from './byte-budget.ts';

const body = (bytes: number) => new Uint8Array(bytes).fill(7);

/** An in-memory Cache with the insertion order `Cache.keys()` has. */
function memoryCache(): BudgetCache & { put(url: string, response: Response): void; urls(): string[] } {
  const entries = new Map<string, Response>();
  return {
    put(url, response) {
      entries.delete(url);
      entries.set(url, response);
    },
    urls: () => [...entries.keys()],
    keys: async () => [...entries.keys()].map((url) => new Request(url)),
    match: async (request) => entries.get(request.url)?.clone(),
    delete: async (request) => entries.delete(request.url),
  };
}

describe('media cache byte budget', () => {
  it('[PWA4] stores complete 200 responses with their decoded size', async () => {
    const stored = await responseToCache(new Response(body(1000), { status: 200 }), 4096);
    expect(stored?.headers.get(SIZE_HEADER)).toBe('1000');
    expect((await stored?.arrayBuffer())?.byteLength).toBe(1000);
  });

  it('[PWA4] refuses partial content, errors and files over the per-file limit', async () => {
    expect(await responseToCache(new Response(body(10), { status: 206 }), 4096)).toBeNull();
    expect(await responseToCache(new Response('nope', { status: 404 }), 4096)).toBeNull();
    expect(await responseToCache(new Response(body(5000), { status: 200 }), 4096)).toBeNull();
    const declared = new Response(body(10), { status: 200, headers: { 'content-length': '999999' } });
    expect(await responseToCache(declared, 4096)).toBeNull();
  });

  it('[PWA4] evicts the oldest entries until the rest fit', () => {
    expect(oldestToEvict([10, 20, 30], 60)).toEqual([]);
    expect(oldestToEvict([10, 20, 30], 59)).toEqual([0]);
    expect(oldestToEvict([10, 20, 30], 30)).toEqual([0, 1]);
    expect(oldestToEvict([10, 20, 30], 0)).toEqual([0, 1, 2]);
  });

  it('[PWA4] keeps a cache under its total budget, dropping the oldest files', async () => {
    const cache = memoryCache();
    for (const [name, size] of [
      ['a', 400],
      ['b', 300],
      ['c', 200],
      ['d', 300],
    ] as const) {
      const stored = await responseToCache(new Response(body(size), { status: 200 }), 1000);
      if (!stored) throw new Error('expected to be cached');
      cache.put(`https://h/${name}.glb`, stored);
    }
    expect(await enforceByteBudget(cache, 550)).toBe(2);
    expect(cache.urls()).toEqual(['https://h/c.glb', 'https://h/d.glb']);
    expect(await enforceByteBudget(cache, 550)).toBe(0);
  });
});
