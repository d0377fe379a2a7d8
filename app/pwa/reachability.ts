/**
 * Is the room's server reachable from here? (PWA8) The browser's own
 * `navigator.onLine` only knows about the network interface: with Wi-Fi up and
 * the server down it still says "online". So this store combines it with a
 * small probe of the server's `/healthz` (network-only in the service worker)
 * and with what live connections report, and while the server is out of reach
 * it probes again with a capped backoff until it answers.
 *
 * Plain TypeScript; the browser bits (fetch, online/offline events) are passed
 * in, so Node tests drive it with fake timers.
 *
 * @example
 *   const reach = new Reachability({ probe: () => probeServer('/healthz'), isDeviceOnline: () => navigator.onLine });
 *   reach.state.subscribe((s) => console.log(s.online ? 'online' : s.reason));
 *   reach.start();
 */
import { createStore, type Store } from '../core/store.ts';

export type OfflineReason = 'device-offline' | 'server-unreachable';

export interface ReachabilityState {
  online: boolean;
  /** Why the room is offline; undefined while online. */
  reason?: OfflineReason;
}

/** First retry after going offline, doubled each time up to the cap. */
export const PROBE_RETRY_MIN_MS = 1_000;
export const PROBE_RETRY_MAX_MS = 15_000;
/** A probe that has not answered in this time counts as "unreachable". */
const PROBE_TIMEOUT_MS = 4_000;

export interface ReachabilityOptions {
  /** Resolves true when the server answered; must not reject. */
  probe: () => Promise<boolean>;
  isDeviceOnline: () => boolean;
  /** Called on every offline -> online transition (e.g. to look for app updates). */
  onReconnect?: () => void;
}

export class Reachability {
  readonly state: Store<ReachabilityState> = createStore<ReachabilityState>({ online: true });
  private retryMs = PROBE_RETRY_MIN_MS;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private probing = false;
  private stopped = true;

  constructor(private readonly options: ReachabilityOptions) {}

  start(): void {
    this.stopped = false;
    void this.checkNow();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** The device's network went away (`offline` event): no probe needed to know. */
  deviceOffline(): void {
    this.setOffline('device-offline');
  }

  /** A live connection to the server (signaling, sync) is up: proof enough. */
  serverReached(): void {
    if (this.stopped) return;
    this.setOnline();
  }

  /** Probes now (`online` event, a live connection dropped); at most one probe at a time. */
  async checkNow(): Promise<void> {
    if (this.stopped || this.probing) return;
    if (!this.options.isDeviceOnline()) {
      this.setOffline('device-offline');
      return;
    }
    this.probing = true;
    let reached = false;
    try {
      reached = await this.options.probe();
    } finally {
      this.probing = false;
    }
    if (this.stopped) return;
    if (reached) this.setOnline();
    else this.setOffline('server-unreachable');
  }

  private setOnline(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryMs = PROBE_RETRY_MIN_MS;
    if (this.state.get().online) return;
    this.state.set({ online: true });
    this.options.onReconnect?.();
  }

  private setOffline(reason: OfflineReason): void {
    if (this.stopped) return;
    const current = this.state.get();
    if (current.online || current.reason !== reason) this.state.set({ online: false, reason });
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, PROBE_RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.checkNow();
    }, delay);
  }
}

/** The browser probe: any HTTP answer from the server means it is reachable. */
export async function probeServer(url: string, fetchFn: typeof fetch = fetch): Promise<boolean> {
  try {
    const response = await fetchFn(url, { cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.ok;
  } catch {
    return false;
  }
}
