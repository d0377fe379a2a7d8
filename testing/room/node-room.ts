/**
 * A room opened in Node against a real test server (loopback, port 0), as the page opens one but
 * with no React and no DOM: the document over the server's `/sync`, poses over its relay, the
 * parser from the built wasm. No WebRTC unless `wrtc` is given (node-datachannel's): then y-webrtc
 * connects through the server's `/signal` too and poses go over its data channels. y-webrtc keeps
 * its rooms in module state, so a process holds one such room per room id (node-pose-peer.ts runs
 * each in its own process). The test plays the renderer's part: it attaches a camera, registers
 * drawn objects and calls `room.frame()`, as RoomFrame.tsx does.
 */
import { PerspectiveCamera } from 'three';
import WebSocket from 'ws';
import type { RoomId } from '../../app/core/ids.ts';
import { openRoom, type Room, type RoomOptions } from '../../app/room/open-room.ts';
import type { RoomCredential } from '../../app/sync/roles/room-credential.ts';
import type { SessionKey } from '../../app/sync/roles/session-key.ts';
import { sessionRoles } from '../../app/sync/roles/session-roles.ts';
import type { PeerOptions } from '../../app/sync/webrtc-peer.ts';
import { loadScriptParserForNode } from '../../tools/node-parser.ts';

/** What of a test server a room needs: its base URL and its WebSocket URLs. */
export interface RoomServer {
  url: string;
  wsUrl(pathname: string): string;
}

const NodeWebSocket = WebSocket as unknown as typeof globalThis.WebSocket;

export function openNodeRoom(
  server: RoomServer,
  roomId: RoomId,
  name: string,
  /**
   * `now`: the clock the test calls `room.frame(time)` with; `physicsHost`: where bodies are simulated (RoomOptions);
   * `protected`: the credential and session key of a page in a protected room (docs/roles.md);
   * `wrtc`: WebRTC for y-webrtc and the pose channel, with the signaling server's `/signal` and no ICE servers;
   * `serverSync: false`: no document sync with the server (as `?server-sync=off`); `loadLobby`: seeds (SEED1).
   */
  options: Pick<RoomOptions, 'now' | 'physicsHost' | 'loadLobby'> & {
    protected?: { credential: RoomCredential; sessionKey: SessionKey };
    wrtc?: PeerOptions['wrtc'];
    serverSync?: boolean;
  } = {},
): { room: Room; camera: PerspectiveCamera } {
  const { protected: credentials, wrtc, serverSync = true, ...roomOptions } = options;
  const room = openRoom({
    roomId,
    session: {
      signalingUrl: server.wsUrl('/signal'),
      iceServers: [],
      identity: { name, color: '#4d96ff' },
      syncServerUrl: server.url.replace(/^http/, 'ws'),
      transports: { webrtc: wrtc !== undefined, server: serverSync },
      ...(wrtc ? { wrtc } : {}),
      localPersistence: false,
      WebSocketPolyfill: NodeWebSocket,
      ...(credentials ? { roles: sessionRoles(credentials.credential, credentials.sessionKey) } : {}),
    },
    parser: () => loadScriptParserForNode(),
    pose: { relay: { protocol: 'http:', host: new URL(server.url).host }, WebSocketImpl: NodeWebSocket },
    ...roomOptions,
  });
  const camera = new PerspectiveCamera();
  room.attach({ camera });
  return { room, camera };
}
