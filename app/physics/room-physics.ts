/**
 * Shared physics for one room (docs/physics.md PHYS4-PHYS7): the scene's
 * bodies in a Rapier world, stepped at a fixed 60 Hz from the room's frame,
 * and who simulates which body for everyone.
 *
 *   - a body this page simulates (it threw or dropped it, or it touched it
 *     first) is streamed on the pose channel every frame while it moves and
 *     written to the room document, with `owner: null`, when it comes to rest;
 *   - a body another present peer owns follows that peer's stream as a
 *     kinematic body (it still pushes this page's bodies);
 *   - a free body rests at its document pose and costs nothing; if it wakes
 *     (something of ours hit it, or it starts in the air) it is claimed like a
 *     grab (GRAB1, GRAB2) and simulated here.
 *
 * Plain TypeScript: the room owns one (app/room/open-room.ts) and Node tests
 * drive two of them over a real server. The engine loads only when the scene
 * has a body (load-engine.ts).
 *
 * @example
 *   const physics = new RoomPhysics(ports);
 *   physics.setModel(view.model);  // on every scene view
 *   physics.frame(deltaMs);        // once per rendered frame (ROOM1, step 3)
 */
import { Matrix4, type Vector3 } from 'three';
import type { ObjectId, PeerId } from '../core/ids.ts';
import { effectiveOwner, isCleaner, type PresenceView } from '../interaction/grab/ownership.ts';
import { createPose, type Pose, worldToTransform } from '../interaction/pose.ts';
import type { SampleState } from '../pose/receive/entity-track.ts';
import type { SceneModel } from '../scene/model/scene-model.ts';
import type { RoomDoc } from '../sync/doc/room-doc.ts';
import {
  createOutput,
  FLAG_AWAKE,
  FLAG_TOUCHES_LOCAL,
  FLAG_TOUCHES_REMOTE,
  MODE_FOLLOW_LOCAL,
  MODE_FOLLOW_REMOTE,
  MODE_FREE,
  MODE_LOCAL,
  OUT_STRIDE,
  type Rapier,
  type SimInput,
  type SimOutput,
  Simulation,
  STEP_SECONDS,
} from './engine/simulation.ts';
import { buildWorldSpec, parentMatrixOf, type WorldSpec } from './world-spec.ts';

/** PHYS7: at most this many fixed steps per rendered frame; a longer stall is dropped, not caught up. */
const MAX_STEPS_PER_FRAME = 4;
/** PHYS6: a body this slow (m/s, rad/s) ... */
const REST_LINEAR = 0.03;
const REST_ANGULAR = 0.1;
/** ... for this many consecutive steps has come to rest. */
const REST_STEPS = 20;
/** PHYS5: a free body that moves faster than this (m/s) with nothing of anyone's touching it is claimed by the cleaner. */
const CLAIM_SPEED = 0.1;
/** PHYS6: a body that falls this far below the floor goes back to its document pose. */
const FALL_LIMIT = -20;
/** A document pose this close to the simulated one is the same pose (metres, quaternion components). */
const SAME_POSE = 1e-5;

export interface PhysicsPorts {
  room: RoomDoc;
  selfId: PeerId;
  presence(): PresenceView;
  /** The pose channel (app/pose/channel.ts). */
  channel: {
    streamObject(id: ObjectId, position: Vector3, rotation: Pose['quaternion']): boolean;
    endObjectStream(id: ObjectId): void;
    sampleObject(id: ObjectId, position: Vector3, rotation: Pose['quaternion']): SampleState;
  };
  /** Where this page holds `id` right now (GrabCoordinator), undefined when it does not. */
  heldPose(id: ObjectId): Pose | undefined;
  loadEngine(): Promise<Rapier>;
}

export interface PhysicsStats {
  /** Worlds built (one per scene structure). */
  builds: number;
  steps: number;
  /** Frames a body was streamed (one per body per frame). */
  streamed: number;
  /** Bodies claimed because they woke here (PHYS5). */
  claims: number;
  /** Bodies handed over by a release (PHYS4). */
  handovers: number;
  /** Rest poses written to the room document (PHYS6). */
  rests: number;
  /** Bodies that lost a claim to another peer. */
  yielded: number;
  /** Free bodies this page moved by prediction, nobody claimed, put back at their document pose (PHYS5). */
  predictionsUndone: number;
  /** Time of the last frame's steps, ms. */
  lastStepMs: number;
  /** Set when the engine failed to load. */
  error: string | undefined;
}

const scratch = createPose();
const parentMatrix = new Matrix4();

export class RoomPhysics {
  readonly stats: PhysicsStats = {
    builds: 0,
    steps: 0,
    streamed: 0,
    claims: 0,
    handovers: 0,
    rests: 0,
    yielded: 0,
    predictionsUndone: 0,
    lastStepMs: 0,
    error: undefined,
  };
  private model: SceneModel | undefined;
  private spec: WorldSpec | undefined;
  private key = '';
  private engine: Rapier | undefined;
  private loading = false;
  private sim: Simulation | undefined;
  private ids: ObjectId[] = [];
  private readonly index = new Map<ObjectId, number>();
  private input: SimInput = { modes: new Uint8Array(0), targets: new Float64Array(0), teleports: [] };
  private output: SimOutput = createOutput(0);
  /** The document (model) pose each body was last put at, 7 per body. */
  private docPose = new Float64Array(0);
  /** 1 while this page simulates the body for the room (PHYS4). */
  private local = new Uint8Array(0);
  /** 1 while the body is somewhere else than its document pose (drawn from the simulation). */
  private moved = new Uint8Array(0);
  private restSteps = new Uint16Array(0);
  private accumulator = 0;

  constructor(private readonly ports: PhysicsPorts) {}

  /** True once the scene's world is built and stepping. */
  get ready(): boolean {
    return this.sim !== undefined;
  }

  /** The scene changed (script or object state): rebuild the world or put bodies at their new document poses. */
  setModel(model: SceneModel | undefined): void {
    this.model = model;
    const spec = model ? buildWorldSpec(model) : undefined;
    if (!spec || spec.bodies.length === 0) {
      this.drop();
      return;
    }
    // Sizes come out of matrix decompositions: a body turned at rest gives a scale of 0.9999999, not a new world.
    const key = JSON.stringify([spec.gravity, spec.bodies.map((b) => ({ ...b, pose: 0 })), spec.statics], roundKey);
    if (key === this.key && this.sim) {
      this.syncDocPoses(spec);
      return;
    }
    this.spec = spec;
    this.key = key;
    if (this.engine) this.build(this.engine, spec);
    else this.load();
  }

  /** PHYS4: a released body this page held; it falls from `pose` with the hand's velocity, simulated here. */
  takeOver(id: ObjectId, pose: Pose, linearVelocity: Vector3, angularVelocity: Vector3): boolean {
    const i = this.index.get(id);
    if (i === undefined || !this.sim) return false;
    const { position: p, quaternion: q } = pose;
    const [lx, ly, lz] = [linearVelocity.x, linearVelocity.y, linearVelocity.z];
    const [ax, ay, az] = [angularVelocity.x, angularVelocity.y, angularVelocity.z];
    this.input.teleports.push(i, p.x, p.y, p.z, q.x, q.y, q.z, q.w, lx, ly, lz, ax, ay, az, 0);
    this.local[i] = 1;
    this.moved[i] = 1;
    this.restSteps[i] = 0;
    this.input.modes[i] = MODE_LOCAL;
    this.stats.handovers++;
    return true;
  }

  /** True while this page simulates `id` for the room (GrabCoordinator keeps such a claim, GRAB7). */
  simulates(id: ObjectId): boolean {
    const i = this.index.get(id);
    return i !== undefined && this.local[i] === 1;
  }

  /** Whether `id` is drawn from this page's simulation right now (GRAB10, case 1). */
  draws(id: ObjectId): boolean {
    const i = this.index.get(id);
    return i !== undefined && this.drawsIndex(i);
  }

  /** Visits each body drawn from this page's simulation. */
  forEachDrawnPose(visit: (id: ObjectId, pose: Pose) => void): void {
    for (let i = 0; i < this.ids.length; i++) {
      if (!this.drawsIndex(i)) continue;
      this.poseOf(i, scratch);
      visit(this.ids[i] as ObjectId, scratch);
    }
  }

  /** The simulated world pose of `id`, into `target`; false when it is not a body. */
  bodyPose(id: ObjectId, target: Pose): boolean {
    const i = this.index.get(id);
    if (i === undefined || !this.sim) return false;
    this.poseOf(i, target);
    return true;
  }

  /** The same as plain numbers, [x, y, z, qx, qy, qz, qw] (for page inspection, ROOM3). */
  bodyPoseArray(id: ObjectId): number[] | undefined {
    return this.bodyPose(id, scratch) ? [...scratch.position.toArray(), ...scratch.quaternion.toArray()] : undefined;
  }

  /** The body's mode this frame (MODE_*), for tests and inspection. */
  modeOf(id: ObjectId): number | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.input.modes[i];
  }

  /**
   * Whether a body this page simulates (or that nobody holds) has not yet been at rest for
   * REST_STEPS steps: it needs frames to step (ROOM5). Held and streamed bodies move with the
   * hold or the stream, which draw on their own.
   */
  get moving(): boolean {
    if (!this.sim) return false;
    const modes = this.input.modes;
    for (let i = 0; i < this.ids.length; i++) {
      const mode = modes[i];
      if ((mode === MODE_LOCAL || mode === MODE_FREE) && (this.restSteps[i] as number) < REST_STEPS) return true;
    }
    return false;
  }

  /** ROOM1 step 3: who simulates what, the fixed steps, then streams and rest poses. */
  frame(deltaMs: number): void {
    const sim = this.sim;
    if (!sim) return;
    this.decideModes();
    this.accumulator += Math.min(Math.max(deltaMs, 0), 250);
    const stepMs = STEP_SECONDS * 1000;
    let steps = Math.floor(this.accumulator / stepMs);
    this.accumulator -= steps * stepMs;
    if (steps > MAX_STEPS_PER_FRAME) steps = MAX_STEPS_PER_FRAME;
    if (steps === 0) return;
    const started = performance.now();
    for (let s = 0; s < steps; s++) {
      sim.apply(this.input);
      this.input.teleports.length = 0;
      sim.step();
      this.stats.steps++;
      sim.read(this.output);
      this.countRest();
    }
    this.stats.lastStepMs = performance.now() - started;
    this.afterSteps();
  }

  destroy(): void {
    this.drop();
    this.model = undefined;
  }

  private drawsIndex(i: number): boolean {
    const mode = this.input.modes[i];
    return mode === MODE_LOCAL || (mode === MODE_FREE && this.moved[i] === 1);
  }

  private poseOf(i: number, target: Pose): void {
    const s = this.output.state;
    const o = i * OUT_STRIDE;
    target.position.set(s[o] as number, s[o + 1] as number, s[o + 2] as number);
    target.quaternion.set(s[o + 3] as number, s[o + 4] as number, s[o + 5] as number, s[o + 6] as number);
  }

  private load(): void {
    if (this.loading) return;
    this.loading = true;
    this.ports.loadEngine().then(
      (engine) => {
        this.loading = false;
        this.engine = engine;
        if (this.spec && this.model) this.build(engine, this.spec);
      },
      (error: unknown) => {
        this.loading = false;
        this.stats.error = error instanceof Error ? error.message : String(error);
        console.error('Physics engine failed to load; @physics objects stay where they are.', error);
      },
    );
  }

  private build(engine: Rapier, spec: WorldSpec): void {
    const previous = this.ids;
    const previousLocal = this.local;
    this.sim?.free();
    // Bodies this page was streaming are written down where the document has them: the world changed under them.
    for (let i = 0; i < previous.length; i++) {
      if (previousLocal[i] === 1) this.release(previous[i] as ObjectId, null);
    }
    this.sim = new Simulation(engine, spec);
    this.stats.builds++;
    const n = spec.bodies.length;
    this.ids = spec.bodies.map((b) => b.id);
    this.index.clear();
    for (const [i, id] of this.ids.entries()) this.index.set(id, i);
    this.input = { modes: new Uint8Array(n), targets: new Float64Array(n * 7), teleports: [] };
    this.output = createOutput(n);
    this.docPose = new Float64Array(n * 7);
    for (const [i, b] of spec.bodies.entries()) this.docPose.set(b.pose, i * 7);
    this.local = new Uint8Array(n);
    this.moved = new Uint8Array(n);
    this.restSteps = new Uint16Array(n);
    this.accumulator = 0;
    this.sim.read(this.output);
  }

  private drop(): void {
    for (let i = 0; i < this.ids.length; i++) {
      if (this.local[i] === 1) this.release(this.ids[i] as ObjectId, null);
    }
    this.sim?.free();
    this.sim = undefined;
    this.spec = undefined;
    this.key = '';
    this.ids = [];
    this.index.clear();
    this.local = new Uint8Array(0);
  }

  /** New document poses (someone's rest pose, an edit, a drop without physics) move bodies nobody simulates. */
  private syncDocPoses(spec: WorldSpec): void {
    spec.bodies.forEach((body, i) => {
      const o = i * 7;
      let same = true;
      for (let k = 0; k < 7; k++)
        if (Math.abs((this.docPose[o + k] as number) - (body.pose[k] as number)) > SAME_POSE) same = false;
      if (same) return;
      this.docPose.set(body.pose, o);
      if (this.local[i] === 1 || this.input.modes[i] === MODE_FOLLOW_LOCAL) return;
      const p = body.pose;
      this.input.teleports.push(i, p[0], p[1], p[2], p[3], p[4], p[5], p[6], 0, 0, 0, 0, 0, 0, 1);
      this.moved[i] = 0;
      this.restSteps[i] = 0;
    });
  }

  /** PHYS4, PHYS5: each body's mode for the coming steps. */
  private decideModes(): void {
    const { room, selfId, channel } = this.ports;
    const presence = this.ports.presence();
    const { modes, targets } = this.input;
    for (let i = 0; i < this.ids.length; i++) {
      const id = this.ids[i] as ObjectId;
      const held = this.ports.heldPose(id);
      if (held) {
        // The hand streams it (GRAB3); here it is a kinematic body that pushes others.
        this.local[i] = 0;
        this.moved[i] = 1;
        modes[i] = MODE_FOLLOW_LOCAL;
        writeTarget(targets, i, held);
        continue;
      }
      if (modes[i] === MODE_FOLLOW_LOCAL) {
        // Let go without a hand-over (not grabbable as a body, or the release wrote its pose): free again.
        modes[i] = MODE_FREE;
      }
      const owner = effectiveOwner(room.ownerOf(id), presence);
      if (owner !== null && owner !== selfId) {
        if (this.local[i] === 1) {
          // GRAB2: a concurrent claim from a higher id won; follow its stream.
          this.local[i] = 0;
          channel.endObjectStream(id);
          this.stats.yielded++;
        }
        const following = modes[i] === MODE_FOLLOW_REMOTE;
        modes[i] = MODE_FOLLOW_REMOTE;
        this.moved[i] = 1;
        if (channel.sampleObject(id, scratch.position, scratch.quaternion) !== 'empty')
          writeTarget(targets, i, scratch);
        else if (!following) {
          // Claimed, nothing streamed yet: hold still where it is until the owner's stream arrives.
          this.poseOf(i, scratch);
          writeTarget(targets, i, scratch);
        }
        continue;
      }
      if (modes[i] === MODE_FOLLOW_REMOTE) {
        // The owner left or put it down: it carries on from where the stream had it (no jump).
        this.poseOf(i, scratch);
        writeTarget(targets, i, scratch);
      }
      modes[i] = this.local[i] === 1 ? MODE_LOCAL : MODE_FREE;
    }
  }

  /** PHYS6: consecutive slow steps per simulated body. */
  private countRest(): void {
    const s = this.output.state;
    for (let i = 0; i < this.ids.length; i++) {
      if (this.input.modes[i] !== MODE_LOCAL && this.input.modes[i] !== MODE_FREE) continue;
      const o = i * OUT_STRIDE;
      const v = Math.hypot(s[o + 7] as number, s[o + 8] as number, s[o + 9] as number);
      const w = Math.hypot(s[o + 10] as number, s[o + 11] as number, s[o + 12] as number);
      if (v < REST_LINEAR && w < REST_ANGULAR) this.restSteps[i] = Math.min(this.restSteps[i] as number, 60000) + 1;
      else this.restSteps[i] = 0;
    }
  }

  private afterSteps(): void {
    const { room, selfId, channel } = this.ports;
    const { state, flags } = this.output;
    const presence = this.ports.presence();
    for (let i = 0; i < this.ids.length; i++) {
      const id = this.ids[i] as ObjectId;
      const mode = this.input.modes[i];
      const o = i * OUT_STRIDE;
      if (mode === MODE_FREE) {
        const awake = ((flags[i] as number) & FLAG_AWAKE) !== 0;
        if (!awake) continue;
        const speed = Math.hypot(state[o + 7] as number, state[o + 8] as number, state[o + 9] as number);
        // Awake, it is somewhere the document does not say (if only by a millimetre of settling).
        this.moved[i] = 1;
        // PHYS5: woken by a body of ours, or moving on its own with nobody's body touching it: ours to simulate.
        const touchesLocal = ((flags[i] as number) & FLAG_TOUCHES_LOCAL) !== 0;
        const touchesRemote = ((flags[i] as number) & FLAG_TOUCHES_REMOTE) !== 0;
        const claim = touchesLocal || (speed > CLAIM_SPEED && !touchesRemote && isCleaner(selfId, presence));
        // Simulated here before the claim is written: the grab coordinator's observer must see it as ours (GRAB7).
        if (claim) this.local[i] = 1;
        if (claim && room.setOwner(id, selfId).ok) {
          this.moved[i] = 1;
          this.restSteps[i] = 0;
          this.input.modes[i] = MODE_LOCAL;
          this.stats.claims++;
        } else {
          this.local[i] = 0;
          // PHYS5: a prediction nobody claimed that comes to rest yields to the document's pose.
          if (this.moved[i] === 1 && (this.restSteps[i] as number) >= REST_STEPS) this.backToDocument(i);
          continue;
        }
      }
      if (this.input.modes[i] !== MODE_LOCAL) continue;
      this.poseOf(i, scratch);
      if (scratch.position.y < FALL_LIMIT) {
        this.release(id, null);
        continue;
      }
      if ((this.restSteps[i] as number) >= REST_STEPS) {
        this.release(id, scratch);
        continue;
      }
      channel.streamObject(id, scratch.position, scratch.quaternion);
      this.stats.streamed++;
    }
  }

  private backToDocument(i: number): void {
    const p = this.docPose;
    const o = i * 7;
    this.input.teleports.push(i, ...Array.from(p.subarray(o, o + 7)), 0, 0, 0, 0, 0, 0, 1);
    this.moved[i] = 0;
    this.restSteps[i] = 0;
    this.stats.predictionsUndone++;
  }

  /** PHYS6: writes the rest pose (or, for `null`, keeps the document's) and frees the body; the stream ends. */
  private release(id: ObjectId, pose: Pose | null): void {
    const { room, channel } = this.ports;
    const i = this.index.get(id);
    channel.endObjectStream(id);
    if (i !== undefined) {
      this.local[i] = 0;
      this.input.modes[i] = MODE_FREE;
      this.restSteps[i] = 0;
    }
    const transform = pose ? this.toTransform(id, pose) : undefined;
    room.transact(() => {
      if (transform) room.setTransform(id, transform);
      if (room.ownerOf(id) === this.ports.selfId) room.setOwner(id, null);
    });
    if (i !== undefined && this.sim) {
      if (pose) {
        const { position: x, quaternion: q } = pose;
        this.input.teleports.push(i, x.x, x.y, x.z, q.x, q.y, q.z, q.w, 0, 0, 0, 0, 0, 0, 1);
      } else this.backToDocument(i);
    }
    if (pose) this.stats.rests++;
  }

  /** The document transform of a world pose: relative to the node's parent, keeping its scale. */
  private toTransform(id: ObjectId, pose: Pose) {
    const model = this.model;
    const node = model?.byId.get(id);
    if (!model || !node) return undefined;
    return worldToTransform(pose, parentMatrixOf(model, id, parentMatrix), node.transform.scale);
  }
}

/** Numbers in the world's key, to a tenth of a millimetre (and of a quaternion's ten-thousandth). */
function roundKey(_key: string, value: unknown): unknown {
  return typeof value === 'number' ? Math.round(value * 1e4) / 1e4 : value;
}

function writeTarget(targets: Float64Array, i: number, pose: Pose): void {
  const o = i * 7;
  const { position: p, quaternion: q } = pose;
  targets[o] = p.x;
  targets[o + 1] = p.y;
  targets[o + 2] = p.z;
  targets[o + 3] = q.x;
  targets[o + 4] = q.y;
  targets[o + 5] = q.z;
  targets[o + 6] = q.w;
}
