/**
 * Loads the physics engine (Rapier, docs/physics.md PHYS8) on first use. The
 * import is dynamic so the engine is a chunk of its own that only rooms whose
 * scene has a `@physics` body fetch; the compat build carries its WebAssembly
 * inline, so the same module runs in browsers and in Node tests.
 */
import type { Rapier } from './engine/simulation.ts';

let loading: Promise<Rapier> | undefined;

export function loadPhysicsEngine(): Promise<Rapier> {
  loading ??= import('@dimforge/rapier3d-compat')
    .then(async (rapier) => {
      await rapier.init();
      return rapier;
    })
    .catch((error: unknown) => {
      loading = undefined; // a later scene tries again
      throw error;
    });
  return loading;
}
