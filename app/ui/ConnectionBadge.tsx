import { useEffect, useState } from 'react';
import { useStore } from '../render/use-store.ts';
import type { RoomSession } from '../sync/room-session.ts';

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** Connecting / connected with N peers / offline, with a plain explanation when something is wrong. */
export function ConnectionBadge({ session }: { session: RoomSession }) {
  const status = useStore(session.status);
  const online = useOnline();
  const state = online ? status.signaling : 'offline';
  const peers = status.webrtcPeers + status.broadcastPeers;
  const label = {
    connecting: 'Connecting…',
    connected: peers === 0 ? 'Connected · alone here' : `Connected · ${peers} peer${peers === 1 ? '' : 's'}`,
    unreachable: 'Cannot reach the room server',
    offline: 'Offline',
  }[state];
  const explanation = {
    connecting: undefined,
    connected: undefined,
    unreachable: `The signaling server at ${location.host} does not answer, so nobody else can see you yet. It keeps retrying; check that the server is running and that this network allows WebSockets.`,
    offline: 'This device is offline. The room comes back when the network does.',
  }[state];
  return (
    <div
      className={`connection connection-${state}`}
      data-testid="connection"
      data-state={state}
      data-webrtc-peers={status.webrtcPeers}
      role="status"
      title={explanation}
    >
      <span className="dot" aria-hidden="true" />
      {label}
      {explanation && <p className="explain">{explanation}</p>}
    </div>
  );
}
