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
}

export function createFrameStats(): FrameStats {
  return { frames: 0, xrFrames: 0, lastFrameAt: 0 };
}
