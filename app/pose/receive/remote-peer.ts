/**
 * Everything this peer knows about one remote peer: its links, its identity
 * (from HELLO), the tracks of its avatar parts and streamed objects, timing
 * (playout, clock offset) and stats, and the sending state toward it.
 */

import type { EntityId, PeerId } from '../../core/ids.ts';
import type { LocalEntities } from '../send/local-entities.ts';
import { Destination } from '../send/scheduler.ts';
import type { PoseLink, TransportKind } from '../transports/link.ts';
import { TRANSPORT_PREFERENCE } from '../transports/link.ts';
import type { DecodedBatch } from '../wire/batch-codec.ts';
import { entryPosition, entryRotation, type PoseEntry } from '../wire/entry.ts';
import { FIELDS_GONE, FLAG_KEYFRAME, PART_HEAD } from '../wire/protocol.ts';
import type { QuatLike, Vec3Like } from '../wire/quantize.ts';
import { TimeUnwrapper } from '../wire/time.ts';
import { ClockSync } from './clock-sync.ts';
import { EntityTrack } from './entity-track.ts';
import { LinkHealth } from './link-health.ts';
import { PeerStatsWindow } from './peer-stats.ts';
import { PlayoutClock } from './playout-clock.ts';

/** Objects one remote peer may stream at once; more are dropped and counted. */
const MAX_REMOTE_OBJECTS = 256;

const scratchPosition: Vec3Like = { x: 0, y: 0, z: 0 };
const scratchRotation: QuatLike = { x: 0, y: 0, z: 0, w: 1 };

export class RemotePeer {
  name = '';
  color = '#808080';
  /** Opaque WebRTC endpoint token from HELLO (for upgrade attempts). */
  linkToken = '';
  readonly links = new Map<TransportKind, PoseLink>();
  current: PoseLink | undefined;
  readonly parts = [new EntityTrack(), new EntityTrack(), new EntityTrack()];
  readonly objects = new Map<EntityId, EntityTrack>();
  readonly playout = new PlayoutClock();
  readonly unwrap = new TimeUnwrapper();
  readonly clock = new ClockSync();
  readonly stats = new PeerStatsWindow();
  readonly dest: Destination;
  lastHeard: number;
  /** Which links still answer their probes (TRN8): `chooseLink` passes over silent ones. */
  readonly health = new LinkHealth();
  pingsSent = 0;
  /** Batches that changed what this peer's avatar or objects show (a render on demand wakes on them, ROOM5). */
  changes = 0;
  lastHelloAt = Number.NEGATIVE_INFINITY;
  /** Counts keyframes received; a track stamped with an older count was left out of the latest. */
  keyframeSeq = 0;
  /** Local time of the first batch received over each kind of link (for connect-time measurements). */
  readonly firstBatchAt: Partial<Record<TransportKind, number>> = {};
  /** Said BYE or left presence ([POSE15], [POSE19]): hidden and not counted until presence announces it again. */
  left = false;

  constructor(
    readonly id: PeerId,
    entities: LocalEntities,
    now: number,
    seqStart: number,
    budgetBytesPerSecond?: number,
  ) {
    this.dest = new Destination(entities, seqStart, budgetBytesPerSecond);
    this.lastHeard = now;
  }

  /**
   * Re-picks the link: the best one that is not silent (TRN8), else the best
   * one at all (a silent link is still better than none). Returns true when
   * the choice changed.
   */
  chooseLink(now: number): boolean {
    let best: PoseLink | undefined;
    let fallback: PoseLink | undefined;
    for (const kind of TRANSPORT_PREFERENCE) {
      const link = this.links.get(kind);
      if (!link) continue;
      fallback ??= link;
      if (this.health.silentFor(kind, now) === 0) {
        best = link;
        break;
      }
    }
    best ??= fallback;
    if (best === this.current) return false;
    this.current = best;
    return true;
  }

  /**
   * Puts a batch's entries into this peer's tracks, at `sendTime` on this
   * peer's timeline. A keyframe lists everything the sender has: what it left
   * out is gone (heals a lost GONE). Returns how many entries were dropped
   * because the peer already streams MAX_REMOTE_OBJECTS objects.
   */
  applyBatch(batch: DecodedBatch, sendTime: number, now: number): number {
    const keyframe = (batch.flags & FLAG_KEYFRAME) !== 0;
    if (keyframe) this.keyframeSeq++;
    let dropped = 0;
    let changed = false;
    for (let i = 0; i < batch.count; i++) {
      const entry = batch.entries[i] as PoseEntry;
      const track = this.track(entry.part, entry.id, entry.fields !== FIELDS_GONE);
      if (!track) {
        dropped++;
        continue;
      }
      track.lastHeard = now;
      track.keyframeSeq = this.keyframeSeq;
      if (entry.fields === FIELDS_GONE) {
        if (track.count > 0) changed = true;
        track.clear();
        continue;
      }
      const position = entryPosition(entry, scratchPosition);
      const rotation = entryRotation(entry, scratchRotation);
      if (!changed && track.differsFromNewest(position, rotation)) changed = true;
      if (position && entry.part === PART_HEAD) {
        // Where this peer's viewer is: distant things are sent to it at lower rates.
        this.dest.viewer[0] = position.x;
        this.dest.viewer[1] = position.y;
        this.dest.viewer[2] = position.z;
      }
      track.push(sendTime, position, rotation);
    }
    if (keyframe && this.forgetUnlisted()) changed = true;
    if (changed) this.changes++;
    return dropped;
  }

  /** After a keyframe: clears parts and drops objects it did not list; returns whether any had something to show. */
  forgetUnlisted(): boolean {
    let forgot = false;
    for (const track of this.parts) {
      if (track.keyframeSeq === this.keyframeSeq) continue;
      if (track.count > 0) forgot = true;
      track.clear();
    }
    for (const [id, track] of this.objects) {
      if (track.keyframeSeq === this.keyframeSeq) continue;
      if (track.count > 0) forgot = true;
      this.objects.delete(id);
    }
    return forgot;
  }

  track(part: number, objectId: EntityId, create: boolean): EntityTrack | undefined {
    if (part < 3) return this.parts[part];
    let track = this.objects.get(objectId);
    if (!track && create && this.objects.size < MAX_REMOTE_OBJECTS) {
      track = new EntityTrack();
      this.objects.set(objectId, track);
    }
    return track;
  }
}
