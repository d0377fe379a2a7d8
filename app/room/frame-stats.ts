/**
 * Frame counters, updated every frame without allocating. Read by tests and
 * benchmarks through the page's debug handle, and by the stats HUD.
 */
export interface FrameStats {
  /** Frames rendered since the room opened. */
  frames: number;
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
}

export const ROOM_INTERACTIVE_MARK = 'holoroom:room-interactive';

/**
 * The room's panels (badge, people, share bar, editor button, Enter VR, notices) painted for the
 * first time: they load after the room is interactive (docs/performance.md LOAD14), so this mark
 * comes after ROOM_INTERACTIVE_MARK, and the load measurement reports both.
 */
export const PANELS_READY_MARK = 'holoroom:panels-ready';

/**
 * Resolves once this page has marked a room interactive (ROOM_INTERACTIVE_MARK), or after
 * `latestMs` if it has not by then: for work that should not compete with a room's first load
 * (docs/performance.md LOAD10).
 */
export function afterRoomInteractive(latestMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (performance.getEntriesByName(ROOM_INTERACTIVE_MARK, 'mark').length > 0) {
      resolve();
      return;
    }
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName(ROOM_INTERACTIVE_MARK).length > 0) done();
    });
    const timer = setTimeout(done, latestMs);
    function done() {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    }
    observer.observe({ type: 'mark' });
  });
}

export function createFrameStats(): FrameStats {
  return { frames: 0, xrFrames: 0, lastFrameAt: 0, interactiveAt: 0 };
}
