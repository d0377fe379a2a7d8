/**
 * Holoroom's service worker (docs/pwa.md). Built by vite-plugin-pwa in
 * injectManifest mode: Vite bundles this file with the Workbox modules and
 * replaces `self.__WB_MANIFEST` with the list of build files to precache.
 *
 * PWA1 precache the app shell, code, WebAssembly parser, icons and default scenes
 * PWA2 app navigations (/, /r/<room>) get the precached shell, online or not
 * PWA3 scene scripts: stale-while-revalidate
 * PWA4 models, textures, sounds, XR controller models: cache first, capped
 * PWA5 live endpoints are network only
 * PWA6 other origins and non-GET requests are left to the browser
 * PWA7 a new version waits until the person asks for it (SKIP_WAITING message)
 * PWA13 on-demand code (the physics engine): not precached, cache first on first use
 */
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  type PrecacheEntry,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkOnly, StaleWhileRevalidate } from 'workbox-strategies';
import {
  APP_ROUTE_PATTERNS,
  APP_SHELL_URL,
  CACHE_NAMES,
  CODE_CACHE_MAX_ENTRIES,
  classifyRequest,
  MEDIA_CACHE_LIMITS,
  SCENE_CACHE_MAX_ENTRIES,
  SKIP_WAITING_MESSAGE,
} from '../app/pwa/sw-routes.ts';
import { byteBudgetPlugin } from './byte-budget-plugin.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

// PWA1: registered first, so a precached URL is always answered from the precache.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

const kindOf = ({ url, request }: { url: URL; request: Request }) =>
  classifyRequest(url, self.location.origin, request.mode, request.method);

// PWA5
registerRoute(({ url, request }) => kindOf({ url, request }) === 'network-only', new NetworkOnly());

// PWA2: the shell is versioned with this worker, so a room link opens offline
// and a new shell arrives only with a new worker (PWA7).
registerRoute(new NavigationRoute(createHandlerBoundToURL(APP_SHELL_URL), { allowlist: [...APP_ROUTE_PATTERNS] }));

// PWA3
registerRoute(
  ({ url, request }) => kindOf({ url, request }) === 'scene',
  new StaleWhileRevalidate({
    cacheName: CACHE_NAMES.scenes,
    plugins: [new ExpirationPlugin({ maxEntries: SCENE_CACHE_MAX_ENTRIES, purgeOnQuotaError: true })],
  }),
);

// PWA4
registerRoute(
  ({ url, request }) => kindOf({ url, request }) === 'media',
  new CacheFirst({
    cacheName: CACHE_NAMES.media,
    plugins: [
      byteBudgetPlugin(MEDIA_CACHE_LIMITS),
      new ExpirationPlugin({
        maxEntries: MEDIA_CACHE_LIMITS.maxEntries,
        maxAgeSeconds: MEDIA_CACHE_LIMITS.maxAgeSeconds,
        purgeOnQuotaError: true,
      }),
    ],
  }),
);

// PWA13: kept once a room has loaded it, so that room works offline; each build's file has its own hash.
registerRoute(
  ({ url, request }) => kindOf({ url, request }) === 'on-demand-code',
  new CacheFirst({
    cacheName: CACHE_NAMES.code,
    plugins: [new ExpirationPlugin({ maxEntries: CODE_CACHE_MAX_ENTRIES, purgeOnQuotaError: true })],
  }),
);

// PWA7: never skipWaiting on install; the page asks when the person clicks
// "Reload to update". A first install has no page to disturb, so it claims
// the open pages at once and they work offline without a reload.
self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === SKIP_WAITING_MESSAGE.type) {
    void self.skipWaiting();
  }
});
clientsClaim();
