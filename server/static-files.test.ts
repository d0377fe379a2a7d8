import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './security-headers.ts';
import { resolveUnder } from './static-files.ts';
import { fakeAppDir, startTestServer, type TestServer } from './test/helpers.ts';

let server: TestServer;
let dir: string;

beforeEach(async () => {
  dir = fakeAppDir();
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'assets', 'parser-abc123.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
  writeFileSync(path.join(dir, 'sw.js'), 'self.x = 1');
  const big = 'export const data = "holoroom";\n'.repeat(200);
  writeFileSync(path.join(dir, 'assets', 'big-abc123.js'), big);
  writeFileSync(path.join(dir, 'assets', 'big-abc123.js.gz'), gzipSync(big));
  server = await startTestServer({ staticDir: dir });
});
afterEach(async () => {
  await server.close();
});

const get = (pathname: string, init?: RequestInit) => fetch(`${server.url}${pathname}`, init);

describe('static files', () => {
  it('[STATIC1] serves hashed assets with year-long immutable caching and correct MIME types', async () => {
    const js = await get('/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const wasm = await get('/assets/parser-abc123.wasm');
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
  });

  it('[STATIC2] serves index.html and the service worker with no-cache, revalidated by ETag', async () => {
    const index = await get('/index.html');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const sw = await get('/sw.js');
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const etag = sw.headers.get('etag') ?? '';
    const again = await get('/sw.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('[STATIC3][SEC1] answers room links and / with the app', async () => {
    for (const pathname of ['/', '/r/abcdefghjkmnpqrs', '/r/some-room-name/']) {
      const response = await get(pathname);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>app</title>');
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
    expect((await get('/r/a/b')).status).toBe(404);
    expect((await get('/missing.js')).status).toBe(404);
  });

  it('[STATIC4] refuses path traversal, NUL bytes and other methods', async () => {
    expect(resolveUnder('/srv/app', '../etc/passwd')).toBe('/srv/app/etc/passwd');
    expect(resolveUnder('/srv/app', '%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/app/etc/passwd');
    expect(resolveUnder('/srv/app', 'a%00b')).toBeUndefined();
    expect(resolveUnder('/srv/app', '%E0%A4%A')).toBeUndefined();
    expect((await get('/..%2f..%2fpackage.json')).status).toBe(404);
    expect((await get('/index.html', { method: 'POST' })).status).toBe(405);
  });

  it('[STATIC5] serves the precompressed sibling when the client accepts it', async () => {
    const response = await get('/assets/big-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('etag')).toMatch(/-gzip"$/);
    expect(await response.text()).toContain('holoroom');
    const plain = await get('/assets/big-abc123.js', { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
  });

  it('serves XR input profiles from the npm package, not a CDN', async () => {
    const response = await get('/xr-profiles/profilesList.json');
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty('generic-trigger');
  });

  it('answers 414 to over-long URLs', async () => {
    expect((await get(`/${'a'.repeat(5000)}`)).status).toBe(414);
  });
});

describe('static files from memory', () => {
  it('[RELAY14] a file is read from disk once, then answered from memory until its size or time changes', async () => {
    const { StaticFiles } = await import('./static-files.ts');
    const { createServer } = await import('node:http');
    const { utimesSync } = await import('node:fs');
    const files = new StaticFiles(dir);
    const http = createServer((req, res) => files.handle(req, res, new URL(req.url ?? '/', 'http://x').pathname));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = http.address() as { port: number };
      const read = async () => (await fetch(`http://127.0.0.1:${port}/sw.js`)).text();
      const file = path.join(dir, 'sw.js');
      const when = 1_700_000_000;
      utimesSync(file, when, when);
      expect(await read()).toBe('self.x = 1');
      expect(await read()).toBe('self.x = 1');
      expect(files.diskReads).toBe(1);
      // Same size, same time: the bytes on disk are not looked at again.
      writeFileSync(file, 'self.y = 2');
      utimesSync(file, when, when);
      expect(await read()).toBe('self.x = 1');
      // A new modification time is a new file.
      utimesSync(file, when, when + 5);
      expect(await read()).toBe('self.y = 2');
      expect(files.diskReads).toBe(2);
    } finally {
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
