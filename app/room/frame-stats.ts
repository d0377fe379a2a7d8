/**
 * Frame counters, updated every frame without allocating. Read by tests and
 * benchmarks through the page's debug handle, and by the stats HUD.
 */
export interface FrameStats {
  /** Frames rendered since the room opened. */
  frames: number;
  /**
   * Frames run on a timer while the page held its renderer back (ROOM6, `Room.holdFrames`):
   * every step of a frame but the drawing; not counted in `frames`.
   */
  heldFrames: number;
  /**
   * The drawn frame that first drew someone else's avatar (1: the renderer's first frame), 0 until
   * one has (DRAW9: a joining page draws the person it waited for in its first frame).
   */
  firstAvatarFrame: number;
  /** Frames rendered inside an XR session (driven by the XR frame loop). */
  xrFrames: number;
  /** Time of the last frame, `performance.now()` milliseconds. */
  lastFrameAt: number;
  /**
   * When the room became interactive, `performance.now()` milliseconds, 0 until then: the first
   * frame drawn with the canvas and its input attached and the first script parsed (phase
   * 'ready'). The same moment is the performance mark ROOM_INTERACTIVE_MARK; the load-weight
   * measurement counts what was fetched before it (docs/performance.md, LOAD1).
   */
  interactiveAt: number;
  /**
   * Where the main thread's time goes in drawn frames (docs/performance.md DRAW1), summed since the
   * room opened so a reader takes the difference over a window: `drawMs`, the whole frame as R3F
   * runs it (the room's steps, then three's render of the scene, shadow maps included); `stepsMs`,
   * the room's steps alone (`Room.frame`). Three's part is the difference. Outside XR only.
   */
  drawMs: number;
  stepsMs: number;
  /** Three's counters for the last drawn frame (shadow passes included): draw calls, triangles, shader programs. */
  drawCalls: number;
  triangles: number;
  programs: number;
  /** Frames whose shadow maps were drawn (DRAW3: only when a caster or a casting light changed). */
  shadowDraws: number;
  /**
   * Whether the scene is drawn in batches with cached shadow maps now (DRAW2, DRAW3): false until the
   * room is interactive and the code has loaded (LOAD24), and always with `?draw=plain`.
   */
  batched: boolean;
  /** Times the daylight sky was drawn into its cube map (DRAW6: once, not in every frame). */
  skyBakes: number;
}

export const ROOM_INTERACTIVE_MARK = 'holoroom:room-interactive';

/**
 * The room's panels (badge, people, share bar, editor button, Enter VR, notices) painted for the
 * first time: they load after the room is interactive (docs/performance.md LOAD14), so this mark
 * comes after ROOM_INTERACTIVE_MARK, and the load measurement reports both.
 */
export const PANELS_READY_MARK = 'holoroom:panels-ready';

/** Who waits for this page's room to be interactive (`afterRoomInteractive`). */
const interactiveListeners = new Set<() => void>();

/**
 * Marks this page's room interactive (ROOM_INTERACTIVE_MARK) and wakes what waits for it
 * (`afterRoomInteractive`) right away: a PerformanceObserver hears of a mark a few hundred
 * milliseconds later on a page busy drawing, and the panels wait for it (LOAD14).
 */
export function markRoomInteractive(): void {
  performance.mark(ROOM_INTERACTIVE_MARK);
  for (const listener of [...interactiveListeners]) listener();
}

/**
 * Resolves once this page has marked a room interactive (`markRoomInteractive`), or after
 * `latestMs` if it has not by then: for work that should not compete with a room's first load
 * (docs/performance.md LOAD10, LOAD11, LOAD14).
 */
export function afterRoomInteractive(latestMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (performance.getEntriesByName(ROOM_INTERACTIVE_MARK, 'mark').length > 0) {
      resolve();
      return;
    }
    const timer = setTimeout(done, latestMs);
    interactiveListeners.add(done);
    function done() {
      interactiveListeners.delete(done);
      clearTimeout(timer);
      resolve();
    }
  });
}

export function createFrameStats(): FrameStats {
  return {
    frames: 0,
    heldFrames: 0,
    firstAvatarFrame: 0,
    xrFrames: 0,
    lastFrameAt: 0,
    interactiveAt: 0,
    drawMs: 0,
    stepsMs: 0,
    drawCalls: 0,
    triangles: 0,
    programs: 0,
    shadowDraws: 0,
    batched: false,
    skyBakes: 0,
  };
}
