import { describe, expect, it } from 'vitest';
import { type CacheLookup, cachedOrFetch } from './cached-response.ts';

const WASM_HEADER = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

function lookup(entries: Record<string, Response>): CacheLookup & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    match: async (url) => {
      asked.push(url);
      return entries[url]?.clone();
    },
  };
}

const network = (calls: string[]) => async (input: RequestInfo | URL) => {
  calls.push(String(input));
  return new Response(WASM_HEADER, { headers: { 'content-type': 'application/wasm' } });
};

describe('cachedOrFetch', () => {
  it('answers from Cache Storage without touching the network when the file is precached', async () => {
    const calls: string[] = [];
    const cache = lookup({
      '/assets/p-abc.wasm': new Response(WASM_HEADER, { headers: { 'content-type': 'application/wasm' } }),
    });
    const response = await cachedOrFetch('/assets/p-abc.wasm', cache, network(calls));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(WASM_HEADER);
    expect(cache.asked).toEqual(['/assets/p-abc.wasm']);
    expect(calls).toEqual([]);
  });

  it('fetches when the file is not cached, there is no Cache Storage, or the lookup fails', async () => {
    const calls: string[] = [];
    await cachedOrFetch('/assets/p-abc.wasm', lookup({}), network(calls));
    await cachedOrFetch('/assets/p-abc.wasm', undefined, network(calls));
    const broken: CacheLookup = {
      match: async () => {
        throw new Error('storage is gone');
      },
    };
    await cachedOrFetch('/assets/p-abc.wasm', broken, network(calls));
    expect(calls).toEqual(['/assets/p-abc.wasm', '/assets/p-abc.wasm', '/assets/p-abc.wasm']);
  });

  it('does not use a cached error response', async () => {
    const calls: string[] = [];
    const cache = lookup({ '/assets/p-abc.wasm': new Response('gone', { status: 404 }) });
    const response = await cachedOrFetch('/assets/p-abc.wasm', cache, network(calls));
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(1);
  });
});
