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

type BadgeState = 'connecting' | 'connected' | 'unreachable' | 'offline';

function useBadgeState(session: RoomSession): { state: BadgeState; peers: number; webrtcPeers: number } {
  const status = useStore(session.status);
  const online = useOnline();
  return {
    state: online ? status.signaling : 'offline',
    peers: status.webrtcPeers + status.broadcastPeers,
    webrtcPeers: status.webrtcPeers,
  };
}

function connectedLabel(peers: number, serverOnly: boolean): string {
  // Without WebRTC the others reach this page through the server, which the peer count does not see (TRN10).
  if (serverOnly) return 'Connected · server only';
  return peers === 0 ? 'Connected · alone here' : `Connected · ${peers} peer${peers === 1 ? '' : 's'}`;
}

/** Connecting / connected with N peers (or "server only", TRN10) / offline: a short badge in the room's bar. */
export function ConnectionBadge({ session }: { session: RoomSession }) {
  const { state, peers, webrtcPeers } = useBadgeState(session);
  const serverOnly = !session.transports.webrtc;
  const label = {
    connecting: 'Connecting…',
    connected: connectedLabel(peers, serverOnly),
    unreachable: 'Cannot reach the room server',
    offline: 'Offline',
  }[state];
  return (
    <div
      className={`connection connection-${state}`}
      data-testid="connection"
      data-state={state}
      data-webrtc-peers={webrtcPeers}
      data-server-only={serverOnly}
      role="status"
    >
      <span className="dot" aria-hidden="true" />
      {label}
    </div>
  );
}

/**
 * What to do when the signaling server does not answer, in the room's side
 * panel (LAYOUT4: in the flow, never floating over another notice). Offline
 * needs no words here: the offline notice above it says it (PWA8).
 */
export function ConnectionExplanation({ session }: { session: RoomSession }) {
  const { state } = useBadgeState(session);
  if (state !== 'unreachable') return null;
  return (
    <p className="notice connection-explain" data-testid="connection-explain">
      The signaling server at {location.host} does not answer, so nobody else can see you yet. It keeps retrying; check
      that the server is running and that this network allows WebSockets.
    </p>
  );
}
