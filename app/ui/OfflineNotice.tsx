import { useEffect, useState } from 'react';
import { probeServer, Reachability } from '../pwa/reachability.ts';
import { startServiceWorker } from '../pwa/service-worker-start.ts';
import { useStore } from '../render/use-store.ts';
import type { RoomSession } from '../sync/room-session.ts';
import './pwa.css';

const PROBE_URL = '/healthz';

/** Reachability for as long as the room is open, fed by the browser's events and the session's signaling. */
export function useReachability(session: RoomSession): Reachability {
  const [reach] = useState(
    () =>
      new Reachability({
        probe: () => probeServer(PROBE_URL),
        isDeviceOnline: () => navigator.onLine,
        // Back online is the moment to see whether a new version was deployed meanwhile.
        onReconnect: () => void startServiceWorker().then((controller) => controller?.checkNow()),
      }),
  );
  useEffect(() => {
    const onOffline = () => reach.deviceOffline();
    const onOnline = () => void reach.checkNow();
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    let previous = session.status.get().signaling;
    const stopWatching = session.status.subscribe(({ signaling }) => {
      if (signaling === 'connected') reach.serverReached();
      else if (previous === 'connected') void reach.checkNow();
      previous = signaling;
    });
    reach.start();
    if (previous === 'connected') reach.serverReached();
    return () => {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      stopWatching();
      reach.stop();
    };
  }, [reach, session]);
  return reach;
}

/** PWA8: tells the person the room works from this device's copy while the server is out of reach. */
export function OfflineNotice({ reach }: { reach: Reachability }) {
  const { online, reason } = useStore(reach.state);
  if (online) return null;
  return (
    <p className="offline-notice" role="status" data-testid="offline-notice" data-reason={reason}>
      <strong>{reason === 'device-offline' ? 'Offline' : 'Server unreachable'}</strong>, showing your local copy;
      reconnects when the network returns.
    </p>
  );
}
