/**
 * The room's `@physics` bodies (docs/physics.md), whose code loads with the
 * first scene that has one (docs/performance.md LOAD15): who simulates which
 * body, the claim rules and the host the world runs in are about 6 KB gzip
 * that a room without bodies never needs, so they are one chunk
 * (app/physics/physics-runtime.ts) fetched when a scene view first holds a
 * body. `physics` is undefined until then; once loaded it stays, and follows
 * every later scene (a scene without bodies drops its world, not the code).
 *
 * Interaction holds this object, not the physics itself: a grab asks it
 * whether a body is simulated here or hands a released body over, and before
 * the code has loaded there is no body to simulate.
 *
 * @example
 *   const bodies = new RoomBodies(ports);
 *   bodies.setModel(view.model);         // on every scene view; the first with a body loads the code
 *   bodies.physics.get()?.frame(deltaMs); // ROOM1 step 3, once loaded
 *   bodies.destroy();
 */
import type { Vector3 } from 'three';
import type { ObjectId } from '../core/ids.ts';
import { createStore, type Store } from '../core/store.ts';
import type { GrabBodies } from '../interaction/grab/grab-coordinator.ts';
import type { Pose } from '../interaction/pose.ts';
import type { PhysicsPorts, RoomPhysics } from '../physics/room-physics.ts';
import type { SceneModel } from '../scene/model/scene-model.ts';

/** What the room gives its physics; `loadHost` absent: the runtime's own (a worker where the page has Worker). */
export type BodyPorts = Omit<PhysicsPorts, 'loadHost'> & Partial<Pick<PhysicsPorts, 'loadHost'>>;

export class RoomBodies implements GrabBodies {
  /** The room's physics once its code has loaded (the first scene with a body); undefined before. */
  readonly physics: Store<RoomPhysics | undefined> = createStore<RoomPhysics | undefined>(undefined);
  private loading: Promise<RoomPhysics | undefined> | undefined;
  private model: SceneModel | undefined;
  private destroyed = false;

  constructor(private readonly ports: BodyPorts) {}

  /** A new scene view: handed to the physics, which the first one with a body loads. */
  setModel(model: SceneModel | undefined): void {
    this.model = model;
    const physics = this.physics.get();
    if (physics) physics.setModel(model);
    else if (model && hasBodies(model)) void this.load();
  }

  /**
   * Fetches the physics' code once and gives it the latest scene; later calls return the same
   * promise. Resolves to undefined when the room was destroyed meanwhile or the code failed to load.
   */
  load(): Promise<RoomPhysics | undefined> {
    this.loading ??= import('../physics/physics-runtime.ts').then(
      ({ RoomPhysics, loadPhysicsHost }) => {
        if (this.destroyed) return undefined;
        const physics = new RoomPhysics({ loadHost: loadPhysicsHost, ...this.ports });
        physics.setModel(this.model);
        this.physics.set(physics);
        return physics;
      },
      (error: unknown) => {
        // A first visit that lost its network (the service worker precaches the chunk): the next scene tries again.
        this.loading = undefined;
        console.error('Physics could not load; @physics objects stay where they are.', error);
        return undefined;
      },
    );
    return this.loading;
  }

  /** GRAB7: true while this page simulates `id` for the room. */
  simulates(id: ObjectId): boolean {
    return this.physics.get()?.simulates(id) === true;
  }

  /** PHYS4: a released body falls under the simulation; false when `id` is not a body (or none has loaded). */
  takeOver(id: ObjectId, pose: Pose, linear: Vector3, angular: Vector3): boolean {
    return this.physics.get()?.takeOver(id, pose, linear, angular) === true;
  }

  /** GRAB10: whether `id` is drawn from this page's simulation. */
  draws(id: ObjectId): boolean {
    return this.physics.get()?.draws(id) === true;
  }

  forEachDrawnPose(visit: (id: ObjectId, pose: Pose) => void): void {
    this.physics.get()?.forEachDrawnPose(visit);
  }

  destroy(): void {
    this.destroyed = true;
    this.physics.get()?.destroy();
  }
}

/**
 * Whether the scene has a node that may become a body (PHYS1: `@physics`, not static). The world's
 * own count (world-spec.ts) leaves out hidden nodes and nodes inside a body; loading for those too
 * costs a fetch, never a body.
 */
function hasBodies(model: SceneModel): boolean {
  for (const node of model.byId.values()) {
    const physics = node.traits.physics;
    if (physics && physics.body !== 'static') return true;
  }
  return false;
}
