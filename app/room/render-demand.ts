/**
 * Whether the room needs to draw at all ([ROOM5]): a room where nothing moves
 * should not burn a core redrawing the same picture. Three kinds of reason wake it:
 *   - a change, told with `wake(reason, now)`: the person's input, a change of
 *     the room document (local or remote), the renderer's own invalidation (a
 *     mesh, material or prop changed, a model or texture loaded), a resize, a
 *     remote pose that moved. The room then draws for WAKE_MS (so React's
 *     commit, textures and the interpolation of the last remote pose are drawn),
 *     and at least once WAKE_SETTLE_MS after the wake however slow frames are;
 *     also the desktop view moved by something other than input (the start
 *     placement, a scene's camera block);
 *   - a restored WebGL context, told with `restored(now)` (docs/performance.md
 *     LOAD40): everything drawn is gone with the old context, so the room wants
 *     every display frame until `drawn()` says a frame reached the new one (the
 *     first recompiles every shader: seconds in software GL, longer than any
 *     window of time). `lost()` drops what a restore owed: nothing can be drawn
 *     into a lost context;
 *   - something moving on its own, asked every display frame by `wants(now,
 *     moving)`: `@animated` or `@glowing` objects, physics bodies off their
 *     document pose, a hold or a throw in flight, an XR session (which draws
 *     every XR frame through its own loop anyway).
 * Otherwise the display frame is not drawn (`Room.idle()` still ticks the pose
 * channel: pings, hellos and keyframes keep their times, POSE18).
 *
 * @example
 *   const demand = new RenderDemand();
 *   demand.wake('input', performance.now());
 *   if (demand.wants(now, room.moving())) draw(); else room.idle();
 */

import { MAX_PLAYOUT_DELAY_MS } from '../pose/receive/playout-clock.ts';

/** What woke the room or keeps it drawing: counted per reason for tests and benchmarks. */
export type WakeReason =
  | 'start'
  | 'input'
  | 'document'
  | 'render'
  | 'resize'
  | 'view'
  | 'pose'
  | 'animation'
  | 'physics'
  | 'interaction'
  | 'xr'
  | 'restore';

/** How long a change keeps the room drawing: React commits, uploads and the last remote pose's interpolation. */
export const WAKE_MS = 500;
/**
 * A wake is served only by a frame drawn at least this long after it: the
 * render time of remote poses lags by up to the playout delay, so an earlier
 * frame draws the last pose's interpolation, not the pose. With frames slower
 * than WAKE_MS (software GL under load) the window can close with no such
 * frame; the room then draws one more.
 */
export const WAKE_SETTLE_MS = MAX_PLAYOUT_DELAY_MS;

export class RenderDemand {
  private until = Number.NEGATIVE_INFINITY;
  /** The latest wake plus WAKE_SETTLE_MS, and the last frame wanted: one after the other serves every wake. */
  private settledAt = Number.NEGATIVE_INFINITY;
  private lastWanted = Number.NEGATIVE_INFINITY;
  /** LOAD40: the context was restored and no frame has been drawn into it yet. */
  private redrawOwed = false;
  /** Wakes and moving frames per reason since the room opened. */
  readonly counts: Record<WakeReason, number> = {
    start: 0,
    input: 0,
    document: 0,
    render: 0,
    resize: 0,
    view: 0,
    pose: 0,
    animation: 0,
    physics: 0,
    interaction: 0,
    xr: 0,
    restore: 0,
  };
  /** Display frames not drawn because nothing needed them. */
  idleFrames = 0;
  /** Restored contexts a frame was drawn into since (LOAD40; tests read it). */
  restoresDrawn = 0;

  /** Something changed at `now`: draw for the next WAKE_MS. */
  wake(reason: WakeReason, now: number): void {
    this.counts[reason]++;
    this.until = Math.max(this.until, now + WAKE_MS);
    this.settledAt = Math.max(this.settledAt, now + WAKE_SETTLE_MS);
  }

  /**
   * A frame was wanted at `now` but ROOM4's pacing held it back (a joining
   * page): it is still owed, so the room keeps wanting frames for WAKE_MS
   * from now (a still room must not miss its only frames while it joins).
   */
  owe(now: number): void {
    this.until = Math.max(this.until, now + WAKE_MS);
  }

  /** LOAD40: the drawing context was lost; what a restore owed is dropped (nothing can be drawn until the next). */
  lost(): void {
    this.redrawOwed = false;
  }

  /** LOAD40: the drawing context came back empty at `now`: wanted every display frame until `drawn()`. */
  restored(now: number): void {
    this.wake('restore', now);
    this.redrawOwed = true;
  }

  /** A display frame reached the drawing context (the renderer drew it; it draws nothing into a lost context). */
  drawn(): void {
    if (!this.redrawOwed) return;
    this.redrawOwed = false;
    this.restoresDrawn++;
  }

  /** Whether the display frame at `now` needs drawing; `moving` names what moves on its own, if anything. */
  wants(now: number, moving: WakeReason | undefined): boolean {
    if (moving !== undefined) {
      this.counts[moving]++;
    } else if (!this.redrawOwed && now >= this.until && this.lastWanted >= this.settledAt) {
      this.idleFrames++;
      return false;
    }
    this.lastWanted = now;
    return true;
  }
}

/**
 * LOAD40: tells `demand` when the WebGL context of `canvas` is lost and restored. Added after
 * the renderer's own listeners (three re-initialises its state in its 'webglcontextrestored'
 * listener, added when the renderer was made), so the frame it asks for draws with that state.
 * Returns the undo.
 *
 * @example
 *   const stop = followDrawingContext(renderer.domElement, room.demand);
 */
export function followDrawingContext(canvas: EventTarget, demand: RenderDemand): () => void {
  const onLost = () => demand.lost();
  const onRestored = () => demand.restored(performance.now());
  canvas.addEventListener('webglcontextlost', onLost);
  canvas.addEventListener('webglcontextrestored', onRestored);
  return () => {
    canvas.removeEventListener('webglcontextlost', onLost);
    canvas.removeEventListener('webglcontextrestored', onRestored);
  };
}
