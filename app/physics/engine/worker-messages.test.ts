// PHYS9: what crosses between the room and the physics worker. Requests and results made by the real
// stepper pass the checks after a structured clone with their buffers transferred (as postMessage does);
// every wrong shape is refused with a reason, never thrown. The stepper counts rest the way the room's
// rules read it (PHYS6), and the in-process host answers a step for a world it has not built with an error.
import { describe, expect, it } from 'vitest';
import { modelOf } from '../../../testing/scene/parsed-scenes.ts';
import { loadPhysicsEngine } from '../load-engine.ts';
import { buildWorldSpec, type WorldSpec } from '../world-spec.ts';
import { InProcessHost } from './hosts.ts';
import { MODE_FOLLOW_LOCAL, MODE_FREE, OUT_STRIDE } from './simulation.ts';
import { createResult, PhysicsStepper, type StepRequest, type StepResult, TELEPORT_STRIDE } from './stepper.ts';
import { readFromWorker, readToWorker, resultBuffers } from './worker-messages.ts';

async function twoBoxes(): Promise<WorldSpec> {
  return buildWorldSpec(
    await modelOf(`
      object "A" @physics { size: 0.3; position: [0, 0.15, 0] }
      object "B" @physics { size: 0.3; position: [1, 2, 0] }
    `),
  );
}

function request(count: number, seq: number, teleports: number[] = []): StepRequest {
  return {
    world: 1,
    seq,
    steps: 1,
    modes: new Uint8Array(count).fill(MODE_FREE),
    targets: new Float64Array(count * 7),
    teleports: Float64Array.from(teleports),
  };
}

/** A step request message as the room sends it, with a result's buffers to fill again. */
function stepMessage(overrides: Partial<StepRequest> = {}, recycle: unknown = null): unknown {
  return { type: 'step', request: { ...request(2, 1), ...overrides }, recycle };
}

describe('messages to and from the physics worker', () => {
  it('[PHYS9] a real request and result pass the checks after a structured clone that transfers the result buffers', async () => {
    const rapier = await loadPhysicsEngine();
    const stepper = new PhysicsStepper(rapier, await twoBoxes(), 1);
    const result = stepper.run(request(2, 1), createResult(2));
    const sent = structuredClone({ type: 'result', result }, { transfer: resultBuffers(result) });
    // Transferred, not copied: the sender's arrays are empty now.
    expect(result.state.length).toBe(0);
    const read = readFromWorker(sent);
    expect(read.ok).toBe(true);
    if (!read.ok || read.message.type !== 'result') throw new Error('expected a result');
    expect(read.message.result.seq).toBe(1);
    expect(read.message.result.state.length).toBe(2 * OUT_STRIDE);
    // B fell a step: its height is below where it started.
    expect(read.message.result.state[OUT_STRIDE + 1]).toBeLessThan(2);

    const toWorker = readToWorker(structuredClone(stepMessage({}, read.message.result)));
    expect(toWorker.ok).toBe(true);
    const build = readToWorker(structuredClone({ type: 'build', world: 2, spec: await twoBoxes() }));
    expect(build.ok && build.message.type === 'build' && build.message.spec.bodies.length).toBe(2);
    stepper.free();
  });

  it('[PHYS9] results of the wrong shape are refused with a reason, never thrown', () => {
    const good = (): StepResult => createResult(2);
    const refusals: [string, unknown][] = [
      ['not an object', null],
      ['a string', 'result'],
      ['unknown type', { type: 'pose' }],
      ['no result', { type: 'result' }],
      ['state of the wrong kind', { type: 'result', result: { ...good(), state: new Float32Array(26) } }],
      ['state of the wrong length', { type: 'result', result: { ...good(), state: new Float64Array(25) } }],
      ['rest of another count', { type: 'result', result: { ...good(), rest: new Uint16Array(3) } }],
      ['a fractional world', { type: 'result', result: { ...good(), world: 1.5 } }],
      ['a negative seq', { type: 'result', result: { ...good(), seq: -1 } }],
      ['stepMs not a number', { type: 'result', result: { ...good(), stepMs: Number.NaN } }],
      ['plain arrays', { type: 'result', result: { ...good(), flags: [0, 0] } }],
    ];
    for (const [what, data] of refusals) {
      const read = readFromWorker(data);
      expect(read.ok, what).toBe(false);
      expect(read.ok ? '' : read.error, what).not.toBe('');
    }
    // An error from the worker is taken, its text cut to a bounded length.
    const long = readFromWorker({ type: 'error', message: 'x'.repeat(100_000) });
    expect(long.ok && long.message.type === 'error' && long.message.message.length).toBe(500);
    const odd = readFromWorker({ type: 'error', message: { toString: 'no' } });
    expect(odd.ok && odd.message.type === 'error' && odd.message.message).toBe('no message');
  });

  it('[PHYS9] requests of the wrong shape are refused with a reason, never thrown', () => {
    const refusals: [string, unknown][] = [
      ['not an object', undefined],
      ['unknown type', { type: 'stop' }],
      ['a build without a spec', { type: 'build', world: 1 }],
      [
        'a build with a fractional world',
        { type: 'build', world: 0.5, spec: { bodies: [], statics: [], gravity: [] } },
      ],
      ['no request', { type: 'step' }],
      ['zero steps', stepMessage({ steps: 0 })],
      ['more steps than a frame takes', stepMessage({ steps: 5 })],
      ['fractional steps', stepMessage({ steps: 1.5 })],
      ['modes of the wrong kind', stepMessage({ modes: new Uint16Array(2) as unknown as Uint8Array })],
      ['targets of the wrong length', stepMessage({ targets: new Float64Array(13) })],
      ['a partial teleport', stepMessage({ teleports: new Float64Array(TELEPORT_STRIDE - 1) })],
      ['a bad recycled result', stepMessage({}, { state: 'no' })],
    ];
    for (const [what, data] of refusals) {
      const read = readToWorker(data);
      expect(read.ok, what).toBe(false);
    }
  });
});

describe('the physics stepper', () => {
  it('[PHYS9][PHYS6] counts steps at rest per body, from zero again after a teleport or a change of mode', async () => {
    const rapier = await loadPhysicsEngine();
    const stepper = new PhysicsStepper(rapier, await twoBoxes(), 1);
    let result = stepper.readOut(createResult(2));
    expect([result.seq, result.steps]).toEqual([0, 0]);
    for (let seq = 1; seq <= 30; seq++) result = stepper.run(request(2, seq), result);
    // A rests on the floor from the start; B is falling.
    expect(result.rest[0]).toBe(30);
    expect(result.rest[1]).toBe(0);
    expect(result.steps).toBe(30);
    // A teleport of A, and B held (a change of mode): both start again.
    const teleport = [0, 0, 0.15, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1];
    const next = request(2, 31, teleport);
    next.modes[1] = MODE_FOLLOW_LOCAL;
    next.targets.set([1, 1, 0, 0, 0, 0, 1], 7);
    result = stepper.run(next, result);
    expect(result.rest[0]).toBe(1);
    expect(result.rest[1]).toBe(0);
    // Held bodies are not counted; they move as told.
    expect(result.state[OUT_STRIDE + 1]).toBeCloseTo(1, 5);
    stepper.free();
  });

  it('[PHYS9] the in-process host answers a step for a world it has not built with an error', async () => {
    const answers: string[] = [];
    const host = new InProcessHost(await loadPhysicsEngine(), {
      result: (result) => answers.push(`result ${result.world}/${result.seq}`),
      error: (message) => answers.push(`error ${message}`),
    });
    host.step(request(2, 1), undefined);
    host.build(await twoBoxes(), 1);
    host.step(request(2, 1), undefined);
    host.step({ ...request(2, 2), world: 7 }, undefined);
    expect(answers).toEqual([
      'error a step for world 1, which is not built',
      'result 1/0',
      'result 1/1',
      'error a step for world 7, which is not built',
    ]);
    host.destroy();
  });
});
