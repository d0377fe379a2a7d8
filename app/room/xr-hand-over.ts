/**
 * ROOM10-ROOM12 (docs/architecture.md): the page's XR store arrives when it
 * arrives. Its code (app/xr/offer.ts, a chunk of its own) loads beside the
 * room, not before it: the room opens, signals, relays and syncs at once, and
 * is handed the store when the chunk is in.
 *
 * @example
 *   const xr = new XRHandOver(loadXRStoreIfOffered()); // starts nothing, waits for the load
 *   xr.attachTo(room); // the room follows the store's sessions once it arrives
 *   xr.store.subscribe((store) => showEnterVR(store));
 *   xr.close(); // destroys the store, now or when it arrives
 */
import { createStore, type Store } from '../core/store.ts';
import type { XRSessionSource } from './xr-session.ts';

/** What the page's XR store must offer: a session source for the room, destroyed with the room. */
export interface PageXRStore extends XRSessionSource {
  destroy(): void;
}

/** The part of a room the hand-over needs (app/room/open-room.ts `Room.attachXR`). */
export interface XRTarget {
  attachXR(source: XRSessionSource): void;
}

export class XRHandOver<X extends PageXRStore> {
  /** The store once it has arrived and a room follows it (ROOM10); undefined before, and for good without XR. */
  readonly store: Pick<Store<X | undefined>, 'get' | 'subscribe'>;
  /** Why the XR code did not load (ROOM12), for the page to say; undefined while it loads or when it loaded. */
  readonly failure: Pick<Store<string | undefined>, 'get' | 'subscribe'>;
  private readonly ready = createStore<X | undefined>(undefined);
  private readonly failed = createStore<string | undefined>(undefined);
  private arrived: X | undefined;
  private target: XRTarget | undefined;
  private closed = false;

  constructor(load: Promise<X | undefined>) {
    this.store = this.ready;
    this.failure = this.failed;
    load.then(
      (store) => this.arrive(store),
      // ROOM12: the room goes on without XR, and the page says why once.
      (error: unknown) => {
        if (this.closed) return;
        const reason = error instanceof Error ? error.message : String(error);
        console.error(`[xr] the XR code did not load (${reason}): the room goes on without VR`);
        this.failed.set(reason);
      },
    );
  }

  /** The room that follows the store; it is handed the store now if it has arrived, else on arrival. */
  attachTo(target: XRTarget): void {
    if (this.closed) throw new Error('XRHandOver.attachTo: already closed');
    if (this.target) throw new Error('XRHandOver.attachTo: already attached to a room');
    this.target = target;
    this.publish();
  }

  /** ROOM11: the room closed: the store is destroyed, now or when it arrives. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ready.set(undefined);
    this.arrived?.destroy();
    this.arrived = undefined;
  }

  private arrive(store: X | undefined): void {
    if (!store) return;
    if (this.closed) {
      store.destroy();
      return;
    }
    this.arrived = store;
    this.publish();
  }

  private publish(): void {
    if (!this.arrived || !this.target) return;
    this.target.attachXR(this.arrived);
    this.ready.set(this.arrived);
  }
}
