/**
 * A room as a browser page opens it: everything the page's URL, stored
 * identity and `/config.json` decide, turned into `openRoom` options, plus the
 * page's lifecycle (`pagehide`, the back/forward cache) and the debug handle
 * `window.__holoroom` (app/room/inspect.ts). Browser only, but no React: the
 * room page (app/room/page-room.ts, app/boot/room-page.tsx) calls this and draws what it returns.
 *
 * Page switches (tests and troubleshooting):
 *   ?webrtc=off          no y-webrtc at all (TRANSPORT1): poses go by relay; the same
 *                        when the browser has no usable WebRTC (TRN10, detected once per page)
 *   ?server-sync=off     no server sync (TRANSPORT2)
 *   ?pose-relay=off      no pose relay; ?pose-broadcast=off: no BroadcastChannel
 *   ?seed=off            a new room stays empty (SEED1)
 *   ?render=off          no canvas: frames run on a 60 Hz timer and draw nothing (benchmarks,
 *                        app/room/headless-frames.ts)
 *   ?physics=main        `@physics` bodies simulated on the main thread, not in the physics worker
 *                        (PHYS9; benchmarks compare the two)
 *   #password=…          a password room (PW1): encrypted peers only, never the server
 *   #owner=… / #editor=… a protected room's key (docs/roles.md), read by the caller into `credential`
 */
import { type ClientConfig, signalingUrlFor } from '../core/client-config.ts';
import type { ConnectTimeline } from '../core/connect-timeline.ts';
import type { Identity } from '../core/identity.ts';
import type { RoomId } from '../core/ids.ts';
import { PARSER_WASM_URL } from '../scene/parser/wasm-url.ts';
import { loadBrowserParser } from '../scene/parser/worker-pool.ts';
import { fetchSceneText, LOBBY_SCENE } from '../scene/runtime/scene-catalog.ts';
import type { RoomCredential } from '../sync/roles/room-credential.ts';
import type { SessionKey } from '../sync/roles/session-key.ts';
import type { SessionRolesFactory } from '../sync/roles/session-roles.ts';
import { pageSyncOptions } from '../sync/room-link.ts';
import { detectWebrtc, type WebrtcSupport } from '../sync/webrtc-support.ts';
import { nearestLimitFrom } from '../voice/nearest-limit.ts';
import { openRoom, type Room } from './open-room.ts';

interface PageLocation {
  protocol: string;
  host: string;
  search: string;
  hash: string;
}

export interface PageRoomOptions {
  roomId: RoomId;
  location: PageLocation;
  config: ClientConfig;
  identity: Identity;
  timeline?: ConnectTimeline;
  /** A protected room's credential from the link (readRoleLink); absent in an open room. */
  credential?: RoomCredential;
  /** A protected room: this profile's session key (docs/roles.md MOD4). */
  sessionKey?: SessionKey;
}

/**
 * `play_audio` (CMD5): the player (app/room/scene-audio.ts) loads with the first sound a handler
 * plays, not before a room is interactive (docs/performance.md LOAD20); sounds keep their order.
 */
function playSound(name: string): void {
  import('./scene-audio.ts').then(
    ({ playSceneSound }) => playSceneSound(name),
    (error: unknown) => console.error(`holoroom: the scene's sound player could not load: ${String(error)}`),
  );
}

let webrtcSupport: WebrtcSupport | undefined;

/** TRN10: asked once per page load (a room opened again asks no more), and said once on the console. */
function pageWebrtcSupport(): WebrtcSupport {
  if (webrtcSupport) return webrtcSupport;
  webrtcSupport = detectWebrtc();
  if (!webrtcSupport.available) console.info(`[room] server only: ${webrtcSupport.reason}`);
  return webrtcSupport;
}

/** Why voice cannot start on this page, when WebRTC is off or missing; undefined when it can. */
function voiceUnavailable(webrtcOff: boolean, support: WebrtcSupport | undefined): string | undefined {
  if (support?.available === false) return 'Voice needs WebRTC, which this browser does not offer.';
  return webrtcOff ? 'Voice needs WebRTC, which is off on this page.' : undefined;
}

/**
 * A protected room's roles (docs/roles.md), loaded with its credential only
 * (docs/performance.md LOAD13): an open room never fetches them.
 */
async function loadSessionRoles(options: PageRoomOptions): Promise<SessionRolesFactory | undefined> {
  if (!options.credential) return undefined;
  const { sessionRoles } = await import('../sync/roles/session-roles.ts');
  return sessionRoles(options.credential, options.sessionKey);
}

/** Opens `roomId` for this page; the returned function closes it again. */
export async function openPageRoom(options: PageRoomOptions): Promise<{ room: Room; close(): void }> {
  const { location } = options;
  const roles = await loadSessionRoles(options);
  const params = new URLSearchParams(location.search);
  const fromLink = pageSyncOptions(location);
  // TRANSPORT1: a page whose link turns WebRTC off creates no peer connection at all, not even TRN10's probe.
  const support = fromLink.transports.webrtc === false ? undefined : pageWebrtcSupport();
  // TRN10: without a usable RTCPeerConnection the room runs as with ?webrtc=off (TRANSPORT1).
  const sync =
    support?.available === false ? { ...fromLink, transports: { ...fromLink.transports, webrtc: false } } : fromLink;
  const noVoice = voiceUnavailable(sync.transports.webrtc === false, support);
  const room = openRoom({
    roomId: options.roomId,
    session: {
      signalingUrl: signalingUrlFor(location),
      iceServers: options.config.iceServers,
      identity: options.identity,
      ...sync,
      ...(roles ? { roles } : {}),
    },
    parser: () => loadBrowserParser(PARSER_WASM_URL),
    ...(params.get('physics') === 'main'
      ? { physicsHost: async (sink) => (await import('../physics/physics-runtime.ts')).loadPhysicsHost(sink, false) }
      : {}),
    pose: {
      ...(sync.password === undefined && params.get('pose-relay') !== 'off' ? { relay: location } : {}),
      broadcast: params.get('pose-broadcast') !== 'off',
    },
    // DRAW2, DRAW3: `?draw=plain` draws the scene the way it was drawn before, for comparison (render-frame bench).
    drawing: params.get('draw') === 'plain' ? 'plain' : 'batched',
    sinks: { sound: playSound, log: (message) => console.info(`[scene] ${message}`) },
    // A viewer never seeds: its lobby would be its own copy's alone (ROLE5, ROLE6).
    ...(params.get('seed') !== 'off' && options.credential?.role !== 'viewer'
      ? { loadLobby: () => fetchSceneText(LOBBY_SCENE) }
      : {}),
    ...(options.timeline ? { timeline: options.timeline } : {}),
    deviceStorage: localStorage,
    voice: {
      signalingUrl: signalingUrlFor(location),
      iceServers: options.config.iceServers,
      nearestSpeakers: nearestLimitFrom(params.get('voice-nearest')),
      // VOICE15: in a password room voice signaling is sealed with the password.
      ...(sync.password !== undefined ? { password: sync.password } : {}),
      // TRANSPORT1, TRN10: WebRTC off or missing means no RTCPeerConnection at all, voice's included.
      ...(noVoice !== undefined ? { unavailable: noVoice } : {}),
    },
  });
  const onPageHide = () => room.leave();
  // PRES5: a hidden page draws nothing and sends no poses: others show it as away.
  const onVisibility = () => room.setAway(document.visibilityState === 'hidden');
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) room.rejoin();
  };
  addEventListener('pagehide', onPageHide);
  addEventListener('pageshow', onPageShow);
  document.addEventListener('visibilitychange', onVisibility);
  onVisibility();
  const inspection = room.inspect();
  window.__holoroom = inspection;
  return {
    room,
    close() {
      removeEventListener('pagehide', onPageHide);
      removeEventListener('pageshow', onPageShow);
      document.removeEventListener('visibilitychange', onVisibility);
      if (window.__holoroom === inspection) window.__holoroom = undefined;
      room.destroy();
    },
  };
}
