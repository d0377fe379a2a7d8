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
 * The world itself runs in a host (engine/hosts.ts, PHYS9): a worker in
 * browsers, in process in Node. Each frame this page decides every body's
 * mode and sends one request for the frame's fixed steps; the rules here act
 * on each result when it arrives (in process: within the frame; from the
 * worker: when its message comes, between frames). A result that predates something this page did to a body
 * since (a throw, a claim, a rest pose written) says nothing about that body.
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
import { effectiveOwner, type PresenceView } from '../interaction/grab/ownership.ts';
import { createPose, type Pose, worldToTransform } from '../interaction/pose.ts';
import type { SampleState } from '../pose/receive/entity-track.ts';
import type { SceneModel } from '../scene/model/scene-model.ts';
import type { RoomDoc } from '../sync/doc/room-doc.ts';
import { type BodyClaimRights, isBodyCleaner, OPEN_ROOM_CLAIMS } from './body-claims.ts';
import type { HostSink, PhysicsHost } from './engine/hosts.ts';
import {
  FLAG_AWAKE,
  FLAG_TOUCHES_LOCAL,
  FLAG_TOUCHES_REMOTE,
  MODE_FOLLOW_LOCAL,
  MODE_FOLLOW_REMOTE,
  MODE_FREE,
  MODE_LOCAL,
  OUT_STRIDE,
  STEP_SECONDS,
} from './engine/simulation.ts';
import { MAX_STEPS_PER_FRAME, type StepResult } from './engine/stepper.ts';
import { buildWorldSpec, parentMatrixOf, type WorldSpec } from './world-spec.ts';

/** PHYS9: the host's steps take milliseconds; a request unanswered for this much frame time means it hangs. */
const HOST_ANSWER_TIMEOUT_MS = 10_000;
/** PHYS6: a body slower than REST_LINEAR and REST_ANGULAR (engine/stepper.ts) for this many consecutive steps has come to rest. */
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
  /** ROLE13: what this page may claim, and who is a viewer (body-claims.ts); everyone claims when absent (an open room). */
  claims?: BodyClaimRights;
  /** The pose channel (app/pose/channel.ts). */
  channel: {
    streamObject(id: ObjectId, position: Vector3, rotation: Pose['quaternion']): boolean;
    endObjectStream(id: ObjectId): void;
    sampleObject(id: ObjectId, position: Vector3, rotation: Pose['quaternion']): SampleState;
  };
  /** Where this page holds `id` right now (GrabCoordinator), undefined when it does not. */
  heldPose(id: ObjectId): Pose | undefined;
  /** Starts the host the world runs in (engine/hosts.ts `loadPhysicsHost`); called with the first scene that has a body. */
  loadHost(sink: HostSink): Promise<PhysicsHost>;
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
  /** Time of the last result's steps where they ran (the worker, or this thread), ms. */
  lastStepMs: number;
  /** Where the world runs (PHYS9), once it has started. */
  host: PhysicsHost['kind'] | undefined;
  /** Rendered frames with a world, and the main thread's time in `frame()` over them, ms (PHYS9). */
  frames: number;
  frameMs: number;
  /** The main thread's time taking in the host's messages, ms (the worker's results; PHYS9). */
  messageMs: number;
  /** Requests for steps sent to the host; at most one is unanswered at a time. */
  requests: number;
  /** Frames whose steps waited because the host had not answered the previous request yet. */
  waits: number;
  /** Set when the engine failed to load, or the host reported an error (the last one). */
  error: string | undefined;
  /** Errors the host reported (a refused message, a worker that failed). */
  errors: number;
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
    host: undefined,
    frames: 0,
    frameMs: 0,
    messageMs: 0,
    requests: 0,
    waits: 0,
    error: undefined,
    errors: 0,
  };
  private model: SceneModel | undefined;
  private spec: WorldSpec | undefined;
  private key = '';
  private host: PhysicsHost | undefined;
  private loading = false;
  /** Worlds built so far; the current world's number. */
  private world = 0;
  /** The current world's latest result; undefined until its read-out arrives. */
  private result: StepResult | undefined;
  /** A result read before `result`, whose buffers go back to the host to be filled again. */
  private spare: StepResult | undefined;
  /** Builds and steps sent to the host and not answered yet. */
  private unanswered = 0;
  /** Frame time since the host last answered while something was unanswered; reported once past the timeout. */
  private unansweredMs = 0;
  /** The number of the next step request. */
  private nextSeq = 1;
  /** Steps since the world was built, as of the last result (for `stats.steps`). */
  private resultSteps = 0;
  private ids: ObjectId[] = [];
  private readonly index = new Map<ObjectId, number>();
  /** This frame's modes and targets, and teleports not yet sent. */
  private input = { modes: new Uint8Array(0), targets: new Float64Array(0), teleports: [] as number[] };
  /** The request that changed each body last (a teleport, a claim, a release): older results do not speak for it. */
  private changedIn = new Uint32Array(0);
  /** The document (model) pose each body was last put at, 7 per body. */
  private docPose = new Float64Array(0);
  /** 1 while this page simulates the body for the room (PHYS4). */
  private local = new Uint8Array(0);
  /** 1 while the body is somewhere else than its document pose (drawn from the simulation). */
  private moved = new Uint8Array(0);
  private accumulator = 0;
  private readonly sink: HostSink = {
    result: (result) => this.receive(result),
    error: (message) => this.hostError(message),
  };

  private readonly claims: BodyClaimRights;

  constructor(private readonly ports: PhysicsPorts) {
    this.claims = ports.claims ?? OPEN_ROOM_CLAIMS;
  }

  /** True once the scene's world is built and its first read-out has arrived. */
  get ready(): boolean {
    return this.result !== undefined;
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
    if (key === this.key && this.ids.length > 0) {
      this.syncDocPoses(spec);
      return;
    }
    this.spec = spec;
    this.key = key;
    if (this.host) this.build(this.host, spec);
    else this.load();
  }

  /** PHYS4: a released body this page held; it falls from `pose` with the hand's velocity, simulated here. */
  takeOver(id: ObjectId, pose: Pose, linearVelocity: Vector3, angularVelocity: Vector3): boolean {
    const i = this.index.get(id);
    // ROLE13: a page whose claims nobody takes does not simulate the body for the room.
    if (i === undefined || !this.claims.claimsOwn()) return false;
    const { position: p, quaternion: q } = pose;
    const [lx, ly, lz] = [linearVelocity.x, linearVelocity.y, linearVelocity.z];
    const [ax, ay, az] = [angularVelocity.x, angularVelocity.y, angularVelocity.z];
    this.input.teleports.push(i, p.x, p.y, p.z, q.x, q.y, q.z, q.w, lx, ly, lz, ax, ay, az, 0);
    this.local[i] = 1;
    this.moved[i] = 1;
    this.changed(i);
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
    if (i === undefined || !this.result) return false;
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
    if (!this.result) return false;
    const modes = this.input.modes;
    for (let i = 0; i < this.ids.length; i++) {
      const mode = modes[i];
      if ((mode === MODE_LOCAL || mode === MODE_FREE) && this.restStepsOf(i) < REST_STEPS) return true;
    }
    return false;
  }

  /**
   * ROOM1 step 3: who simulates what, then one request for this frame's fixed steps. The rules act on
   * its result when it arrives (`receive`): in process within this call, as ROOM1 orders it; from the
   * worker between frames, for the next tick to send. This frame's steps wait while the previous
   * request is unanswered.
   */
  frame(deltaMs: number): void {
    if (!this.result || !this.host) return;
    const started = performance.now();
    this.decideModes();
    this.accumulator += Math.min(Math.max(deltaMs, 0), 250);
    const stepMs = STEP_SECONDS * 1000;
    const due = Math.floor(this.accumulator / stepMs);
    if (this.unanswered > 0) this.checkAnswerTime(this.host, deltaMs);
    if (due > 0 && this.unanswered > 0) this.stats.waits++;
    else if (due > 0) {
      this.accumulator -= due * stepMs;
      this.request(this.host, Math.min(due, MAX_STEPS_PER_FRAME));
    }
    this.stats.frames++;
    this.stats.frameMs += performance.now() - started;
    this.stats.messageMs = this.host.messageMs;
  }

  destroy(): void {
    this.drop();
    this.model = undefined;
    this.host?.destroy();
    this.host = undefined;
  }

  private drawsIndex(i: number): boolean {
    const mode = this.input.modes[i];
    return mode === MODE_LOCAL || (mode === MODE_FREE && this.moved[i] === 1);
  }

  private poseOf(i: number, target: Pose): void {
    const s = (this.result as StepResult).state;
    const o = i * OUT_STRIDE;
    target.position.set(s[o] as number, s[o + 1] as number, s[o + 2] as number);
    target.quaternion.set(s[o + 3] as number, s[o + 4] as number, s[o + 5] as number, s[o + 6] as number);
  }

  /** Consecutive steps at rest (PHYS6) as the newest result has them; 0 for a body changed since. */
  private restStepsOf(i: number): number {
    const result = this.result;
    if (!result || result.seq < (this.changedIn[i] as number)) return 0;
    return result.rest[i] as number;
  }

  /** Whether the newest result was computed before this page last changed body `i`. */
  private stale(i: number, result: StepResult): boolean {
    return result.seq < (this.changedIn[i] as number);
  }

  /** Body `i` was put somewhere or handed over: results of requests sent before now do not speak for it. */
  private changed(i: number): void {
    this.changedIn[i] = this.nextSeq;
  }

  private load(): void {
    if (this.loading) return;
    this.loading = true;
    this.ports.loadHost(this.sink).then(
      (host) => {
        this.loading = false;
        this.host = host;
        this.stats.host = host.kind;
        if (this.spec && this.model) this.build(host, this.spec);
      },
      (error: unknown) => {
        this.loading = false;
        this.stats.error = error instanceof Error ? error.message : String(error);
        console.error('Physics engine failed to load; @physics objects stay where they are.', error);
      },
    );
  }

  private build(host: PhysicsHost, spec: WorldSpec): void {
    const previous = this.ids;
    const previousLocal = this.local;
    // Bodies this page was streaming are written down where the document has them: the world changed under them.
    for (let i = 0; i < previous.length; i++) {
      if (previousLocal[i] === 1) this.release(previous[i] as ObjectId, null);
    }
    const n = spec.bodies.length;
    this.ids = spec.bodies.map((b) => b.id);
    this.index.clear();
    for (const [i, id] of this.ids.entries()) this.index.set(id, i);
    this.input = { modes: new Uint8Array(n), targets: new Float64Array(n * 7), teleports: [] };
    this.changedIn = new Uint32Array(n);
    this.docPose = new Float64Array(n * 7);
    for (const [i, b] of spec.bodies.entries()) this.docPose.set(b.pose, i * 7);
    this.local = new Uint8Array(n);
    this.moved = new Uint8Array(n);
    this.accumulator = 0;
    this.result = undefined;
    this.spare = undefined;
    this.nextSeq = 1;
    this.resultSteps = 0;
    this.world++;
    this.stats.builds++;
    this.unanswered++;
    host.build(spec, this.world);
  }

  /** Sends this frame's modes, targets and pending teleports, to take `steps` fixed steps. */
  private request(host: PhysicsHost, steps: number): void {
    const { modes, targets, teleports } = this.input;
    const request = {
      world: this.world,
      seq: this.nextSeq++,
      steps,
      modes,
      targets,
      teleports: teleports.length > 0 ? Float64Array.from(teleports) : NO_TELEPORTS,
    };
    teleports.length = 0;
    const recycle = this.spare;
    this.spare = undefined;
    this.unanswered++;
    this.stats.requests++;
    host.step(request, recycle);
  }

  /**
   * A build or a step was answered; only the current world's results count. The rules act on a
   * step's result at once: waiting for the next frame would wait forever when nothing else asks for
   * one (ROOM5), since `moving` reads the rest counts this result brings.
   */
  private receive(result: StepResult): void {
    this.unanswered = Math.max(0, this.unanswered - 1);
    this.unansweredMs = 0;
    if (result.world !== this.world || result.flags.length !== this.ids.length) return;
    if (this.result && this.result !== result) this.spare = this.result;
    this.result = result;
    this.stats.steps += result.steps - this.resultSteps;
    this.resultSteps = result.steps;
    this.stats.lastStepMs = result.stepMs;
    if (result.seq > 0) this.afterSteps(result);
  }

  /** A host that hangs without failing (no error event) is reported once; the bodies stay where they are. */
  private checkAnswerTime(host: PhysicsHost, deltaMs: number): void {
    const before = this.unansweredMs;
    // Capped like the steps' accumulator: one long frame (a stalled tab) is not a hung worker.
    this.unansweredMs += Math.min(Math.max(deltaMs, 0), 250);
    if (before <= HOST_ANSWER_TIMEOUT_MS && this.unansweredMs > HOST_ANSWER_TIMEOUT_MS) {
      this.stats.errors++;
      this.stats.error = `the physics ${host.kind} gave no answer in ${HOST_ANSWER_TIMEOUT_MS} ms; @physics objects stay where they are`;
      console.error(`Physics: ${this.stats.error}`);
    }
  }

  private hostError(message: string): void {
    this.unanswered = Math.max(0, this.unanswered - 1);
    this.unansweredMs = 0;
    this.stats.errors++;
    this.stats.error = message;
    console.error(`Physics: ${message}`);
  }

  private drop(): void {
    for (let i = 0; i < this.ids.length; i++) {
      if (this.local[i] === 1) this.release(this.ids[i] as ObjectId, null);
    }
    // The host stays: a later scene with bodies builds in it without loading the engine again.
    this.result = undefined;
    this.spare = undefined;
    this.world++;
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
      this.changed(i);
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

  /** The rules on one result: claims of free bodies that woke (PHYS4, PHYS5), streams and rest poses (PHYS6). */
  private afterSteps(result: StepResult): void {
    const { room, selfId, channel } = this.ports;
    const { state, flags } = result;
    const presence = this.ports.presence();
    const claimsOwn = this.claims.claimsOwn();
    for (let i = 0; i < this.ids.length; i++) {
      // Thrown, claimed, teleported or written down since this result's request was sent: it knows nothing of that.
      if (this.stale(i, result)) continue;
      const id = this.ids[i] as ObjectId;
      const mode = this.input.modes[i];
      const o = i * OUT_STRIDE;
      if (mode === MODE_FREE) {
        const awake = ((flags[i] as number) & FLAG_AWAKE) !== 0;
        if (!awake) continue;
        const speed = Math.hypot(state[o + 7] as number, state[o + 8] as number, state[o + 9] as number);
        // Awake, it is somewhere the document does not say (if only by a millimetre of settling).
        this.moved[i] = 1;
        // PHYS5: woken by a body of ours, or moving on its own with nobody's body touching it: ours to simulate
        // (ROLE13: the latter only on the cleaner, never a viewer's page; the former not on a viewer's page either
        // unless viewers may grab).
        const touchesLocal = ((flags[i] as number) & FLAG_TOUCHES_LOCAL) !== 0;
        const touchesRemote = ((flags[i] as number) & FLAG_TOUCHES_REMOTE) !== 0;
        const claim =
          (touchesLocal && claimsOwn) ||
          (speed > CLAIM_SPEED && !touchesRemote && isBodyCleaner(selfId, presence, this.claims));
        // Simulated here before the claim is written: the grab coordinator's observer must see it as ours (GRAB7).
        if (claim) this.local[i] = 1;
        if (claim && room.setOwner(id, selfId).ok) {
          this.moved[i] = 1;
          this.changed(i);
          this.input.modes[i] = MODE_LOCAL;
          this.stats.claims++;
        } else {
          this.local[i] = 0;
          // PHYS5: a prediction nobody claimed that comes to rest yields to the document's pose.
          if (this.moved[i] === 1 && this.restStepsOf(i) >= REST_STEPS) this.backToDocument(i);
          continue;
        }
      }
      if (this.input.modes[i] !== MODE_LOCAL) continue;
      this.poseOf(i, scratch);
      if (scratch.position.y < FALL_LIMIT) {
        this.release(id, null);
        continue;
      }
      if (this.restStepsOf(i) >= REST_STEPS) {
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
    this.changed(i);
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
      this.changed(i);
    }
    const transform = pose ? this.toTransform(id, pose) : undefined;
    room.transact(() => {
      if (transform) room.setTransform(id, transform);
      if (room.ownerOf(id) === this.ports.selfId) room.setOwner(id, null);
    });
    if (i !== undefined) {
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

const NO_TELEPORTS = new Float64Array(0);

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
