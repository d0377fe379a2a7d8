/**
 * One physics world on Rapier (docs/physics.md): builds bodies and colliders
 * from a WorldSpec, takes each body's mode and targets from the main thread,
 * steps at a fixed 60 Hz and writes every body's pose, velocities and
 * contacts into flat arrays. Runs inside the room's frame, in browsers and in
 * Node alike; it never touches the room, the network or the DOM, so it could
 * move to a worker as it is.
 *
 * Modes (PHYS4-PHYS6), set per body by the authority rules:
 *   FREE          dynamic; nobody simulates it for the room (at rest, or about to be claimed)
 *   LOCAL         dynamic; this peer simulates it and streams it
 *   FOLLOW_REMOTE kinematic; follows another peer's stream, pushes this peer's bodies
 *   FOLLOW_LOCAL  kinematic; follows this person's hand (a held body pushes others)
 */
import type * as RapierApi from '@dimforge/rapier3d-compat';
import type { ShapeSpec, WorldSpec } from '../world-spec.ts';

export type Rapier = typeof RapierApi;

export const MODE_FREE = 0;
export const MODE_LOCAL = 1;
export const MODE_FOLLOW_REMOTE = 2;
export const MODE_FOLLOW_LOCAL = 3;
export type BodyMode = 0 | 1 | 2 | 3;

/** PHYS7: the fixed step. */
export const STEP_SECONDS = 1 / 60;
/** PHYS7: how far ahead contacts are predicted for moving bodies. */
const SOFT_CCD_METRES = 0.5;
/** Floats per body in the output: position 3, quaternion 4, linear velocity 3, angular velocity 3. */
export const OUT_STRIDE = 13;
/** Output flags per body. */
export const FLAG_AWAKE = 1;
/** In contact with a body this peer simulates or holds (PHYS4). */
export const FLAG_TOUCHES_LOCAL = 2;
/** In contact with a body another peer simulates or holds. */
export const FLAG_TOUCHES_REMOTE = 4;

/** What the main thread says each frame; arrays are per body, in the spec's order. */
export interface SimInput {
  modes: Uint8Array;
  /** Pose targets (7 per body) for FOLLOW bodies. */
  targets: Float64Array;
  /** Bodies put somewhere at once: [index, pose 7, linear 3, angular 3, sleep 0/1] each. */
  teleports: number[];
}

export interface SimOutput {
  state: Float64Array;
  flags: Uint8Array;
  /** Fixed steps taken since the world was built. */
  steps: number;
}

export function createOutput(count: number): SimOutput {
  return { state: new Float64Array(count * OUT_STRIDE), flags: new Uint8Array(count), steps: 0 };
}

export class Simulation {
  readonly count: number;
  private readonly world: RapierApi.World;
  private readonly bodies: RapierApi.RigidBody[] = [];
  private readonly colliders: RapierApi.Collider[] = [];
  /** Collider handle -> body index (statics are absent). */
  private readonly indexOf = new Map<number, number>();
  private modes: Uint8Array;
  steps = 0;

  constructor(
    private readonly rapier: Rapier,
    spec: WorldSpec,
  ) {
    const [gx, gy, gz] = spec.gravity;
    this.world = new rapier.World({ x: gx, y: gy, z: gz });
    this.world.timestep = STEP_SECONDS;
    // Stacks of a dozen blocks stand still with 8 iterations (4, the default, lets tall ones sag).
    this.world.integrationParameters.numSolverIterations = 8;
    for (const item of spec.statics) {
      const body = this.world.createRigidBody(
        rapier.RigidBodyDesc.fixed()
          .setTranslation(item.pose[0], item.pose[1], item.pose[2])
          .setRotation({ x: item.pose[3], y: item.pose[4], z: item.pose[5], w: item.pose[6] }),
      );
      const desc = this.colliderDesc(item.shape);
      if (desc) this.world.createCollider(desc.setFriction(item.friction).setRestitution(item.restitution), body);
    }
    spec.bodies.forEach((item, index) => {
      const desc = rapier.RigidBodyDesc.dynamic()
        .setTranslation(item.pose[0], item.pose[1], item.pose[2])
        .setRotation({ x: item.pose[3], y: item.pose[4], z: item.pose[5], w: item.pose[6] })
        .setLinearDamping(item.linearDamping)
        .setAngularDamping(item.angularDamping)
        .setGravityScale(item.gravityScale)
        .setCcdEnabled(true)
        // Contacts predicted half a metre ahead: a box landing at 5 m/s moves 8 cm a step, less than
        // its thickness, so hard CCD alone lets it sink that deep for a step before pushing it out.
        .setSoftCcdPrediction(SOFT_CCD_METRES);
      const body = this.world.createRigidBody(desc);
      const collider = this.world.createCollider(
        (this.colliderDesc(item.shape) ?? rapier.ColliderDesc.cuboid(0.05, 0.05, 0.05))
          .setMass(item.mass)
          .setFriction(item.friction)
          .setRestitution(item.restitution),
        body,
      );
      this.bodies.push(body);
      this.colliders.push(collider);
      this.indexOf.set(collider.handle, index);
    });
    this.count = this.bodies.length;
    this.modes = new Uint8Array(this.count);
  }

  private colliderDesc(shape: ShapeSpec): RapierApi.ColliderDesc | null {
    const { ColliderDesc } = this.rapier;
    // Degenerate sizes (a zero scale) still make a valid, tiny collider.
    const m = (n: number) => Math.max(n, 0.001);
    switch (shape.kind) {
      case 'box':
        return ColliderDesc.cuboid(m(shape.half[0]), m(shape.half[1]), m(shape.half[2]));
      case 'ball':
        return ColliderDesc.ball(m(shape.radius));
      case 'cylinder':
        return ColliderDesc.cylinder(m(shape.halfHeight), m(shape.radius));
      case 'cone':
        return ColliderDesc.cone(m(shape.halfHeight), m(shape.radius));
      case 'capsule':
        return ColliderDesc.capsule(m(shape.halfHeight), m(shape.radius));
      case 'hull':
        return ColliderDesc.convexHull(new Float32Array(shape.points));
    }
  }

  /** Applies this frame's modes, follow targets and teleports. */
  apply(input: SimInput): void {
    const { RigidBodyType } = this.rapier;
    for (let i = 0; i < this.count; i++) {
      const body = this.bodies[i] as RapierApi.RigidBody;
      const mode = (input.modes[i] ?? MODE_FREE) as BodyMode;
      const follow = mode === MODE_FOLLOW_LOCAL || mode === MODE_FOLLOW_REMOTE;
      if (mode !== this.modes[i]) {
        const wasFollow = this.modes[i] === MODE_FOLLOW_LOCAL || this.modes[i] === MODE_FOLLOW_REMOTE;
        if (follow !== wasFollow) {
          body.setBodyType(follow ? RigidBodyType.KinematicPositionBased : RigidBodyType.Dynamic, true);
        }
        this.modes[i] = mode;
      }
      if (follow) {
        const t = input.targets;
        const o = i * 7;
        body.setNextKinematicTranslation({ x: t[o] as number, y: t[o + 1] as number, z: t[o + 2] as number });
        body.setNextKinematicRotation({
          x: t[o + 3] as number,
          y: t[o + 4] as number,
          z: t[o + 5] as number,
          w: t[o + 6] as number,
        });
      }
    }
    const list = input.teleports;
    for (let k = 0; k + 14 < list.length + 1; k += 15) {
      const body = this.bodies[list[k] as number];
      if (!body) continue;
      const v = (j: number) => list[k + j] as number;
      body.setTranslation({ x: v(1), y: v(2), z: v(3) }, true);
      body.setRotation({ x: v(4), y: v(5), z: v(6), w: v(7) }, true);
      body.setLinvel({ x: v(8), y: v(9), z: v(10) }, true);
      body.setAngvel({ x: v(11), y: v(12), z: v(13) }, true);
      if (v(14) === 1) body.sleep();
    }
  }

  /** One fixed step (PHYS7). */
  step(): void {
    this.world.step();
    this.steps++;
  }

  /** Every body's state and contacts, into `out`. */
  read(out: SimOutput): void {
    const { state, flags } = out;
    for (let i = 0; i < this.count; i++) {
      const body = this.bodies[i] as RapierApi.RigidBody;
      const p = body.translation();
      const q = body.rotation();
      const v = body.linvel();
      const w = body.angvel();
      const o = i * OUT_STRIDE;
      state[o] = p.x;
      state[o + 1] = p.y;
      state[o + 2] = p.z;
      state[o + 3] = q.x;
      state[o + 4] = q.y;
      state[o + 5] = q.z;
      state[o + 6] = q.w;
      state[o + 7] = v.x;
      state[o + 8] = v.y;
      state[o + 9] = v.z;
      state[o + 10] = w.x;
      state[o + 11] = w.y;
      state[o + 12] = w.z;
      let f = body.isSleeping() ? 0 : FLAG_AWAKE;
      // Contacts matter for bodies nobody simulates yet (PHYS4: who touched it claims it).
      if (f && this.modes[i] === MODE_FREE) f |= this.touches(i);
      flags[i] = f;
    }
    out.steps = this.steps;
  }

  private touches(index: number): number {
    let found = 0;
    const collider = this.colliders[index] as RapierApi.Collider;
    this.world.contactPairsWith(collider, (other) => {
      const j = this.indexOf.get(other.handle);
      if (j === undefined) return;
      const mode = this.modes[j];
      const bit =
        mode === MODE_LOCAL || mode === MODE_FOLLOW_LOCAL
          ? FLAG_TOUCHES_LOCAL
          : mode === MODE_FOLLOW_REMOTE
            ? FLAG_TOUCHES_REMOTE
            : 0;
      if (bit === 0 || found & bit) return;
      this.world.contactPair(collider, other, (manifold) => {
        if (manifold.numContacts() > 0) found |= bit;
      });
    });
    return found;
  }

  free(): void {
    this.world.free();
  }
}
