/**
 * Which display frames the room draws ([ROOM4]). Drawing a frame of the room
 * holds the main thread (tens to hundreds of milliseconds in software GL),
 * and every step of a WebRTC handshake (answering an announce, creating and
 * setting descriptions, ICE, the data channel's open) is a main-thread task
 * that waits behind it. So while this page is joining, the room yields:
 *   - a newcomer draws nothing during the first JOIN_WINDOW_MS after its
 *     session started, until its first WebRTC connection is up (its first
 *     frames, which compile shaders and upload textures, are the costliest,
 *     and its offers and answers would wait behind them);
 *   - while any WebRTC connection of this page is still negotiating (not up,
 *     or up but the peer's sync step with its whole document has not arrived
 *     yet: a member's answer to the newcomer's sync step is a main-thread task
 *     too), for at most HANDSHAKE_YIELD_MS from when it was created (an old
 *     member answers a newcomer; a connection that never comes up stops counting), it draws
 *     at most one frame per JOINING_FRAME_MS, and when frames are slow it
 *     leaves the thread free for (1 - JOINING_DRAW_SHARE) / JOINING_DRAW_SHARE
 *     times what the last frame took (a 200 ms frame is followed by 600 ms
 *     free; at most JOINING_MAX_FREE_MS).
 * Otherwise, and for INPUT_DRAWS_MS after the person's own input (a drag or
 * a look moves per frame), every display frame is drawn. Frames that are not drawn still let
 * the pose channel tick when a send window is due ([POSE18]), so pings, hellos
 * and keyframes keep their times.
 *
 * @example
 *   const pacing = new FramePacing(sessionStart, () => listRtcPeers(provider));
 *   if (pacing.draw(performance.now())) invalidate(); else room.idle();
 */

/** How long after the session's start a page without a WebRTC connection counts as joining. */
export const JOIN_WINDOW_MS = 1000;
/** How long one negotiating connection holds frames back, at most. */
export const HANDSHAKE_YIELD_MS = 3000;
/** While joining, at most one frame per this long (5 a second). */
export const JOINING_FRAME_MS = 200;
/** While joining, drawing takes at most this share of the main thread's time. */
const JOINING_DRAW_SHARE = 0.25;
/** After the person's own input, every display frame is drawn this long, joining or not. */
export const INPUT_DRAWS_MS = 1000;
/** While joining, the longest wait after a frame before the next (so the room still moves). */
export const JOINING_MAX_FREE_MS = 1000;

/** A WebRTC connection as pacing sees it (y-webrtc-internals' RtcPeerHandle fits). */
export interface PacedConnection {
  /** Identity of the attempt (a new one after a reconnect). */
  readonly key: object;
  readonly connected: boolean;
  /** False while the peer's sync step has not arrived (undefined: not known, counts as synced). */
  readonly synced?: boolean;
}

export class FramePacing {
  private readonly seen = new WeakMap<object, number>();
  private lastDrawn = Number.NEGATIVE_INFINITY;
  private lastCallDrew = false;
  /** When the last drawn frame ended: the display frame after it. */
  private frameEnd = Number.NEGATIVE_INFINITY;
  /** How long the last drawn frame held the thread, and so how long to leave it free after. */
  private free = 0;
  private everConnected = false;
  private lastInput = Number.NEGATIVE_INFINITY;
  /** Frames held back so far (tests and the benchmark read it). */
  held = 0;

  constructor(
    private readonly sessionStart: number,
    private readonly connections: () => readonly PacedConnection[],
  ) {}

  /** Whether this page is joining at `now` (see the file comment). */
  joining(now: number): boolean {
    let negotiating = false;
    for (const connection of this.connections()) {
      if (connection.connected) this.everConnected = true;
      if (connection.connected && connection.synced !== false) continue;
      let since = this.seen.get(connection.key);
      if (since === undefined) {
        since = now;
        this.seen.set(connection.key, now);
      }
      if (now - since < HANDSHAKE_YIELD_MS) negotiating = true;
    }
    return negotiating || this.waitingForFirst(now);
  }

  /** A newcomer's first moments: no WebRTC connection up yet, within JOIN_WINDOW_MS of the session's start. */
  private waitingForFirst(now: number): boolean {
    return !this.everConnected && now - this.sessionStart < JOIN_WINDOW_MS;
  }

  /** The person touched, clicked, scrolled or typed: input is answered at full rate (a drag moves per frame). */
  input(now: number): void {
    this.lastInput = now;
  }

  /** Whether to draw the display frame at `now`; call once per display frame. */
  draw(now: number): boolean {
    if (this.lastCallDrew) {
      // The display frame after a drawn one: the gap is what drawing cost.
      const cost = now - this.lastDrawn;
      this.frameEnd = now;
      this.free = Math.min(
        JOINING_MAX_FREE_MS,
        Math.max(JOINING_FRAME_MS - cost, (cost * (1 - JOINING_DRAW_SHARE)) / JOINING_DRAW_SHARE),
      );
    }
    const joining = this.joining(now) && now - this.lastInput >= INPUT_DRAWS_MS;
    // The first frames (shader compilation, textures: the costliest) wait for the first connection.
    if (joining && (this.waitingForFirst(now) || now < this.frameEnd + this.free)) {
      this.held++;
      this.lastCallDrew = false;
      return false;
    }
    this.lastDrawn = now;
    this.lastCallDrew = true;
    return true;
  }
}
