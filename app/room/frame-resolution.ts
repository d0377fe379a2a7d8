/**
 * DRAW7 — Adaptive resolution (docs/performance.md). While the room draws
 * frame after frame and they miss a 60 Hz display's budget, the canvas's
 * drawing buffer gets fewer pixels, a step at a time; when frames keep the
 * display's rate again, it gets them back, a step at a time. What a frame
 * costs on a machine without a fast GPU (software GL here, a phone) is mostly
 * its pixels: a quarter of them (half the ratio) was a third of the lobby's
 * frame (DRAW1's table). When the room stops drawing, the still picture is
 * drawn once more at full resolution (`owesStillFrame`), so what stays on
 * screen is sharp. XR sessions keep the runtime's framebuffer scale: their
 * frames do not come here.
 *
 * Plain TypeScript, fed one display frame at a time by the renderer's loop
 * (app/render/RoomFrame.tsx); it only says which scale to draw at.
 *
 * @example
 *   resolution.displayFrame(now, drawn);
 *   if (drawn) renderer.setPixelRatio(devicePixelRatio * resolution.scale);
 */

/** The drawing buffer's pixel ratio as a fraction of the screen's, from full to the least allowed. */
export const RESOLUTION_SCALES: readonly number[] = [1, 0.85, 0.7, 0.6, 0.5];
/** Consecutive drawn frames judged together: their median interval decides. */
export const RESOLUTION_WINDOW_FRAMES = 10;
/** A window whose median interval is longer missed the budget: 1.5 display frames at 60 Hz. */
export const FRAME_MISS_MS = 25;
/** A window whose median interval is at most this kept a 60 Hz display's rate. */
export const FRAME_KEPT_MS = 18.5;
/** Kept windows in a row before a step up; doubled (up to the maximum) when the step up missed at once. */
export const RAISE_AFTER_WINDOWS = 3;
export const RAISE_AFTER_WINDOWS_MAX = 48;

export class FrameResolution {
  /** Steps taken down and up since the room opened (tests, the HUD). */
  stepsDown = 0;
  stepsUp = 0;
  private level = 0;
  private readonly window = new Float64Array(RESOLUTION_WINDOW_FRAMES);
  private count = 0;
  private lastDrawnAt: number | undefined;
  private keptWindows = 0;
  private raiseAfter = RAISE_AFTER_WINDOWS;
  /** The window right after a step up: a miss there means the step up was too much. */
  private probing = false;
  private drawnScale = 1;

  /** The fraction of the screen's pixel ratio the next frame is drawn at. */
  get scale(): number {
    return RESOLUTION_SCALES[this.level] ?? 1;
  }

  /**
   * One display frame at `now` (the animation frame's time), drawn by the room or not, told before
   * it is drawn: a drawn frame is drawn at `scale` as it is afterwards. Only the
   * interval between two drawn display frames in a row is a frame's cost: one not drawn (nothing
   * moved, ROOM5; the join's pacing, ROOM4) breaks the chain.
   */
  displayFrame(now: number, drawn: boolean): void {
    if (!drawn) {
      this.lastDrawnAt = undefined;
      return;
    }
    const last = this.lastDrawnAt;
    this.lastDrawnAt = now;
    if (last !== undefined) {
      this.window[this.count++] = now - last;
      if (this.count === RESOLUTION_WINDOW_FRAMES) this.judge();
    }
    // The frame is drawn at the scale as judged now.
    this.drawnScale = this.scale;
  }

  /**
   * Whether the last frame drawn had fewer pixels than the screen: when the room stops drawing,
   * one more frame at full resolution (`stillFrameDrawn`) leaves a sharp picture on screen.
   */
  owesStillFrame(): boolean {
    return this.drawnScale < 1;
  }

  /** The still picture was drawn at full resolution (not counted as a frame in a row). */
  stillFrameDrawn(): void {
    this.drawnScale = 1;
    this.lastDrawnAt = undefined;
  }

  private judge(): void {
    this.count = 0;
    // Ten numbers, once per window: sorting them in place allocates nothing.
    const median = this.window.sort()[RESOLUTION_WINDOW_FRAMES >> 1] ?? 0;
    const probing = this.probing;
    this.probing = false;
    if (median > FRAME_MISS_MS) {
      this.keptWindows = 0;
      if (probing) this.raiseAfter = Math.min(this.raiseAfter * 2, RAISE_AFTER_WINDOWS_MAX);
      if (this.level < RESOLUTION_SCALES.length - 1) {
        this.level++;
        this.stepsDown++;
      }
      return;
    }
    if (median > FRAME_KEPT_MS) {
      this.keptWindows = 0;
      return;
    }
    this.keptWindows++;
    if (this.level > 0 && this.keptWindows >= this.raiseAfter) {
      this.level--;
      this.stepsUp++;
      this.keptWindows = 0;
      this.probing = true;
    }
  }
}
