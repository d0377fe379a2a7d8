/**
 * When this peer's poses go out ([POSE18]): the local pose is sampled every
 * rendered frame, and a batch goes out at most once per 16.67 ms send window,
 * whatever the display does. A 72, 90 or 120 Hz headset sends 60 batches a
 * second (each with the newest sample), a 60 Hz display one per frame even
 * when frames jitter, and a slow display one per frame: a slow frame never
 * costs a sample the frames provided.
 *
 * A credit of elapsed time is kept: each frame adds its time since the last
 * one, a send spends one window. Credit is capped at two windows, so a 72 Hz
 * display carries the 11 ms a frame leaves over into the next (and sends 5 of
 * every 6 frames) while a hitch buys at most one extra send, never a burst. A
 * frame may come up to FRAME_SLACK_MS early and still send, so a 60 Hz display
 * whose frames jitter still sends every frame, while 72 Hz frames (13.9 ms
 * apart) do not; the debt an early frame leaves is kept up to half the slack,
 * enough to hold 144 Hz displays to 60 sends without one early frame starving
 * the next.
 *
 * @example
 *   const windows = new SendWindows();
 *   if (windows.due(now)) channel.tick(); // once per frame
 */
import { TICK_MS } from '../wire/time.ts';

/** The send window: one batch per destination per window at most, on average. */
const SEND_WINDOW_MS = TICK_MS;
/**
 * How early a frame may come and still send. Below 16.67 - 13.89 (the gap
 * between 60 and 72 Hz frames), so faster displays are held to 60 sends.
 */
const FRAME_SLACK_MS = 2;

export class SendWindows {
  private credit = 0;
  private last = Number.NaN;

  /** Whether a batch is due for a frame (or idle tick) at `now`, in milliseconds; spends the window if so. */
  due(now: number): boolean {
    if (Number.isNaN(this.last)) {
      this.last = now;
      return true;
    }
    this.credit = Math.min(2 * SEND_WINDOW_MS, this.credit + Math.max(0, now - this.last));
    this.last = now;
    if (this.credit + FRAME_SLACK_MS < SEND_WINDOW_MS) return false;
    this.credit = Math.max(-FRAME_SLACK_MS / 2, this.credit - SEND_WINDOW_MS);
    return true;
  }
}
