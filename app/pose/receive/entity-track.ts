/**
 * The sample history of one remote entity, ordered by send time, and the
 * interpolation that turns it into a pose at a render time ([POSE11]): lerp
 * positions and slerp rotations between the two samples around the render
 * time; past the newest sample, extrapolate with the last velocity for at most
 * MAX_EXTRAPOLATION_MS (a lost packet), then hold. Fixed-size typed arrays;
 * sampling writes into the caller's targets.
 */
import type { QuatLike, Vec3Like } from '../wire/quantize.ts';

const TRACK_CAPACITY = 16;
export const MAX_EXTRAPOLATION_MS = 100;
/** Samples further apart than this are not used to estimate a velocity. */
const MAX_VELOCITY_GAP_MS = 250;

export type SampleState = 'empty' | 'interpolated' | 'extrapolated' | 'held';

export class EntityTrack {
  readonly times = new Float64Array(TRACK_CAPACITY);
  readonly positions = new Float64Array(TRACK_CAPACITY * 3);
  readonly rotations = new Float64Array(TRACK_CAPACITY * 4);
  count = 0;
  hasPosition = false;
  hasRotation = false;
  /** Local arrival time of the newest information. */
  lastHeard = 0;
  /** The sender's keyframe count when this track was last listed (see RemotePeer.forgetUnlisted). */
  keyframeSeq = 0;

  clear(): void {
    this.count = 0;
    this.hasPosition = false;
    this.hasRotation = false;
  }

  /**
   * Inserts a sample at `time`. A missing field (only changed fields travel)
   * is copied from the sample before it. Returns false for a sample older than
   * everything kept in a full track.
   */
  push(time: number, position: Vec3Like | undefined, rotation: QuatLike | undefined): boolean {
    let at = this.count;
    while (at > 0 && (this.times[at - 1] as number) > time) at--;
    if (at > 0 && this.times[at - 1] === time)
      at--; // duplicate time: replace
    else {
      if (this.count === TRACK_CAPACITY) {
        if (at === 0) return false;
        this.shiftOut();
        at--;
      }
      for (let i = this.count; i > at; i--) this.copySample(i - 1, i);
      this.count++;
    }
    this.times[at] = time;
    const from = at > 0 ? at - 1 : at + 1 < this.count ? at + 1 : -1;
    if (position) {
      this.positions[at * 3] = position.x;
      this.positions[at * 3 + 1] = position.y;
      this.positions[at * 3 + 2] = position.z;
      this.hasPosition = true;
    } else if (from >= 0) {
      this.positions.copyWithin(at * 3, from * 3, from * 3 + 3);
    }
    if (rotation) {
      this.rotations[at * 4] = rotation.x;
      this.rotations[at * 4 + 1] = rotation.y;
      this.rotations[at * 4 + 2] = rotation.z;
      this.rotations[at * 4 + 3] = rotation.w;
      this.hasRotation = true;
    } else if (from >= 0) {
      this.rotations.copyWithin(at * 4, from * 4, from * 4 + 4);
    } else {
      this.rotations.fill(0, at * 4, at * 4 + 3);
      this.rotations[at * 4 + 3] = 1;
    }
    return true;
  }

  private shiftOut(): void {
    for (let i = 1; i < this.count; i++) this.copySample(i, i - 1);
    this.count--;
  }

  private copySample(from: number, to: number): void {
    this.times[to] = this.times[from] as number;
    this.positions.copyWithin(to * 3, from * 3, from * 3 + 3);
    this.rotations.copyWithin(to * 4, from * 4, from * 4 + 4);
  }

  /**
   * Whether a sample would show something else than the newest one does (a
   * pose that moved, or a track that was empty): what makes a frame worth
   * drawing (ROOM5). Quantized values repeat exactly, so equality is exact.
   */
  differsFromNewest(position: Vec3Like | undefined, rotation: QuatLike | undefined): boolean {
    const n = this.count - 1;
    if (n < 0) return true;
    const p = this.positions;
    const q = this.rotations;
    if (position && (p[n * 3] !== position.x || p[n * 3 + 1] !== position.y || p[n * 3 + 2] !== position.z)) {
      return true;
    }
    return (
      rotation !== undefined &&
      (q[n * 4] !== rotation.x ||
        q[n * 4 + 1] !== rotation.y ||
        q[n * 4 + 2] !== rotation.z ||
        q[n * 4 + 3] !== rotation.w)
    );
  }

  /** Writes the pose at `renderTime` into the targets. */
  sample(renderTime: number, outPosition: Vec3Like, outRotation: QuatLike): SampleState {
    const n = this.count;
    if (n === 0) return 'empty';
    const last = n - 1;
    if (renderTime <= (this.times[0] as number)) {
      this.write(0, 0, 0, outPosition, outRotation);
      return 'interpolated';
    }
    if (renderTime < (this.times[last] as number)) {
      let i = last - 1;
      while (i > 0 && (this.times[i] as number) > renderTime) i--;
      const t0 = this.times[i] as number;
      const t1 = this.times[i + 1] as number;
      this.write(i, i + 1, (renderTime - t0) / (t1 - t0), outPosition, outRotation);
      return 'interpolated';
    }
    const lastTime = this.times[last] as number;
    const ahead = renderTime - lastTime;
    const span = n > 1 ? lastTime - (this.times[last - 1] as number) : 0;
    if (n < 2 || span <= 0 || span > MAX_VELOCITY_GAP_MS) {
      this.write(last, last, 0, outPosition, outRotation);
      return ahead === 0 ? 'interpolated' : 'held';
    }
    const clamped = Math.min(ahead, MAX_EXTRAPOLATION_MS);
    this.write(last - 1, last, 1 + clamped / span, outPosition, outRotation);
    return ahead <= MAX_EXTRAPOLATION_MS ? 'extrapolated' : 'held';
  }

  /** Pose between samples a and b at fraction t (t > 1 extrapolates). */
  private write(a: number, b: number, t: number, outPosition: Vec3Like, outRotation: QuatLike): void {
    const p = this.positions;
    outPosition.x = (p[a * 3] as number) + ((p[b * 3] as number) - (p[a * 3] as number)) * t;
    outPosition.y = (p[a * 3 + 1] as number) + ((p[b * 3 + 1] as number) - (p[a * 3 + 1] as number)) * t;
    outPosition.z = (p[a * 3 + 2] as number) + ((p[b * 3 + 2] as number) - (p[a * 3 + 2] as number)) * t;
    slerpInto(this.rotations, a * 4, b * 4, t, outRotation);
  }
}

/** Spherical interpolation between quaternions stored at offsets `a` and `b` of `q`. */
function slerpInto(q: Float64Array, a: number, b: number, t: number, out: QuatLike): void {
  const ax = q[a] as number;
  const ay = q[a + 1] as number;
  const az = q[a + 2] as number;
  const aw = q[a + 3] as number;
  let bx = q[b] as number;
  let by = q[b + 1] as number;
  let bz = q[b + 2] as number;
  let bw = q[b + 3] as number;
  let cos = ax * bx + ay * by + az * bz + aw * bw;
  if (cos < 0) {
    // q and -q are the same rotation: take the short way round.
    bx = -bx;
    by = -by;
    bz = -bz;
    bw = -bw;
    cos = -cos;
  }
  let wa: number;
  let wb: number;
  if (cos > 0.9995) {
    wa = 1 - t;
    wb = t;
  } else {
    const angle = Math.acos(Math.min(1, cos));
    const sin = Math.sin(angle);
    wa = Math.sin((1 - t) * angle) / sin;
    wb = Math.sin(t * angle) / sin;
  }
  const x = ax * wa + bx * wb;
  const y = ay * wa + by * wb;
  const z = az * wa + bz * wb;
  const w = aw * wa + bw * wb;
  const length = Math.sqrt(x * x + y * y + z * z + w * w) || 1;
  out.x = x / length;
  out.y = y / length;
  out.z = z / length;
  out.w = w / length;
}
