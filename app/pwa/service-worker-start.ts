/**
 * Starts the page's service worker (PWA1, PWA7) on first call. The code that
 * registers it and watches for updates (`update-controller.ts`, with
 * workbox-window) is fetched then, not with the page (docs/performance.md
 * LOAD10): a room link calls this once the room is interactive.
 *
 * @example
 *   const controller = await startServiceWorker(); // undefined: no worker here
 *   controller?.state.subscribe((state) => ...);
 */
import type { UpdateController } from './update-controller.ts';

let started: Promise<UpdateController | undefined> | undefined;

/** The page's update controller, registering the worker on the first call; undefined where there is none (dev server, old browser). */
export function startServiceWorker(): Promise<UpdateController | undefined> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !window.isSecureContext) {
    return Promise.resolve(undefined);
  }
  started ??= import('./update-controller.ts').then(
    ({ createUpdateController }) => createUpdateController(navigator.serviceWorker),
    (error: unknown) => {
      // Its chunk did not arrive (a first visit that lost its network): the next call tries again.
      console.error(`the service worker's code could not load: ${String(error)}`);
      started = undefined;
      return undefined;
    },
  );
  return started;
}
