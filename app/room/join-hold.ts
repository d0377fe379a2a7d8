/**
 * When a newcomer's join has settled, so the page may start its renderer
 * ([ROOM6], docs/architecture.md). Creating the WebGL renderer takes the main
 * thread for hundreds of milliseconds in software GL (the context and the
 * probe of every extension are synchronous calls into the GPU process), and
 * the first frame after it compiles every shader. Every step of joining (the
 * signaling socket opening, the member's offer, the answer, ICE, the data
 * channel, the peer's sync step with the whole room) is a main-thread task
 * that would wait behind that work. So the room page creates its canvas only
 * once the join has settled:
 *   - a WebRTC connection is up, the room has synced with every connected
 *     peer (y-webrtc's `synced`) and the first pose batch over WebRTC has
 *     arrived (ROOM16: the relay's first batch comes before the connection is
 *     up, so it would hold nothing back), or
 *     FIRST_POSE_WAIT_MS after that sync no pose has come (a peer that sends
 *     none does not keep the room dark for long), or
 *   - JOIN_WINDOW_MS after the session's start nobody is connecting and
 *     nobody else was heard over the relay (an empty room, or only the
 *     server; ROOM16: a member heard over the relay is about to offer, and
 *     on a busy machine its offer comes after the window, which would then
 *     have started the renderer just before it), once the relay has said who
 *     is in the room (ROOM18: its roster not in yet says nothing, and a
 *     loaded page hears it after the window), or
 *   - JOIN_HOLD_MAX_MS after the session's start, whatever the state (a
 *     connection that never comes up or never syncs does not keep the room dark).
 *
 * Waiting for the first pose as well keeps the main thread free while the
 * peer's first poses arrive: the renderer's first frame compiles every shader
 * (about half a second in software GL), and a pose that arrives during it is
 * handled only after it. The pose can come while the renderer is held
 * because the room's frames run on a timer meanwhile (`Room.holdFrames`):
 * without frames the page's pose channel would never tick, so it would send
 * no HELLO, PING or pose of its own.
 *
 * @example
 *   const stop = watchJoin(source, sessionStart, () => settled.set(true));
 */
import { JOIN_WINDOW_MS, type PacedConnection } from './frame-pacing.ts';

/** The longest a join holds the renderer back, from the session's start. */
export const JOIN_HOLD_MAX_MS = 3000;

/** How long a synced join waits for the first pose batch before it settles without one. */
export const FIRST_POSE_WAIT_MS = 500;

/** What the join hold watches: y-webrtc's connections and their sync (room-session's provider fits). */
export interface JoinSource {
  /** The WebRTC connections of the room, negotiating or up. */
  connections(): readonly PacedConnection[];
  /** Whether the room has synced with every connected peer. */
  synced(): boolean;
  /** Whether the first pose batch over WebRTC has arrived (the relay's first comes earlier and does not count, ROOM16). */
  heardPose(): boolean;
  /** Whether someone else in the room was heard over the relay (its pose links), who will offer a WebRTC connection. */
  othersHere(): boolean;
  /**
   * Whether the server has said who is in the room (the relay's roster, ROOM18), so that nobody heard
   * means nobody is there; true where no relay runs (nobody could say).
   */
  rosterKnown(): boolean;
  /**
   * Calls `listener` when connections come or go, the sync state changes, the first pose arrives, someone is
   * heard or the roster arrives; returns an unsubscribe.
   */
  onChange(listener: () => void): () => void;
}

export interface JoinClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const PAGE_CLOCK: JoinClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Whether a WebRTC connection is up and the room has synced with every connected peer. */
function peerSynced(source: JoinSource): boolean {
  return source.connections().some((connection) => connection.connected) && source.synced();
}

/**
 * Whether a join that started at `sessionStart` has settled at `now` (see the
 * file comment); `syncedAt` is when a peer was first seen up and synced.
 */
export function joinSettled(source: JoinSource, sessionStart: number, now: number, syncedAt?: number): boolean {
  const elapsed = now - sessionStart;
  if (elapsed >= JOIN_HOLD_MAX_MS) return true;
  if (peerSynced(source)) {
    return source.heardPose() || (syncedAt !== undefined && now - syncedAt >= FIRST_POSE_WAIT_MS);
  }
  return source.connections().length === 0 && !source.othersHere() && source.rosterKnown() && elapsed >= JOIN_WINDOW_MS;
}

/**
 * Calls `onSettled` once, when the join has settled; returns a stop that
 * cancels the watch (and its timers).
 */
export function watchJoin(
  source: JoinSource,
  sessionStart: number,
  onSettled: () => void,
  clock: JoinClock = PAGE_CLOCK,
): () => void {
  const timers: unknown[] = [];
  let unsubscribe = () => {};
  let done = false;
  const stop = () => {
    done = true;
    unsubscribe();
    for (const timer of timers.splice(0)) clock.clearTimeout(timer);
  };
  let syncedAt: number | undefined;
  const check = () => {
    if (done) return;
    const now = clock.now();
    if (syncedAt === undefined && peerSynced(source)) {
      syncedAt = now;
      timers.push(clock.setTimeout(check, FIRST_POSE_WAIT_MS + 1));
    }
    if (!joinSettled(source, sessionStart, now, syncedAt)) return;
    stop();
    onSettled();
  };
  unsubscribe = source.onChange(check);
  const elapsed = clock.now() - sessionStart;
  for (const at of [JOIN_WINDOW_MS, JOIN_HOLD_MAX_MS]) {
    // One millisecond late, so the check sees the time as passed whatever the timer's rounding.
    if (at > elapsed) timers.push(clock.setTimeout(check, at - elapsed + 1));
  }
  check();
  return stop;
}
