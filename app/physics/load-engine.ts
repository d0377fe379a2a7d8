/**
 * Loads the physics engine (Rapier, docs/physics.md PHYS8) on first use. The
 * import is dynamic so the engine is fetched only by rooms whose scene has a
 * `@physics` body: in the app's build as two files, its glue and its
 * WebAssembly (engine/rapier-module.ts, docs/performance.md LOAD23); in Node
 * tests the compat package with its WebAssembly inline.
 */
import { importRapier } from './engine/rapier-module.ts';
import type { Rapier } from './engine/simulation.ts';

let loading: Promise<Rapier> | undefined;

export function loadPhysicsEngine(): Promise<Rapier> {
  loading ??= importRapier().catch((error: unknown) => {
    loading = undefined; // a later scene tries again
    throw error;
  });
  return loading;
}
