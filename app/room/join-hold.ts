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
 *   - a WebRTC connection is up and the room has synced with every connected
 *     peer (y-webrtc's `synced`), or
 *   - JOIN_WINDOW_MS after the session's start nobody is connecting (an
 *     empty room, or only the server), or
 *   - JOIN_HOLD_MAX_MS after the session's start, whatever the state (a
 *     connection that never comes up or never syncs does not keep the room dark).
 *
 * @example
 *   const stop = watchJoin(source, sessionStart, () => settled.set(true));
 */
import { JOIN_WINDOW_MS, type PacedConnection } from './frame-pacing.ts';

/** The longest a join holds the renderer back, from the session's start. */
export const JOIN_HOLD_MAX_MS = 3000;

/** What the join hold watches: y-webrtc's connections and their sync (room-session's provider fits). */
export interface JoinSource {
  /** The WebRTC connections of the room, negotiating or up. */
  connections(): readonly PacedConnection[];
  /** Whether the room has synced with every connected peer. */
  synced(): boolean;
  /** Calls `listener` when connections come or go or the sync state changes; returns an unsubscribe. */
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

/** Whether a join that started at `sessionStart` has settled at `now` (see the file comment). */
export function joinSettled(source: JoinSource, sessionStart: number, now: number): boolean {
  const elapsed = now - sessionStart;
  if (elapsed >= JOIN_HOLD_MAX_MS) return true;
  const connections = source.connections();
  if (connections.some((connection) => connection.connected) && source.synced()) return true;
  return connections.length === 0 && elapsed >= JOIN_WINDOW_MS;
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
  const check = () => {
    if (done || !joinSettled(source, sessionStart, clock.now())) return;
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
