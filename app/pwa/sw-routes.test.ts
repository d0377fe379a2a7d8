import { describe, expect, it } from 'vitest';
import {
  classifyRequest,
  isAppRoute,
  isNetworkOnlyPath,
  isOnDemandCode,
  PRECACHE_IGNORES,
  PRECACHE_PATTERNS,
} from './sw-routes.ts';

const ORIGIN = 'https://holo.example';
const kind = (path: string, mode = 'cors', method = 'GET', origin = ORIGIN) =>
  classifyRequest(new URL(path, origin), ORIGIN, mode, method);

describe('service worker routing rules', () => {
  it('[PWA2] answers app navigations (start page and room links) with the shell, like the server', () => {
    for (const path of ['/', '/index.html', '/r/abc123', '/r/abc123/', '/r/abc?x=1#frag']) {
      expect(kind(path, 'navigate'), path).toBe('app-shell');
    }
    for (const path of ['/r/a/b', '/assets/x.js', '/nothing', '/scenes/lobby.holo']) {
      expect(kind(path, 'navigate'), path).toBe('browser');
    }
    expect(isAppRoute('/r/')).toBe(true);
  });

  it('[PWA5] keeps live endpoints network-only, also for navigations and sub-paths', () => {
    for (const path of [
      '/signal',
      '/relay',
      '/sync',
      '/sync/room-1',
      '/yjs',
      '/config.json',
      '/healthz',
      '/api/codes/ABCD',
    ]) {
      expect(kind(path), path).toBe('network-only');
      expect(kind(path, 'navigate'), path).toBe('network-only');
    }
    // A prefix is a path segment, not a string prefix.
    expect(isNetworkOnlyPath('/signals.holo')).toBe(false);
    expect(isNetworkOnlyPath('/apiary')).toBe(false);
  });

  it('[PWA3] treats scene scripts as stale-while-revalidate', () => {
    expect(kind('/scenes/lobby.holo')).toBe('scene');
    expect(kind('/scenes/nested/Demo.HOLO')).toBe('scene');
  });

  it('[PWA4] caches models, textures, sounds and XR controller models first', () => {
    for (const path of [
      '/models/chair.glb',
      '/t/wood.webp',
      '/a/b.ktx2',
      '/s/click.ogg',
      '/xr-profiles/profilesList.json',
    ]) {
      expect(kind(path), path).toBe('media');
    }
  });

  it('[PWA13] caches the physics engine (its glue and its WebAssembly, LOAD23) on first use, and no other code', () => {
    expect(kind('/assets/rapier-CJPErHuH.js')).toBe('on-demand-code');
    expect(kind('/assets/rapier-a_b-9.js')).toBe('on-demand-code');
    expect(kind('/assets/rapier-CLy2MFto.wasm')).toBe('on-demand-code');
    for (const path of [
      '/assets/rapier-x.js.map',
      '/assets/rapier-x.js.gz',
      '/assets/rapier-x.wasm.br',
      '/assets/index-abc.js',
      '/assets/holoroom_parser-abc.wasm',
      '/rapier-x.js',
    ])
      expect(isOnDemandCode(path), path).toBe(false);
    expect(kind('/assets/rapier-x.js', 'cors', 'GET', 'https://cdn.example')).toBe('browser');
  });

  it('[PWA6] leaves other origins and non-GET requests to the browser', () => {
    expect(kind('/models/chair.glb', 'cors', 'GET', 'https://cdn.example')).toBe('browser');
    expect(kind('/r/abc', 'navigate', 'GET', 'https://other.example')).toBe('browser');
    expect(kind('/api/rooms/abc/code', 'cors', 'POST')).toBe('browser');
    expect(kind('/assets/index-abc.js')).toBe('browser');
  });

  it('[PWA1] precaches shell, code, WebAssembly, icons and scenes, never maps or compressed twins', () => {
    expect(PRECACHE_PATTERNS.join(' ')).toMatch(/wasm/);
    const scenes = PRECACHE_PATTERNS.find((pattern) => pattern.startsWith('scenes/'));
    for (const ext of ['holo', 'glb', 'wav']) expect(scenes).toContain(ext);
    expect(PRECACHE_IGNORES).toEqual(expect.arrayContaining(['**/*.map', '**/*.br', '**/*.gz']));
  });
});
