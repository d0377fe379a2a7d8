/**
 * One clock for the room (CLOCK1-CLOCK3, docs/scene-runtime.md): the time
 * `@animated` and `@glowing` run on, the same on every page of a room within a
 * frame, whatever each device's own clock says.
 *
 * Room time is the local clock (`performance.timeOrigin + performance.now()`,
 * the pose channel's) plus an offset. The reference is the page with the
 * lowest pose peer id among this page and the peers whose clock the pose
 * channel has estimated from PING/PONG (POSE9): every page picks the same one,
 * and follows its clock by the channel's estimate of that peer's clock minus
 * ours. The reference itself uses its own clock. The estimate changes as
 * round trips vary; a change of up to `STEP_MS` is slewed at `SLEW_RATE` (the
 * motion runs a few percent faster or slower for a moment, nothing jumps), a
 * larger one (the first estimate, a new reference) is stepped at once. A page
 * left alone keeps the offset it had: nobody is left to disagree with.
 *
 * @example
 *   const clock = new RoomClock(selfId, channel);
 *   behaviours.tick(clock.update() / 1000);   // once per frame
 */
import type { PeerId } from '../core/ids.ts';
import { type Clock, systemClock } from '../pose/wire/time.ts';

/** Where the clocks of the others come from: the pose channel (`PoseChannel.forEachClockOffset`). */
export interface ClockEstimates {
  /** Visits every present peer whose clock is estimated: its id and its clock minus ours, in ms. */
  forEachClockOffset(visit: (peerId: PeerId, offsetMs: number) => void): void;
}

/** A correction larger than this is made at once (a frame at 60 Hz is 16.7 ms; this is six). */
export const STEP_MS = 100;
/** Smaller corrections run the room clock at most 5 % fast or slow: 50 ms per second. */
export const SLEW_RATE = 0.05;

export interface RoomClockInspection {
  /** Room time minus the local clock, in ms, as of the last update. */
  offsetMs: number;
  /** The offset the clock is moving towards: the reference's clock minus ours. */
  targetMs: number;
  /** Whose clock the room follows (this page's own id when it is the reference). */
  referenceId: PeerId;
  /** Corrections made at once (larger than STEP_MS). */
  steps: number;
  /** Room time of the last update (the last frame's), in ms. */
  lastMs: number;
}

export class RoomClock {
  private offset = 0;
  private target = 0;
  private reference: PeerId;
  private steps = 0;
  private lastLocal: number | undefined;
  private lastRoom = Number.NaN;

  constructor(
    private readonly selfId: PeerId,
    private readonly estimates: ClockEstimates,
    private readonly local: Clock = systemClock,
  ) {
    this.reference = selfId;
  }

  /** Moves the offset towards the reference and returns room time now (ms). Once per frame. */
  update(): number {
    const now = this.local.now();
    this.chooseReference();
    const dt = this.lastLocal === undefined ? 0 : Math.max(0, now - this.lastLocal);
    this.lastLocal = now;
    const error = this.target - this.offset;
    if (Math.abs(error) > STEP_MS) {
      this.offset = this.target;
      this.steps++;
    } else {
      const most = SLEW_RATE * dt;
      this.offset += Math.max(-most, Math.min(most, error));
    }
    this.lastRoom = now + this.offset;
    return this.lastRoom;
  }

  /** Room time now (ms) at the current offset, without moving it. */
  now(): number {
    return this.local.now() + this.offset;
  }

  inspect(): RoomClockInspection {
    return {
      offsetMs: this.offset,
      targetMs: this.target,
      referenceId: this.reference,
      steps: this.steps,
      lastMs: this.lastRoom,
    };
  }

  private chooseReference(): void {
    let reference = this.selfId;
    let offset = 0;
    let anyone = false;
    this.estimates.forEachClockOffset((peerId, offsetMs) => {
      anyone = true;
      if (peerId < reference) {
        reference = peerId;
        offset = offsetMs;
      }
    });
    // Alone: keep following the clock the room had (nothing to agree with, nothing to jump for).
    if (!anyone) return;
    this.reference = reference;
    this.target = offset;
  }
}
