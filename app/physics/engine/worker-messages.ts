/**
 * Messages between the room's physics (hosts.ts, main thread) and the physics
 * worker (physics-worker.ts). Every message to the worker is answered by
 * exactly one message back: a `build` by the new world's read-out, a `step`
 * by its result, either by an error. Result buffers are transferred, not
 * copied, and the main thread sends the buffers of a result it has finished
 * with back in the next `step` (`recycle`), so steady stepping allocates none.
 *
 * Both sides are this app's own code, but what crosses a thread boundary is
 * checked for shape before it is used (readFromWorker, readToWorker): a wrong
 * message is an error value, never an exception in the frame.
 */
import type { WorldSpec } from '../world-spec.ts';
import { OUT_STRIDE } from './simulation.ts';
import { MAX_STEPS_PER_FRAME, type StepRequest, type StepResult, TELEPORT_STRIDE } from './stepper.ts';

export type ToWorker =
  | { type: 'build'; world: number; spec: WorldSpec }
  | { type: 'step'; request: StepRequest; recycle: StepResult | null };

export type FromWorker = { type: 'result'; result: StepResult } | { type: 'error'; message: string };

/** Longest error text taken from the worker. */
const MAX_ERROR_LENGTH = 500;

export type Read<T> = { ok: true; message: T } | { ok: false; error: string };

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Checks a result's shape: whole-number counters and arrays of the right kinds and matching lengths. */
function readResult(value: unknown): StepResult | string {
  if (!isRecord(value)) return 'a result must be an object';
  const { world, seq, steps, state, flags, rest, stepMs } = value;
  if (!isCount(world) || !isCount(seq) || !isCount(steps)) return 'world, seq and steps must be whole numbers';
  if (typeof stepMs !== 'number' || !Number.isFinite(stepMs)) return 'stepMs must be a number';
  if (!(flags instanceof Uint8Array) || !(rest instanceof Uint16Array) || !(state instanceof Float64Array))
    return 'state, flags and rest must be Float64Array, Uint8Array and Uint16Array';
  if (rest.length !== flags.length || state.length !== flags.length * OUT_STRIDE)
    return `state, flags and rest disagree on the number of bodies (${state.length}, ${flags.length}, ${rest.length})`;
  return { world, seq, steps, state, flags, rest, stepMs };
}

/** What the main thread accepts from the worker. */
export function readFromWorker(data: unknown): Read<FromWorker> {
  if (!isRecord(data)) return fail('a message from the physics worker must be an object');
  if (data.type === 'error') {
    const text = typeof data.message === 'string' ? data.message : 'no message';
    return { ok: true, message: { type: 'error', message: text.slice(0, MAX_ERROR_LENGTH) } };
  }
  if (data.type !== 'result') return fail(`unknown message type from the physics worker: ${String(data.type)}`);
  const result = readResult(data.result);
  return typeof result === 'string' ? fail(result) : { ok: true, message: { type: 'result', result } };
}

/** What the worker accepts from the main thread (the world spec's own fields are checked by the engine). */
export function readToWorker(data: unknown): Read<ToWorker> {
  if (!isRecord(data)) return fail('a message to the physics worker must be an object');
  if (data.type === 'build') {
    const { world, spec } = data;
    if (!isCount(world)) return fail('build: world must be a whole number');
    if (!isRecord(spec) || !Array.isArray(spec.bodies) || !Array.isArray(spec.statics) || !Array.isArray(spec.gravity))
      return fail('build: spec must have bodies, statics and gravity');
    return { ok: true, message: { type: 'build', world, spec: spec as unknown as WorldSpec } };
  }
  if (data.type !== 'step') return fail(`unknown message type for the physics worker: ${String(data.type)}`);
  const request = data.request;
  if (!isRecord(request)) return fail('step: request must be an object');
  const { world, seq, steps, modes, targets, teleports } = request;
  if (!isCount(world) || !isCount(seq)) return fail('step: world and seq must be whole numbers');
  if (!isCount(steps) || steps < 1 || steps > MAX_STEPS_PER_FRAME)
    return fail(`step: steps must be 1 to ${MAX_STEPS_PER_FRAME}`);
  if (!(modes instanceof Uint8Array) || !(targets instanceof Float64Array) || !(teleports instanceof Float64Array))
    return fail('step: modes, targets and teleports must be Uint8Array, Float64Array and Float64Array');
  if (targets.length !== modes.length * 7 || teleports.length % TELEPORT_STRIDE !== 0)
    return fail('step: targets or teleports have the wrong length');
  const recycle = data.recycle === null || data.recycle === undefined ? null : readResult(data.recycle);
  if (typeof recycle === 'string') return fail(`step: recycle: ${recycle}`);
  return {
    ok: true,
    message: { type: 'step', request: { world, seq, steps, modes, targets, teleports }, recycle },
  };
}

/** The buffers of a result, to transfer rather than copy. */
export function resultBuffers(result: StepResult): ArrayBuffer[] {
  return [result.state.buffer, result.flags.buffer, result.rest.buffer] as ArrayBuffer[];
}
