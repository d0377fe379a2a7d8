/**
 * Shared physics (docs/physics.md), in Node on the app's own modules:
 *
 * - physics.step_ms_100_bodies / physics.step_p95_ms_100_bodies: one fixed
 *   step (1/60 s) of 100 awake bodies: a 5 x 5 x 4 pile of 0.3 m boxes,
 *   each layer turned a little, collapsing on the floor inside the room's
 *   walls; steps 20-220 of the collapse (median, p95), with the per-step
 *   read of every body's state included, as RoomPhysics does it.
 * - physics.awake_bodies_at_end: how many of the 100 are still moving then.
 * - physics.engine_load_ms: the dynamic import and WebAssembly instantiation
 *   of the engine (first load in this process).
 * - physics.engine_chunk_gzip_bytes: the engine as a room with `@physics`
 *   fetches it: its glue and its WebAssembly, the two files the app's build
 *   makes of the compat module (docs/performance.md LOAD23).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createOutput, MODE_FREE, Simulation } from '../app/physics/engine/simulation.ts';
import { loadPhysicsEngine } from '../app/physics/load-engine.ts';
import { buildWorldSpec } from '../app/physics/world-spec.ts';
import { splitCompatModule } from '../scripts/rapier-files.mjs';
import { modelOf } from '../testing/scene/parsed-scenes.ts';
import { pileScript } from './harness/physics-pile.ts';
import { median, p95 } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';

const BODIES = 100;
const WARMUP_STEPS = 20;
const MEASURED_STEPS = 200;

const physicsBench: Benchmark = async () => {
  const loadStart = performance.now();
  const rapier = await loadPhysicsEngine();
  const loadMs = performance.now() - loadStart;

  const spec = buildWorldSpec(await modelOf(pileScript(BODIES)));
  if (spec.bodies.length !== BODIES) throw new Error(`expected ${BODIES} bodies, got ${spec.bodies.length}`);
  const sim = new Simulation(rapier, spec);
  const out = createOutput(sim.count);
  const input = {
    modes: new Uint8Array(sim.count).fill(MODE_FREE),
    targets: new Float64Array(sim.count * 7),
    teleports: [],
  };
  const samples: number[] = [];
  for (let s = 0; s < WARMUP_STEPS + MEASURED_STEPS; s++) {
    const start = performance.now();
    sim.apply(input);
    sim.step();
    sim.read(out);
    if (s >= WARMUP_STEPS) samples.push(performance.now() - start);
  }
  let awake = 0;
  for (let i = 0; i < sim.count; i++) if ((out.flags[i] as number) & 1) awake++;
  sim.free();

  const require = createRequire(import.meta.url);
  const engineFile = path.join(path.dirname(require.resolve('@dimforge/rapier3d-compat')), 'rapier.mjs');
  const { glue, wasm } = splitCompatModule(readFileSync(engineFile, 'utf8'));
  const chunkGzip = gzipSync(glue, { level: 9 }).length + gzipSync(wasm, { level: 9 }).length;
  return {
    'physics.step_ms_100_bodies': median(samples),
    'physics.step_p95_ms_100_bodies': p95(samples),
    'physics.awake_bodies_at_end': awake,
    'physics.engine_load_ms': loadMs,
    'physics.engine_chunk_gzip_bytes': chunkGzip,
  };
};

export default physicsBench;
