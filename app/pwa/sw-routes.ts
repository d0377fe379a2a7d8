/**
 * What the service worker does with each request (docs/pwa.md, rules PWA1-PWA6).
 * Plain TypeScript with no DOM or worker types: the service worker
 * (service-worker/sw.ts), the build config (vite.config.ts) and the tests
 * all read the same rules from here.
 *
 * @example
 *   classifyRequest(new URL('https://h/r/abc'), 'https://h', 'navigate'); // 'app-shell'
 *   classifyRequest(new URL('https://h/config.json'), 'https://h', 'cors'); // 'network-only'
 */

/** Where the built service worker lives; its scope is the whole origin. */
export const SERVICE_WORKER_URL = '/sw.js';
/** The precached page every app navigation is answered with (PWA2). */
export const APP_SHELL_URL = '/index.html';

/**
 * PWA5: live endpoints, never cached and never answered from a cache. WebSocket
 * upgrades (`/signal`, `/relay`, the room sync at `/sync`) bypass service
 * workers anyway; listing them keeps any later catch-all rule from touching them.
 */
const NETWORK_ONLY_PATHS: readonly string[] = [
  '/signal',
  '/relay',
  '/sync',
  '/yjs',
  '/config.json',
  '/healthz',
  '/api',
];

/** PWA2: the pages the server answers with index.html (server/static-files.ts STATIC3). */
export const APP_ROUTE_PATTERNS: readonly RegExp[] = [/^\/$/, /^\/index\.html$/, /^\/r\/[^/]*\/?$/];

/** PWA3: scene scripts, revalidated in the background. */
const SCENE_FILE = /\.holo$/i;

/** PWA4: models, textures and sounds: large, versioned by URL, cache first. */
const MEDIA_FILE = /\.(glb|gltf|bin|ktx2|basis|hdr|exr|png|jpe?g|webp|avif|ogg|mp3|wav|m4a)$/i;
/** Controller and hand models for XR (served from @webxr-input-profiles/assets). */
const INPUT_PROFILES_PREFIX = '/xr-profiles/';

/**
 * PWA13: code only some rooms load, and large: the physics engine, its glue
 * and its WebAssembly (docs/physics.md PHYS8, docs/performance.md LOAD23;
 * about 30 KB and 580 KB gzip). Not precached, so installing the app does not
 * download it; the first room that loads it stores it. Their file names are
 * `rapier` plus the content's hash (scripts/rapier-files.mjs).
 */
const ON_DEMAND_CODE: readonly RegExp[] = [/^\/assets\/rapier-[\w-]+\.(js|wasm)$/];

export const CACHE_NAMES = {
  scenes: 'holoroom-scenes',
  media: 'holoroom-media',
  code: 'holoroom-code',
} as const;

/** PWA4 caps on the media cache: per file, in total, in count and in age. */
export const MEDIA_CACHE_LIMITS = {
  maxEntryBytes: 16 * 1024 * 1024,
  maxTotalBytes: 96 * 1024 * 1024,
  maxEntries: 120,
  maxAgeSeconds: 30 * 24 * 60 * 60,
} as const;
export const SCENE_CACHE_MAX_ENTRIES = 100;
/** PWA13: versions of on-demand code kept (each build's file has a new hash; old ones go first). */
export const CODE_CACHE_MAX_ENTRIES = 4;

/** The message a page posts to a waiting worker when the person asks to update (PWA7). */
export const SKIP_WAITING_MESSAGE = { type: 'SKIP_WAITING' } as const;

export type RouteKind = 'network-only' | 'app-shell' | 'scene' | 'media' | 'on-demand-code' | 'browser';

function underPath(pathname: string, base: string): boolean {
  return pathname === base || pathname.startsWith(`${base}/`);
}

export function isNetworkOnlyPath(pathname: string): boolean {
  return NETWORK_ONLY_PATHS.some((base) => underPath(pathname, base));
}

/** PWA13: a file the precache leaves out and the worker caches on first use. */
export function isOnDemandCode(pathname: string): boolean {
  return ON_DEMAND_CODE.some((pattern) => pattern.test(pathname));
}

export function isAppRoute(pathname: string): boolean {
  return APP_ROUTE_PATTERNS.some((pattern) => pattern.test(pathname));
}

/**
 * The runtime rule for a request the precache does not already answer.
 * `browser` means the worker leaves it alone and the browser fetches it as if
 * there were no service worker (PWA6: every other origin, every other method).
 */
export function classifyRequest(url: URL, selfOrigin: string, mode: string, method = 'GET'): RouteKind {
  if (url.origin !== selfOrigin || method !== 'GET') return 'browser';
  const { pathname } = url;
  if (isNetworkOnlyPath(pathname)) return 'network-only';
  if (mode === 'navigate') return isAppRoute(pathname) ? 'app-shell' : 'browser';
  if (SCENE_FILE.test(pathname)) return 'scene';
  if (isOnDemandCode(pathname)) return 'on-demand-code';
  if (pathname.startsWith(INPUT_PROFILES_PREFIX) || MEDIA_FILE.test(pathname)) return 'media';
  return 'browser';
}

/** PWA1: build outputs that must never be precached (debug maps and the server's precompressed twins). */
export const PRECACHE_IGNORES: readonly string[] = ['**/*.map', '**/*.br', '**/*.gz', '.vite/**'];
/**
 * PWA1: what the precache holds: the app shell, its code and WebAssembly, icons,
 * and the default scenes with the models, textures and sounds they ship with
 * (vite-plugin-pwa adds manifest.webmanifest itself); the build then leaves out
 * on-demand code (PWA13) and test-only chunks (vite.config.ts).
 */
export const PRECACHE_PATTERNS: readonly string[] = [
  '*.{html,svg}',
  'assets/**/*.{js,css,wasm,svg,png,woff2}',
  'icons/*.png',
  'scenes/**/*.{holo,glb,gltf,bin,ktx2,png,jpg,jpeg,webp,ogg,mp3,wav}',
];
