/**
 * Grabbing shared objects on this page: claims in the room document, the hold
 * itself (object pose follows the hand, mouse or finger), streaming through
 * the pose channel, release with the final pose written to the document, and
 * throws (docs/interaction.md GRAB1-GRAB9, THROW1-THROW3). Plain TypeScript:
 * the renderer feeds it poses and draws what it says; Node tests drive it
 * with real room documents.
 *
 * A "grabber" is anything that can hold one object: `xr-left`, `xr-right`,
 * `pointer` (mouse or a finger on desktop and phones).
 *
 * @example
 *   const grabs = new GrabCoordinator({ room, selfId, presence, stream: channel, scene });
 *   if (grabs.grab('xr-right', 'Crate', handPose, cratePose) === 'held') ...
 *   grabs.move('xr-right', handPose);   // every frame while squeezed
 *   grabs.frame(deltaMs);               // streams holds, flies throws
 *   grabs.release('xr-right');          // writes the final pose
 */
import { Vector3 } from 'three';
import type { ObjectId, PeerId } from '../../core/ids.ts';
import type { Transform } from '../../sync/doc/object-state.ts';
import type { RoomDoc } from '../../sync/doc/room-doc.ts';
import { composePose, copyPose, createPose, type Pose, relativePose } from '../pose.ts';
import { Flight, MIN_THROW_SPEED, type SurfaceBelow } from './flight.ts';
import { ABANDON_GRACE_MS, canClaim, isCleaner, type PresenceView } from './ownership.ts';
import { VelocityTracker } from './velocity.ts';

export type GrabResult = 'held' | 'taken' | 'not-grabbable' | 'refused' | 'not-allowed';

/** The part of the pose channel grabbing uses (app/pose/channel.ts, POSE16). */
interface ObjectStream {
  streamObject(objectId: ObjectId, position: Vector3, rotation: Pose['quaternion']): boolean;
  endObjectStream(objectId: ObjectId): void;
}

/** What grabbing needs from the drawn scene. */
export interface GrabScene {
  /** The object's interaction traits, undefined when it is not drawn. */
  traits(id: ObjectId): { grabbable: boolean; throwable: boolean } | undefined;
  /** The document transform for a world pose (relative to the node's parent, keeping its scale). */
  toTransform(id: ObjectId, world: Pose): Transform | undefined;
  /** Surfaces thrown objects land on (THROW2). */
  surfaceBelow: SurfaceBelow;
  /** Runs the object's `grab` / `release` handler for this person (GRAB8). */
  dispatch(id: ObjectId, event: 'grab' | 'release'): void;
  /** The pose this page last drew from someone's stream, for GRAB6. */
  lastStreamedPose(id: ObjectId): Pose | undefined;
}

/** Rigid bodies (app/physics/room-physics.ts): a released body falls under the simulation (PHYS4). */
export interface GrabBodies {
  /** True while this page simulates `id` for the room: its claim is kept (GRAB7). */
  simulates(id: ObjectId): boolean;
  /** Hands a released body to the simulation with the hand's velocity; false when `id` is not a body. */
  takeOver(id: ObjectId, pose: Pose, linear: Vector3, angular: Vector3): boolean;
}

export interface GrabCoordinatorOptions {
  room: RoomDoc;
  /** Rigid bodies, when the scene has any. */
  bodies?: GrabBodies;
  selfId: PeerId;
  presence: PresenceView;
  stream: ObjectStream;
  scene: GrabScene;
  now?: () => number;
  /** Whether this page may grab `id` at all (docs/roles.md ROLE10: a viewer's page may not); all when absent. */
  mayGrab?: (id: ObjectId) => boolean;
}

interface Hold {
  id: ObjectId;
  grabber: string;
  /** The object in the grabber's frame at the moment of grabbing. */
  offset: Pose;
  /** Current world pose. */
  pose: Pose;
  /** Where it was picked up (THROW3 returns objects that fall out here). */
  pickup: Pose;
  tracker: VelocityTracker;
  throwable: boolean;
  bottom: number;
}

interface Thrown {
  flight: Flight;
  pickup: Pose;
}

export interface GrabStats {
  claims: number;
  refused: number;
  /** Holds given up because another person's concurrent claim won (GRAB2). */
  lost: number;
  reclaims: number;
  releases: number;
  throws: number;
  /** Owners cleared after they left (GRAB6). */
  cleaned: number;
}

/** A release this close to where the object was picked up did not move it (a click on a grabbable object). */
const UNMOVED_METRES = 1e-4;
const UNMOVED_RADIANS = 1e-4;
/** Scanning the document for owners who left is not a per-frame job. */
const DEPARTURE_CHECK_MS = 250;

const linear = new Vector3();
const angular = new Vector3();

export class GrabCoordinator {
  private readonly holds = new Map<string, Hold>();
  private readonly held = new Map<ObjectId, Hold>();
  private readonly thrown = new Map<ObjectId, Thrown>();
  /** Objects whose owner is not present, and since when (GRAB6). */
  private readonly absentSince = new Map<ObjectId, { owner: PeerId; since: number }>();
  private lastDepartureCheck = Number.NEGATIVE_INFINITY;
  readonly stats: GrabStats = { claims: 0, refused: 0, lost: 0, reclaims: 0, releases: 0, throws: 0, cleaned: 0 };
  private readonly now: () => number;
  private readonly stopObserving: () => void;

  constructor(private readonly options: GrabCoordinatorOptions) {
    this.now = options.now ?? (() => performance.now());
    this.stopObserving = options.room.observeObjects((ids) => this.onObjectsChanged(ids));
  }

  /** Whether this page holds or throws something now: it moves per frame (ROOM5). */
  get active(): boolean {
    return this.holds.size > 0 || this.thrown.size > 0;
  }

  /** The document's owner of `id` (validated like readObjectState). */
  ownerOf(id: ObjectId): PeerId | null {
    return this.options.room.ownerOf(id);
  }

  /** True while this page holds or flies `id`. */
  isLocal(id: ObjectId): boolean {
    return this.held.has(id) || this.thrown.has(id) || this.options.bodies?.simulates(id) === true;
  }

  /** Where this page holds `id` (world), undefined when it does not hold it. */
  heldPose(id: ObjectId): Pose | undefined {
    return this.held.get(id)?.pose;
  }

  /** The object `grabber` holds, if any. */
  holding(grabber: string): ObjectId | undefined {
    return this.holds.get(grabber)?.id;
  }

  /**
   * GRAB1: grabs `id` with `grabber` at `grabberPose` (world), the object now at
   * `objectPose` (world). `bottom` is how far the object reaches below its
   * origin (for landing throws).
   */
  grab(grabber: string, id: ObjectId, grabberPose: Pose, objectPose: Pose, bottom = 0): GrabResult {
    const traits = this.options.scene.traits(id);
    if (!traits?.grabbable) return 'not-grabbable';
    // ROLE10: asked before anything is held or written, so a refused grab leaves no trace.
    if (this.options.mayGrab && !this.options.mayGrab(id)) return 'not-allowed';
    if (this.holds.has(grabber)) this.release(grabber, false);
    const mine = this.held.get(id);
    if (mine) {
      // GRAB9: hand to hand, no new claim.
      this.holds.delete(mine.grabber);
      mine.grabber = grabber;
      relativePose(mine.offset, grabberPose, mine.pose);
      this.holds.set(grabber, mine);
      return 'held';
    }
    const { room, selfId, presence } = this.options;
    const thrown = this.thrown.get(id);
    if (thrown) {
      // Caught in flight: it is still ours.
      this.thrown.delete(id);
      objectPose = thrown.flight.pose;
    } else if (!canClaim(this.ownerOf(id), selfId, presence)) {
      this.stats.refused++;
      return 'taken';
    }
    const hold: Hold = {
      id,
      grabber,
      offset: relativePose(createPose(), grabberPose, objectPose),
      pose: copyPose(createPose(), objectPose),
      pickup: thrown?.pickup ?? copyPose(createPose(), objectPose),
      tracker: new VelocityTracker(),
      throwable: traits.throwable,
      bottom: Math.max(0, bottom),
    };
    hold.tracker.add(this.now(), hold.pose.position, hold.pose.quaternion);
    // The hold exists before the claim is written: the document's observer must see it as ours.
    this.holds.set(grabber, hold);
    this.held.set(id, hold);
    if (thrown) return 'held';
    if (!room.setOwner(id, selfId).ok) {
      this.holds.delete(grabber);
      this.held.delete(id);
      this.stats.refused++;
      return 'refused';
    }
    this.stats.claims++;
    this.options.scene.dispatch(id, 'grab');
    return 'held';
  }

  /** Moves what `grabber` holds along with it; returns the object's new world pose. */
  move(grabber: string, grabberPose: Pose): Pose | undefined {
    const hold = this.holds.get(grabber);
    if (!hold) return undefined;
    composePose(hold.pose, grabberPose, hold.offset);
    hold.tracker.add(this.now(), hold.pose.position, hold.pose.quaternion);
    return hold.pose;
  }

  /**
   * Lets go (GRAB4): the final pose goes to the room document with `owner: null`.
   * A @throwable object let go fast enough flies first (THROW2) unless `allowThrow` is false.
   */
  release(grabber: string, allowThrow = true): void {
    const hold = this.holds.get(grabber);
    if (!hold) return;
    this.holds.delete(grabber);
    this.held.delete(hold.id);
    this.stats.releases++;
    const { bodies } = this.options;
    if (bodies) {
      // PHYS4: a rigid body is not put down in the air: it falls (or flies, thrown) and lands under the simulation.
      if (allowThrow && hold.throwable) hold.tracker.estimate(linear, angular);
      else {
        linear.set(0, 0, 0);
        angular.set(0, 0, 0);
      }
      if (bodies.takeOver(hold.id, hold.pose, linear, angular)) {
        if (linear.length() >= MIN_THROW_SPEED) this.stats.throws++;
        this.options.scene.dispatch(hold.id, 'release');
        return;
      }
    }
    if (allowThrow && hold.throwable) {
      hold.tracker.estimate(linear, angular);
      if (linear.length() >= MIN_THROW_SPEED) {
        const flight = new Flight(hold.pose, linear, angular, hold.bottom, this.options.scene.surfaceBelow);
        this.thrown.set(hold.id, { flight, pickup: hold.pickup });
        this.stats.throws++;
        this.options.scene.dispatch(hold.id, 'release');
        return;
      }
    }
    this.commit(hold.id, hold.pose, hold.pickup);
    this.options.scene.dispatch(hold.id, 'release');
  }

  /** Once per frame: flights advance; every held or flying object's pose goes out on the channel (GRAB3). */
  frame(dtMs: number): void {
    const { stream } = this.options;
    for (const [id, thrown] of this.thrown) {
      const end = thrown.flight.step(dtMs);
      if (end === 'flying') {
        stream.streamObject(id, thrown.flight.pose.position, thrown.flight.pose.quaternion);
        continue;
      }
      this.thrown.delete(id);
      this.commit(id, end === 'fell' ? thrown.pickup : thrown.flight.pose);
    }
    for (const hold of this.held.values()) {
      // The script no longer draws it (edited away, another scene): let go without writing a pose.
      if (!this.options.scene.traits(hold.id)) this.vanish(hold.id);
      else stream.streamObject(hold.id, hold.pose.position, hold.pose.quaternion);
    }
    const now = this.now();
    if (now - this.lastDepartureCheck >= DEPARTURE_CHECK_MS) {
      this.lastDepartureCheck = now;
      this.checkDepartures(now);
    }
  }

  /** Visits the world pose of every object this page holds or flies (for drawing). */
  forEachLocalPose(visit: (id: ObjectId, pose: Pose) => void): void {
    for (const hold of this.held.values()) visit(hold.id, hold.pose);
    for (const [id, thrown] of this.thrown) visit(id, thrown.flight.pose);
  }

  /** Lets go of everything, writing where each object is (page closing, XR ending). */
  releaseAll(): void {
    for (const grabber of [...this.holds.keys()]) this.release(grabber, false);
    for (const [id, thrown] of [...this.thrown]) {
      this.thrown.delete(id);
      this.commit(id, thrown.flight.pose);
    }
  }

  destroy(): void {
    this.releaseAll();
    this.stopObserving();
  }

  /** GRAB4: writes where it is and frees it; an object put back where it was picked up (a click) only frees it. */
  private commit(id: ObjectId, pose: Pose, pickup?: Pose): void {
    const { room, scene, stream } = this.options;
    const unmoved =
      pickup !== undefined &&
      pose.position.distanceToSquared(pickup.position) < UNMOVED_METRES ** 2 &&
      pose.quaternion.angleTo(pickup.quaternion) < UNMOVED_RADIANS;
    const transform = unmoved ? undefined : scene.toTransform(id, pose);
    room.transact(() => {
      if (transform) room.setTransform(id, transform);
      // Nothing to clear in an entry that is gone (a scene switch cleared every object's state).
      if (transform || room.hasObjectState(id)) room.setOwner(id, null);
    });
    stream.endObjectStream(id);
  }

  /** The held object is no longer drawn: stop holding it and clear this page's claim, writing no pose. */
  private vanish(id: ObjectId): void {
    const hold = this.held.get(id);
    if (hold) {
      this.held.delete(id);
      this.holds.delete(hold.grabber);
    }
    this.options.stream.endObjectStream(id);
    if (this.ownerOf(id) === this.options.selfId) this.options.room.setOwner(id, null);
  }

  /** Drops a hold or flight without writing anything (GRAB2: someone else's claim won). */
  private lose(id: ObjectId): void {
    const hold = this.held.get(id);
    if (hold) {
      this.held.delete(id);
      this.holds.delete(hold.grabber);
    }
    this.thrown.delete(id);
    this.options.stream.endObjectStream(id);
    this.stats.lost++;
  }

  private onObjectsChanged(ids: ReadonlySet<ObjectId>): void {
    const { selfId, room } = this.options;
    for (const id of ids) {
      const owner = this.ownerOf(id);
      if (this.isLocal(id)) {
        if (owner === selfId) continue;
        if (owner === null && room.hasObjectState(id)) {
          // GRAB7: cleared by a page that thought we had left; we still hold it.
          this.stats.reclaims++;
          room.setOwner(id, selfId);
        } else this.lose(id);
      } else if (owner === selfId) {
        // A claim of ours with no hold behind it (e.g. a write that raced a release): clear it.
        room.setOwner(id, null);
      }
    }
  }

  /**
   * GRAB6: owners who left release what they held; the lowest present id writes it down.
   * Everything due at one check is written in one transaction (ROOM15, docs/architecture.md):
   * each transaction of the room document re-merges every object's state into the scene, is
   * stored in IndexedDB and sent to every provider, so clearing a hundred departed claims one
   * by one held a member's main thread for seconds, in the middle of a newcomer's join.
   */
  checkDepartures(now: number): void {
    const { room, presence, selfId, scene } = this.options;
    for (const [id, absent] of this.absentSince) if (this.ownerOf(id) !== absent.owner) this.absentSince.delete(id);
    const due: ObjectId[] = [];
    for (const [id, owner] of room.owners()) {
      if (owner === selfId || presence.isPresent(owner)) {
        this.absentSince.delete(id);
        continue;
      }
      const absent = this.absentSince.get(id);
      if (absent === undefined) {
        this.absentSince.set(id, { owner, since: now });
        continue;
      }
      if (now - absent.since < ABANDON_GRACE_MS || !isCleaner(selfId, presence)) continue;
      this.absentSince.delete(id);
      due.push(id);
    }
    if (due.length === 0) return;
    room.transact(() => {
      for (const id of due) {
        const last = scene.lastStreamedPose(id);
        const transform = last ? scene.toTransform(id, last) : undefined;
        if (transform) room.setTransform(id, transform);
        room.setOwner(id, null);
      }
    });
    this.stats.cleaned += due.length;
  }
}
