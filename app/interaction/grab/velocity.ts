/**
 * The velocity a held object has when it is let go (docs/interaction.md
 * THROW1): the least-squares slope of its recent positions over
 * THROW_WINDOW_MS, so one jittery frame does not decide the throw, and the
 * rotation between the oldest and newest sample of that window for spin.
 * Fixed-size ring buffer: nothing is allocated per frame.
 */
import { Quaternion, type Vector3 } from 'three';

/** Samples older than this (relative to the newest) do not count (THROW1). */
export const THROW_WINDOW_MS = 100;
/** THROW1 limits: nobody throws faster than this; tracking glitches must not launch objects across the room. */
export const MAX_THROW_SPEED = 15;
export const MAX_SPIN = 4 * 2 * Math.PI;

const CAPACITY = 32;
const deltaQuaternion = new Quaternion();
const inverse = new Quaternion();

export class VelocityTracker {
  private readonly times = new Float64Array(CAPACITY);
  private readonly positions = new Float64Array(CAPACITY * 3);
  private readonly rotations = new Float64Array(CAPACITY * 4);
  private next = 0;
  private count = 0;

  reset(): void {
    this.count = 0;
    this.next = 0;
  }

  /** Records the object's pose at time `t` (ms). Samples must come in time order; a repeat of the same time replaces it. */
  add(t: number, position: Vector3, rotation: Quaternion): void {
    if (this.count > 0 && t <= (this.times[(this.next + CAPACITY - 1) % CAPACITY] as number)) {
      this.next = (this.next + CAPACITY - 1) % CAPACITY;
      this.count--;
    }
    const i = this.next;
    this.times[i] = t;
    this.positions[i * 3] = position.x;
    this.positions[i * 3 + 1] = position.y;
    this.positions[i * 3 + 2] = position.z;
    this.rotations[i * 4] = rotation.x;
    this.rotations[i * 4 + 1] = rotation.y;
    this.rotations[i * 4 + 2] = rotation.z;
    this.rotations[i * 4 + 3] = rotation.w;
    this.next = (i + 1) % CAPACITY;
    this.count = Math.min(CAPACITY, this.count + 1);
  }

  /**
   * Writes the linear velocity (m/s) and angular velocity (rad/s, as an axis
   * scaled by the rate) into the targets. Zero when fewer than two samples fall
   * inside the window.
   */
  estimate(linear: Vector3, angular: Vector3): void {
    linear.set(0, 0, 0);
    angular.set(0, 0, 0);
    if (this.count < 2) return;
    const newest = (this.next + CAPACITY - 1) % CAPACITY;
    const tEnd = this.times[newest] as number;
    // Samples inside the window, newest first.
    let n = 0;
    let sumT = 0;
    let oldest = newest;
    for (let k = 0; k < this.count; k++) {
      const i = (newest - k + CAPACITY) % CAPACITY;
      const t = this.times[i] as number;
      if (tEnd - t > THROW_WINDOW_MS) break;
      n++;
      sumT += t;
      oldest = i;
    }
    if (n < 2) return;
    const meanT = sumT / n;
    let sTT = 0;
    let sTX = 0;
    let sTY = 0;
    let sTZ = 0;
    for (let k = 0; k < n; k++) {
      const i = (newest - k + CAPACITY) % CAPACITY;
      const dt = ((this.times[i] as number) - meanT) / 1000;
      sTT += dt * dt;
      sTX += dt * (this.positions[i * 3] as number);
      sTY += dt * (this.positions[i * 3 + 1] as number);
      sTZ += dt * (this.positions[i * 3 + 2] as number);
    }
    if (sTT <= 0) return;
    linear.set(sTX / sTT, sTY / sTT, sTZ / sTT);
    if (linear.length() > MAX_THROW_SPEED) linear.setLength(MAX_THROW_SPEED);

    const span = (tEnd - (this.times[oldest] as number)) / 1000;
    if (span <= 0) return;
    inverse
      .set(
        this.rotations[oldest * 4] as number,
        this.rotations[oldest * 4 + 1] as number,
        this.rotations[oldest * 4 + 2] as number,
        this.rotations[oldest * 4 + 3] as number,
      )
      .invert();
    deltaQuaternion
      .set(
        this.rotations[newest * 4] as number,
        this.rotations[newest * 4 + 1] as number,
        this.rotations[newest * 4 + 2] as number,
        this.rotations[newest * 4 + 3] as number,
      )
      .multiply(inverse)
      .normalize();
    // The short way round: q and -q are the same rotation.
    if (deltaQuaternion.w < 0)
      deltaQuaternion.set(-deltaQuaternion.x, -deltaQuaternion.y, -deltaQuaternion.z, -deltaQuaternion.w);
    const angle = 2 * Math.acos(Math.min(1, deltaQuaternion.w));
    const s = Math.sqrt(Math.max(0, 1 - deltaQuaternion.w * deltaQuaternion.w));
    if (angle < 1e-6 || s < 1e-9) return;
    const rate = Math.min(MAX_SPIN, angle / span);
    angular.set(deltaQuaternion.x / s, deltaQuaternion.y / s, deltaQuaternion.z / s).multiplyScalar(rate);
  }
}
