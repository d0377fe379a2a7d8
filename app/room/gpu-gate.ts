/**
 * DRAW9 — A frame is drawn once the GPU has finished the last one
 * (docs/performance.md, "The drawing page's main thread"). Where WebGL runs
 * on the CPU (SwiftShader in Chromium's GPU process, a phone's slow GPU), the
 * page issues a frame's commands in a millisecond or two and the GPU takes
 * tens of milliseconds to run them; a page that starts its next frame before
 * then blocks inside it until the GPU catches up, and a message (a keystroke,
 * a pose batch, a signaling message) waits behind it. So after each drawn
 * frame the renderer marks the end of its commands (a WebGL2 fence), and a
 * display frame that comes before the GPU passed the mark is not drawn: the
 * room runs its steps (poses sampled, the pose channel's tick on time) and the
 * main thread is free until the next one. At most GPU_WAIT_MAX_MS after a
 * drawn frame the next is drawn anyway, so the picture never stalls (a lost
 * context, a fence that never signals). XR frames are not gated: the runtime
 * needs a frame drawn in every XR frame.
 *
 * @example
 *   if (gate.open(now)) { draw(); gate.drawn(now); } else room.frameSteps(now);
 */

/** The longest a drawn frame keeps the next from being drawn while its GPU work runs. */
export const GPU_WAIT_MAX_MS = 200;

/** The end of the last drawn frame's GPU work, as the renderer marks it (app/render/RoomFrame.tsx: a WebGL2 fence). */
export interface GpuFence {
  /** Marks the end of the commands issued so far, in place of an earlier mark. */
  place(): void;
  /** Whether the GPU has run everything up to the last mark (true without one); never blocks. */
  passed(): boolean;
}

export class GpuGate {
  private fence: GpuFence | undefined;
  private drawnAt = Number.NEGATIVE_INFINITY;

  /** The renderer's fence from now on (undefined: no renderer, every frame may draw). */
  use(fence: GpuFence | undefined): void {
    this.fence = fence;
    this.drawnAt = Number.NEGATIVE_INFINITY;
  }

  /** Whether a frame may be drawn at `now`: the GPU finished the last one, or it was drawn GPU_WAIT_MAX_MS ago. */
  open(now: number): boolean {
    return !this.fence || now - this.drawnAt >= GPU_WAIT_MAX_MS || this.fence.passed();
  }

  /** A frame was drawn at `now`: its commands are marked. */
  drawn(now: number): void {
    this.fence?.place();
    this.drawnAt = now;
  }
}
