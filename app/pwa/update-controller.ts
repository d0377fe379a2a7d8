/**
 * Registers the service worker (workbox-window) and tracks whether a newer
 * version of the app is waiting (PWA7). Plain TypeScript with a store; the
 * prompt (app/ui/UpdatePrompt.tsx) only renders `state` and calls `apply()`.
 *
 * The page never reloads by itself: a new deployment is installed in the
 * background, then offered; only `apply()` (the person clicking "Reload to
 * update") activates it and reloads this tab. Other open tabs keep running and
 * show the offer in turn.
 */
import { Workbox } from 'workbox-window';
import { createStore, type Store } from '../core/store.ts';
import { BUILD_LABEL } from './build-label.ts';
import { SERVICE_WORKER_URL } from './sw-routes.ts';

/** `ready`: a new version can be loaded; `applying`: the person asked, the reload follows. */
type UpdateState = 'current' | 'ready' | 'applying';

/** How often an open tab asks the server for a new service worker (long sessions in a headset). */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60_000;
/** A tab coming back to the foreground checks again if the last check is older than this. */
const UPDATE_CHECK_ON_FOCUS_AFTER_MS = 5 * 60_000;
/** If the waiting worker does not take over within this time after the click, reload anyway. */
const APPLY_FALLBACK_MS = 4_000;

export interface UpdateController {
  readonly state: Store<UpdateState>;
  /** Activates the waiting version and reloads this tab. Call only on the person's request. */
  apply(): void;
  /** Asks the server for a newer service worker now (e.g. when the connection returns). */
  checkNow(): Promise<void>;
}

/** Registers the worker; called once per page, by `startServiceWorker` (service-worker-start.ts). */
export function createUpdateController(container: ServiceWorkerContainer): UpdateController {
  document.documentElement.dataset.build = BUILD_LABEL;
  const state = createStore<UpdateState>('current');
  const wb = new Workbox(SERVICE_WORKER_URL, { scope: '/' });
  // A first install (no controller yet) claims the page: that is not an update.
  let hadController = container.controller !== null;
  let registration: ServiceWorkerRegistration | undefined;
  let lastCheck = Date.now();

  const offer = () => {
    if (state.get() === 'current') state.set('ready');
  };
  const offerIfWaiting = () => {
    if (registration?.waiting && hadController) offer();
  };

  wb.addEventListener('waiting', () => {
    if (hadController) offer();
  });
  container.addEventListener('controllerchange', () => {
    if (state.get() === 'applying') {
      window.location.reload();
      return;
    }
    // Another tab accepted an update: this tab's code is now older than its worker.
    if (hadController) offer();
    hadController = true;
  });

  const checkNow = async () => {
    lastCheck = Date.now();
    try {
      await wb.update();
    } catch (error) {
      // Offline or the server is down: the next check will try again.
      console.info(`update check failed: ${(error as Error).message}`);
    }
    offerIfWaiting();
  };

  void wb.register().then(
    (reg) => {
      registration = reg;
      // workbox-window stops reporting after its first "external" update, so
      // later deployments found during a long session are watched here.
      reg?.addEventListener('updatefound', () => {
        const installing = reg.installing;
        installing?.addEventListener('statechange', () => {
          if (installing.state === 'installed') offerIfWaiting();
        });
      });
      offerIfWaiting();
    },
    (error: Error) => console.error(`service worker registration failed: ${error.message}`),
  );

  setInterval(() => void checkNow(), UPDATE_CHECK_INTERVAL_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && Date.now() - lastCheck > UPDATE_CHECK_ON_FOCUS_AFTER_MS) {
      void checkNow();
    }
  });

  return {
    state,
    checkNow,
    apply() {
      if (state.get() === 'applying') return;
      state.set('applying');
      if (registration?.waiting) wb.messageSkipWaiting();
      else window.location.reload(); // the new worker already controls this tab
      setTimeout(() => window.location.reload(), APPLY_FALLBACK_MS);
    },
  };
}
