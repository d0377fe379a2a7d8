/**
 * Which pose to draw for objects that interaction moves (docs/interaction.md
 * GRAB10). The renderer draws the room document's transform; while an object
 * is held or thrown its pose comes from elsewhere, frame by frame:
 *
 *   1. held or flown by this page        -> the local pose (GrabCoordinator)
 *   2. streamed by someone else          -> the pose channel's sample (POSE11)
 *   3. stream ended, document still names a remote owner
 *                                        -> the last streamed pose (the release
 *                                           or the cleanup of GRAB6 is on its way)
 *   4. otherwise                         -> back to the document's transform
 *
 * Only objects with a remote owner in the document, and objects drawn from an
 * override last frame, are looked at: a room of resting objects costs nothing.
 */

import type { ObjectId, PeerId } from '../../core/ids.ts';
import type { SampleState } from '../../pose/receive/entity-track.ts';
import { copyPose, createPose, type Pose } from '../pose.ts';

export interface OverridePorts {
  selfId: PeerId;
  /** The document's owner of an object. */
  ownerOf(id: ObjectId): PeerId | null;
  /** Samples a remote stream of the object into the pose (PoseChannel.sampleObject). */
  sample(id: ObjectId, target: Pose): SampleState;
  /** Local holds and throws. */
  forEachLocalPose(visit: (id: ObjectId, pose: Pose) => void): void;
  isLocal(id: ObjectId): boolean;
}

/** What the renderer does with the decisions. */
export interface OverrideSink {
  /** Draw `id` at this world pose this frame. */
  apply(id: ObjectId, pose: Pose): void;
  /** Draw `id` at its document transform again. */
  revert(id: ObjectId): void;
}

export class PoseOverrides {
  /** Objects whose document owner is someone else (kept current by `ownersChanged`). */
  private readonly remotelyOwned = new Set<ObjectId>();
  /** Objects drawn from an override last frame, with the last remote pose drawn (or null when local). */
  private readonly overridden = new Map<ObjectId, Pose | null>();
  private readonly scratch = createPose();

  constructor(private readonly ports: OverridePorts) {}

  /** Call with ids whose document state changed (RoomDoc.observeObjects), or every id at start. */
  ownersChanged(ids: Iterable<ObjectId>): void {
    for (const id of ids) {
      const owner = this.ports.ownerOf(id);
      if (owner !== null && owner !== this.ports.selfId) this.remotelyOwned.add(id);
      else this.remotelyOwned.delete(id);
    }
  }

  /** The pose last drawn from someone else's stream (GRAB6 writes it when they left). */
  lastStreamedPose(id: ObjectId): Pose | undefined {
    return this.overridden.get(id) ?? undefined;
  }

  /** Whether `id` is drawn from a stream or a hold right now. */
  isOverridden(id: ObjectId): boolean {
    return this.overridden.has(id);
  }

  frame(sink: OverrideSink): void {
    const { ports } = this;
    ports.forEachLocalPose((id, pose) => {
      sink.apply(id, pose);
      this.overridden.set(id, null);
    });
    for (const id of this.remotelyOwned) this.follow(id, sink);
    for (const id of this.overridden.keys()) {
      if (!this.remotelyOwned.has(id)) this.follow(id, sink);
    }
  }

  private follow(id: ObjectId, sink: OverrideSink): void {
    const { ports } = this;
    if (ports.isLocal(id)) return;
    if (ports.sample(id, this.scratch) !== 'empty') {
      const last = this.overridden.get(id) ?? createPose();
      copyPose(last, this.scratch);
      this.overridden.set(id, last);
      sink.apply(id, last);
      return;
    }
    if (!this.overridden.has(id)) return;
    const last = this.overridden.get(id);
    const owner = ports.ownerOf(id);
    if (last && owner !== null && owner !== ports.selfId) {
      sink.apply(id, last);
      return;
    }
    this.overridden.delete(id);
    sink.revert(id);
  }
}
