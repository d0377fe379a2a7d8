import { useSyncExternalStore } from 'react';
import { roomIdFromPath } from '../core/room-id.ts';

const NAVIGATE_EVENT = 'holoroom:navigate';

/**
 * Client-side navigation: one page, URLs that can be shared and reloaded. A
 * room is a document of its own, which boots without the start page's React
 * DOM (app/main.ts, docs/performance.md LOAD14): a room's path is loaded.
 */
export function navigate(path: string): void {
  if (path === location.pathname + location.search + location.hash) return;
  if (roomIdFromPath(new URL(path, location.href).pathname)) {
    location.assign(path);
    return;
  }
  history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}
