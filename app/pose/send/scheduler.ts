/**
 * Builds the one batch per tick for one destination ([POSE7], [POSE8]):
 * - only fields whose quantized value changed since this destination last got
 *   them, repeated for SETTLE_REPEATS more ticks after motion stops (so one lost
 *   packet at the end of a motion does not leave a stale pose for a second);
 * - a full keyframe at once for a new destination and every KEYFRAME_INTERVAL_MS
 *   after (on interval boundaries), so a resting entity costs only that and a
 *   lost packet heals;
 * - in priority order (own avatar, held/moving objects, the rest) under a
 *   per-destination byte budget (a token bucket); the avatar is never starved;
 * - distant entities (from the destination's own head) at lower rates; the own
 *   avatar and held objects nearby at the full rate, in every batch ([POSE20]).
 */

import { entryBits, type PoseBatchWriter } from '../wire/batch-codec.ts';
import { createEntry } from '../wire/entry.ts';
import {
  FIELDS_BOTH,
  FIELDS_GONE,
  FIELDS_POSITION,
  FIELDS_ROTATION,
  FLAG_KEYFRAME,
  MAX_MESSAGE_BYTES,
} from '../wire/protocol.ts';
import { TICK_MS, toTicks } from '../wire/time.ts';
import {
  type LocalEntities,
  MAX_LOCAL_ENTITIES,
  PRIORITY_AVATAR,
  PRIORITY_LEVELS,
  PRIORITY_OTHER,
} from './local-entities.ts';

export const KEYFRAME_INTERVAL_MS = 1000;
const SETTLE_REPEATS = 2;
/** Default per-destination budget: 128 kbit/s, about six avatars' worth of moving objects. */
const DEFAULT_BUDGET_BYTES_PER_SECOND = 16_000;
/** One batch per send window (POSE18, TICK_MS): an entity at this rate goes in every batch in which it changed. */
const FULL_RATE_HZ = 60;
/** Rates by priority (Hz) and the distance tiers that divide them. */
const PRIORITY_RATE_HZ = [FULL_RATE_HZ, FULL_RATE_HZ, 20] as const;
const NEAR_DISTANCE_M = 5;
const FAR_DISTANCE_M = 15;
/** Lowest rate any present entity gets, so distant things still move smoothly. */
const MIN_RATE_HZ = 5;

export class Destination {
  readonly sentPosition = new Uint32Array(MAX_LOCAL_ENTITIES);
  readonly sentRotation = new Uint32Array(MAX_LOCAL_ENTITIES);
  readonly sentPresence = new Uint32Array(MAX_LOCAL_ENTITIES);
  readonly lastSentAt = new Float64Array(MAX_LOCAL_ENTITIES).fill(Number.NEGATIVE_INFINITY);
  readonly settle = new Uint8Array(MAX_LOCAL_ENTITIES);
  seq: number;
  needsKeyframe = true;
  lastKeyframeAt = Number.NEGATIVE_INFINITY;
  tokens: number;
  lastRefill = Number.NaN;
  /** Where the destination's own head is (from its poses), for distance tiers; NaN when unknown. */
  readonly viewer = new Float64Array([Number.NaN, Number.NaN, Number.NaN]);

  constructor(
    entities: LocalEntities,
    seqStart: number,
    readonly budgetBytesPerSecond = DEFAULT_BUDGET_BYTES_PER_SECOND,
  ) {
    this.seq = seqStart & 0xffff;
    this.tokens = MAX_MESSAGE_BYTES;
    // A new destination gets everything present through its first keyframe, never old removals.
    this.sentPresence.set(entities.presenceVersion);
  }
}

const entry = createEntry();

function distance(entities: LocalEntities, slot: number, viewer: Float64Array): number {
  if (Number.isNaN(viewer[0])) return 0;
  const dx = (entities.world[slot * 3] as number) - (viewer[0] as number);
  const dy = (entities.world[slot * 3 + 1] as number) - (viewer[1] as number);
  const dz = (entities.world[slot * 3 + 2] as number) - (viewer[2] as number);
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/** The send rate of a slot for this destination, in Hz. */
function rateFor(entities: LocalEntities, slot: number, dest: Destination): number {
  const priority = entities.priority[slot] as number;
  let rate: number = PRIORITY_RATE_HZ[priority] ?? PRIORITY_RATE_HZ[PRIORITY_OTHER];
  const d = distance(entities, slot, dest.viewer);
  if (d > FAR_DISTANCE_M) rate /= priority === PRIORITY_AVATAR ? 2 : 4;
  else if (d > NEAR_DISTANCE_M && priority !== PRIORITY_AVATAR) rate /= 2;
  return Math.max(MIN_RATE_HZ, rate);
}

/**
 * Writes this tick's batch for `dest` into `writer`; returns its byte length,
 * or 0 when there is nothing to send (nothing is sent then).
 */
export function buildBatch(
  writer: PoseBatchWriter,
  entities: LocalEntities,
  dest: Destination,
  sender: number,
  now: number,
): number {
  const elapsed = Number.isNaN(dest.lastRefill) ? 0 : Math.max(0, now - dest.lastRefill);
  dest.lastRefill = now;
  dest.tokens = Math.min(2 * MAX_MESSAGE_BYTES, dest.tokens + (dest.budgetBytesPerSecond * elapsed) / 1000);
  // Keyframes fall on the same ticks for every destination (interval boundaries of the
  // sender's clock), so destinations stay in step and the relay can share one frame.
  const keyframe =
    dest.needsKeyframe ||
    Math.floor(now / KEYFRAME_INTERVAL_MS) !== Math.floor(dest.lastKeyframeAt / KEYFRAME_INTERVAL_MS);
  writer.begin(sender, dest.seq, toTicks(now), keyframe ? FLAG_KEYFRAME : 0);
  let complete = true;

  for (let priority = 0; priority < PRIORITY_LEVELS; priority++) {
    for (let slot = 0; slot < MAX_LOCAL_ENTITIES; slot++) {
      if (!entities.used[slot] || entities.priority[slot] !== priority) continue;
      const present = entities.present[slot] === 1;
      const presenceChanged = dest.sentPresence[slot] !== entities.presenceVersion[slot];
      let fields: number;
      if (!present) {
        if (!presenceChanged && dest.settle[slot] === 0) continue;
        fields = FIELDS_GONE;
      } else {
        const positionChanged = dest.sentPosition[slot] !== entities.positionVersion[slot];
        const rotationChanged = dest.sentRotation[slot] !== entities.rotationVersion[slot];
        const changed = positionChanged || rotationChanged || presenceChanged;
        if (!keyframe && !changed && dest.settle[slot] === 0) continue;
        // [POSE20] Only an entity slowed below the send windows' rate waits for its interval: at the
        // full rate the windows (POSE18) pace the batches, and a window that comes soon after a late
        // one (timer or frame jitter) still carries the newer pose instead of skipping a sample.
        if (!keyframe) {
          const rate = rateFor(entities, slot, dest);
          if (rate < FULL_RATE_HZ && now - (dest.lastSentAt[slot] as number) < 1000 / rate - TICK_MS / 2) continue;
        }
        fields =
          keyframe || presenceChanged || !changed
            ? FIELDS_BOTH
            : (positionChanged ? FIELDS_POSITION : 0) | (rotationChanged ? FIELDS_ROTATION : 0);
      }
      entities.fillEntry(slot, fields, entry);
      const overBudget =
        priority !== PRIORITY_AVATAR && !keyframe && writer.byteLength + Math.ceil(entryBits(entry) / 8) > dest.tokens;
      if (overBudget || !writer.add(entry)) {
        // Out of room: this and lower priorities wait for the next tick (still marked changed).
        complete = false;
        break;
      }
      const changedNow =
        dest.sentPosition[slot] !== entities.positionVersion[slot] ||
        dest.sentRotation[slot] !== entities.rotationVersion[slot] ||
        presenceChanged;
      dest.sentPosition[slot] = entities.positionVersion[slot] as number;
      dest.sentRotation[slot] = entities.rotationVersion[slot] as number;
      dest.sentPresence[slot] = entities.presenceVersion[slot] as number;
      if (changedNow) dest.settle[slot] = SETTLE_REPEATS;
      else if ((dest.settle[slot] as number) > 0) dest.settle[slot] = (dest.settle[slot] as number) - 1;
      dest.lastSentAt[slot] = now;
    }
    if (!complete) break;
  }

  if (keyframe && complete) {
    dest.needsKeyframe = false;
    dest.lastKeyframeAt = now;
  } else if (keyframe) {
    // Only a batch that lists everything present may say so: receivers drop what it leaves out.
    writer.clearFlags(FLAG_KEYFRAME);
  }
  if (writer.entryCount === 0) return 0;
  const length = writer.byteLength;
  dest.tokens -= length;
  dest.seq = (dest.seq + 1) & 0xffff;
  return length;
}
