/**
 * What a room link carries besides the room id, read on the client only:
 *   ?webrtc=off        TRANSPORT1: no y-webrtc (and so no RTCPeerConnection); the room
 *                      syncs through the server. A test switch for "UDP blocked".
 *   ?server-sync=off   TRANSPORT2: no server sync; the room is peer to peer only.
 *   #password=<text>   PW1: an optional room password. The fragment never leaves the
 *                      browser, so the server never sees it; y-webrtc encrypts signaling
 *                      and BroadcastChannel traffic with it, and the room never talks to
 *                      the server's sync endpoint (docs/room-doc.md, "Password rooms").
 */

export interface TransportSwitches {
  webrtc: boolean;
  server: boolean;
}

const MAX_PASSWORD_LENGTH = 256;

/** Reads `?webrtc=off` and `?server-sync=off`; anything else leaves a transport on. */
export function readTransportSwitches(search: string): TransportSwitches {
  const params = new URLSearchParams(search);
  return { webrtc: params.get('webrtc') !== 'off', server: params.get('server-sync') !== 'off' };
}

/** The room password in a location hash (`#password=...`), if any; over-long ones are ignored. */
export function passwordFromHash(hash: string): string | undefined {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const password = params.get('password');
  if (!password || password.length > MAX_PASSWORD_LENGTH) return undefined;
  return password;
}

/** `#password=...` for a room link. */
export function passwordHash(password: string): string {
  return `#${new URLSearchParams({ password }).toString()}`;
}

/** Everything RoomSession reads from the page's location (sync endpoint, password, test switches). */
export function pageSyncOptions(location: { protocol: string; host: string; search: string; hash: string }): {
  syncServerUrl: string;
  transports: TransportSwitches;
  password?: string;
} {
  const password = passwordFromHash(location.hash);
  return {
    syncServerUrl: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`,
    transports: readTransportSwitches(location.search),
    ...(password ? { password } : {}),
  };
}
