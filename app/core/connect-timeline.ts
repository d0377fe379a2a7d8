/**
 * When each phase of joining a room happened on this page (docs/transports.md,
 * "Joining: where the time goes"): from the page's start through signaling,
 * the WebRTC handshake and the first pose to the first document sync. Each
 * phase keeps its first occurrence, in milliseconds on the page's clock
 * (`performance.now()`: 0 is navigation start), and `relative()` reports them
 * from the session's start, which is what `rtc.phase_<name>_ms` means.
 *
 * Plain TypeScript: the session, the pose links and the room mark phases as
 * they see them; tests and benchmarks read them through `room.inspect()`.
 *
 * @example
 *   const timeline = new ConnectTimeline();
 *   timeline.mark('session_start');
 *   timeline.mark('signaling_open');
 *   timeline.relative(); // { page_start: -412.5, session_start: 0, signaling_open: 6.1 }
 */

/** The phases, in the order a join usually passes them. */
export const CONNECT_PHASES = [
  /** Navigation start: always 0 on the page clock, so negative from the session's start. */
  'page_start',
  /** `/config.json` answered (ICE servers). */
  'config_loaded',
  /** The room's session was created: the origin of every relative time. */
  'session_start',
  /** The signaling WebSocket (`/signal`) opened. */
  'signaling_open',
  /** The subscribe to the room's topic went out. */
  'subscribe',
  /** The first y-webrtc announce went out. */
  'announce',
  /** An offer went out (this page started the connection) or came in. */
  'offer_sent',
  'offer_received',
  /** An answer went out or came in. */
  'answer_sent',
  'answer_received',
  /** ICE began checking candidate pairs, then found one that works. */
  'ice_checking',
  'ice_connected',
  /** DTLS finished: the peer connection is `connected`. */
  'dtls_connected',
  /** y-webrtc's own data channel and the pose channel opened. */
  'datachannel_open',
  'pose_channel_open',
  /** The pose relay socket (`/relay`) opened. */
  'relay_open',
  /** The first pose batch from anyone, over any link, then over WebRTC. */
  'first_pose',
  'first_pose_webrtc',
  /** The room document first synced with someone: the server or a WebRTC peer. */
  'first_sync',
  /** The join settled (a WebRTC peer synced, nobody came, or the hold ran out): the renderer may start (ROOM6). */
  'join_settled',
  /** The WebGL renderer was created (after the join settled, ROOM6). */
  'renderer_created',
  /** The room drew its first frame. */
  'first_frame',
  /** The renderer first drew someone else's avatar (its head): the first remote person on screen. */
  'first_avatar_drawn',
  /**
   * The code that draws a remote avatar was requested (with the first remote peer, renderer or not)
   * and arrived; the renderer then added the first remote avatar to its scene (DRAW9: all three
   * before `first_avatar_drawn`, the first two usually before `join_settled`).
   */
  'avatar_code_requested',
  'avatar_code_loaded',
  'first_avatar_added',
  /** The canvas' software-GL probe (performance.md DRAW5) made its WebGL context: with the renderer, after `join_settled` (ROOM20). */
  'software_gl_probe',
] as const;

export type ConnectPhase = (typeof CONNECT_PHASES)[number];

export class ConnectTimeline {
  private readonly marks = new Map<ConnectPhase, number>([['page_start', 0]]);

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Records `phase` at `at` (default: now) unless it was already recorded; returns whether it was new. */
  mark(phase: ConnectPhase, at: number = this.now()): boolean {
    if (this.marks.has(phase)) return false;
    this.marks.set(phase, at);
    return true;
  }

  has(phase: ConnectPhase): boolean {
    return this.marks.has(phase);
  }

  /** Page-clock time of a phase, if it happened. */
  at(phase: ConnectPhase): number | undefined {
    return this.marks.get(phase);
  }

  /** Every recorded phase, in milliseconds from the session's start (from navigation until the session starts). */
  relative(): Partial<Record<ConnectPhase, number>> {
    const origin = this.marks.get('session_start') ?? 0;
    const out: Partial<Record<ConnectPhase, number>> = {};
    for (const phase of CONNECT_PHASES) {
      const at = this.marks.get(phase);
      if (at !== undefined) out[phase] = at - origin;
    }
    return out;
  }
}
