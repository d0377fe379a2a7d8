/**
 * The simulation side of shared physics (docs/physics.md PHYS9): one world,
 * stepped on request. A request carries this frame's body modes, follow
 * targets and teleports and how many fixed steps to take; the result carries
 * every body's pose, velocities and contact flags after them, and how many
 * consecutive steps each body has been at rest (PHYS6). The same stepper runs
 * in the physics worker in browsers (physics-worker.ts) and in process in
 * Node and where there is no Worker (hosts.ts); the room's authority rules
 * (room-physics.ts) only ever see requests and results.
 */
import type { WorldSpec } from '../world-spec.ts';
import {
  createOutput,
  MODE_FREE,
  MODE_LOCAL,
  OUT_STRIDE,
  type Rapier,
  type SimInput,
  type SimOutput,
  Simulation,
} from './simulation.ts';

/** Floats per teleport: body index, pose 7, linear velocity 3, angular velocity 3, sleep 0/1. */
export const TELEPORT_STRIDE = 15;
/** PHYS6: a body this slow (m/s, rad/s) ... */
const REST_LINEAR = 0.03;
const REST_ANGULAR = 0.1;
/** PHYS7: at most this many fixed steps per request (per rendered frame); a longer stall is dropped. */
export const MAX_STEPS_PER_FRAME = 4;

export interface StepRequest {
  /** The world this request is for (the count of worlds built so far); requests for an older one are dropped. */
  world: number;
  /** Numbers the requests of one world, from 1; its result carries it back. */
  seq: number;
  /** Fixed steps to take, 1 to MAX_STEPS_PER_FRAME. */
  steps: number;
  /** Per body: MODE_*. */
  modes: Uint8Array;
  /** Per body: pose target (7) for following bodies. */
  targets: Float64Array;
  /** Bodies put somewhere at once before the first step, TELEPORT_STRIDE numbers each. */
  teleports: Float64Array;
}

export interface StepResult {
  world: number;
  /** The request this answers; 0 for the read-out of a newly built world. */
  seq: number;
  /** Fixed steps taken since the world was built. */
  steps: number;
  /** Per body: position 3, quaternion 4, linear velocity 3, angular velocity 3 (OUT_STRIDE). */
  state: Float64Array;
  /** Per body: FLAG_*. */
  flags: Uint8Array;
  /** Per body: consecutive steps at rest (PHYS6), counted for dynamic bodies only. */
  rest: Uint16Array;
  /** Time the steps took where they ran, ms. */
  stepMs: number;
}

/** An empty result for a world of `count` bodies (buffers to fill, or to send back for reuse). */
export function createResult(count: number): StepResult {
  return {
    world: 0,
    seq: 0,
    steps: 0,
    state: new Float64Array(count * OUT_STRIDE),
    flags: new Uint8Array(count),
    rest: new Uint16Array(count),
    stepMs: 0,
  };
}

export class PhysicsStepper {
  readonly count: number;
  private readonly sim: Simulation;
  private readonly output: SimOutput;
  private readonly input: SimInput;
  private readonly rest: Uint16Array;
  /** The modes of the last request: a body whose mode changes starts counting rest again. */
  private readonly lastModes: Uint8Array;

  constructor(
    rapier: Rapier,
    spec: WorldSpec,
    readonly world: number,
  ) {
    this.sim = new Simulation(rapier, spec);
    this.count = this.sim.count;
    this.output = createOutput(this.count);
    this.input = { modes: new Uint8Array(this.count), targets: new Float64Array(this.count * 7), teleports: [] };
    this.rest = new Uint16Array(this.count);
    this.lastModes = new Uint8Array(this.count);
    this.sim.read(this.output);
  }

  /** The world as built, before any step (its result has `seq` 0). */
  readOut(into: StepResult): StepResult {
    return this.fill(into, 0, 0);
  }

  /** Applies `request`, takes its steps and fills `into` (resized when its buffers do not fit). */
  run(request: StepRequest, into: StepResult): StepResult {
    const started = performance.now();
    const { modes, targets, teleports } = request;
    for (let i = 0; i < this.count; i++) {
      const mode = modes[i] ?? MODE_FREE;
      if (mode !== this.lastModes[i]) this.rest[i] = 0;
      this.lastModes[i] = mode;
    }
    this.input.modes = modes;
    this.input.targets = targets;
    const list = this.input.teleports;
    list.length = 0;
    for (let k = 0; k + TELEPORT_STRIDE <= teleports.length; k += TELEPORT_STRIDE) {
      for (let j = 0; j < TELEPORT_STRIDE; j++) list.push(teleports[k + j] as number);
      const i = teleports[k] as number;
      if (i >= 0 && i < this.count) this.rest[i] = 0;
    }
    const steps = Math.min(Math.max(Math.floor(request.steps), 0), MAX_STEPS_PER_FRAME);
    for (let s = 0; s < steps; s++) {
      this.sim.apply(this.input);
      list.length = 0;
      this.sim.step();
      this.sim.read(this.output);
      this.countRest(modes);
    }
    return this.fill(into, request.seq, performance.now() - started);
  }

  free(): void {
    this.sim.free();
  }

  /** PHYS6: consecutive slow steps of each dynamic body (followed bodies move as told). */
  private countRest(modes: Uint8Array): void {
    const s = this.output.state;
    for (let i = 0; i < this.count; i++) {
      const mode = modes[i];
      if (mode !== MODE_LOCAL && mode !== MODE_FREE) continue;
      const o = i * OUT_STRIDE;
      const v = Math.hypot(s[o + 7] as number, s[o + 8] as number, s[o + 9] as number);
      const w = Math.hypot(s[o + 10] as number, s[o + 11] as number, s[o + 12] as number);
      this.rest[i] = v < REST_LINEAR && w < REST_ANGULAR ? Math.min(this.rest[i] as number, 60000) + 1 : 0;
    }
  }

  private fill(into: StepResult, seq: number, stepMs: number): StepResult {
    const result = into.flags.length === this.count ? into : createResult(this.count);
    result.world = this.world;
    result.seq = seq;
    result.steps = this.sim.steps;
    result.state.set(this.output.state);
    result.flags.set(this.output.flags);
    result.rest.set(this.rest);
    result.stepMs = stepMs;
    return result;
  }
}
