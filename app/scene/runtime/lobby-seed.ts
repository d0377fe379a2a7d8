/**
 * New rooms start with the lobby scene (docs/scene-runtime.md SEED1-SEED5).
 *
 *   SEED1 only an empty script is seeded, and a page decides once: a script
 *         someone emptied later stays empty.
 *   SEED2 the decision waits until this device's copy is loaded and the room has
 *         synced with someone who might hold it: the server (`synced`), or a
 *         WebRTC peer; only when nobody can be reached (server sync off or
 *         refused and no peer for SEED_ALONE_MS, or the server unreachable for
 *         SEED_OFFLINE_MS) does a page seed on its own.
 *   SEED3 the seed is one deterministic Yjs update: the lobby text inserted by a
 *         client id derived from the text. Two peers seeding at once insert the
 *         very same items, which Yjs applies once, so the script never doubles;
 *         a room that ever held this seed ignores it again.
 *   SEED4 a different lobby text (a new app version) is a different seed; two
 *         versions seeding one empty room in the same moment could both land.
 *   SEED5 with no server to ask, a page that knows someone else is in the room
 *         (the pose relay's roster) waits SEED_OFFLINE_MS for their copy, not
 *         SEED_ALONE_MS: their connection may still be coming up.
 */
import type { Store } from '../../core/store.ts';
import type { RoomDoc } from '../../sync/doc/room-doc.ts';
import type { RoomStatus } from '../../sync/room-session.ts';

/** SEED2: with no server to ask, how long to wait for a peer before seeding alone. */
export const SEED_ALONE_MS = 2_500;
/** SEED2: how long the server may stay out of reach before seeding alone. */
export const SEED_OFFLINE_MS = 8_000;
/** How often the waiting decision is looked at again (time alone can change it). */
const SEED_POLL_MS = 250;

export interface SeedInput {
  scriptEmpty: boolean;
  status: Pick<RoomStatus, 'localLoaded' | 'server' | 'signaling' | 'webrtcPeers'>;
  webrtcSynced: boolean;
  /**
   * Someone else is known to be in the room before any document came from them: the pose relay's
   * roster or a pose link names them (SEED5). They may hold the room's script.
   */
  othersHere: boolean;
  /** Milliseconds since the page opened the room. */
  elapsedMs: number;
}

export type SeedDecision = 'wait' | 'seed' | 'skip';

/** SEED1/SEED2 as a pure function of what the page knows now. */
export function seedDecision({ scriptEmpty, status, webrtcSynced, othersHere, elapsedMs }: SeedInput): SeedDecision {
  if (!status.localLoaded) return 'wait';
  if (!scriptEmpty) return 'skip';
  if (status.server === 'synced') return 'seed';
  if (status.webrtcPeers > 0) return webrtcSynced ? 'seed' : 'wait';
  const serverUsable = status.server === 'connecting' || status.server === 'connected';
  if (serverUsable) return elapsedMs >= SEED_OFFLINE_MS ? 'seed' : 'wait';
  // No server to ask: wait a moment for a peer to show up, unless signaling cannot be reached at all.
  if (status.signaling === 'unreachable') return 'seed';
  // SEED5: someone is here whose connection is still coming up (slow under load): wait for their copy.
  if (othersHere) return elapsedMs >= SEED_OFFLINE_MS ? 'seed' : 'wait';
  return elapsedMs >= SEED_ALONE_MS ? 'seed' : 'wait';
}

export interface SeedingOptions {
  room: RoomDoc;
  status: Store<RoomStatus>;
  webrtcSynced(): boolean;
  /** SEED5: someone else is known to be in the room (the pose relay's roster, a pose link). */
  othersHere(): boolean;
  loadLobby(): Promise<string>;
  now?(): number;
  onSeeded?(): void;
}

/** Watches the room until SEED1/SEED2 decide; returns a stop function. */
export function startLobbySeeding(options: SeedingOptions): () => void {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let done = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    done = true;
    if (timer !== undefined) clearInterval(timer);
    unsubscribe();
  };
  const check = () => {
    if (done) return;
    const decision = seedDecision({
      scriptEmpty: options.room.scriptLength === 0,
      status: options.status.get(),
      webrtcSynced: options.webrtcSynced(),
      othersHere: options.othersHere(),
      elapsedMs: now() - started,
    });
    if (decision === 'wait') return;
    stop();
    if (decision === 'skip') return;
    options.loadLobby().then(
      (text) => {
        if (options.room.seedScript(text)) options.onSeeded?.();
      },
      (error: Error) => console.warn(`holoroom: the lobby scene could not be loaded: ${error.message}`),
    );
  };
  const unsubscribe = options.status.subscribe(check);
  timer = setInterval(check, SEED_POLL_MS);
  check();
  return stop;
}
