/**
 * Workbox glue for the media cache's byte budget (PWA4); the rules live in
 * app/pwa/byte-budget.ts where Node tests run them.
 */
import type { WorkboxPlugin } from 'workbox-core/types.js';
import { enforceByteBudget, responseToCache } from '../app/pwa/byte-budget.ts';

export function byteBudgetPlugin(limits: { maxEntryBytes: number; maxTotalBytes: number }): WorkboxPlugin {
  return {
    // Replaces Workbox's default "only 200s" check, which responseToCache keeps.
    cacheWillUpdate: ({ response }) => responseToCache(response, limits.maxEntryBytes),
    cacheDidUpdate: async ({ cacheName }) => {
      await enforceByteBudget(await caches.open(cacheName), limits.maxTotalBytes);
    },
  };
}
