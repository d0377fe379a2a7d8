/**
 * The physics engine's module, initialized (docs/physics.md PHYS8). This is
 * the compat package as it is, its WebAssembly inline as base64: what Node
 * tests and the dev server run. The app's build replaces this module by one
 * with the same export that loads the engine's glue and its WebAssembly as two
 * files, the WebAssembly compiled as it streams in (scripts/rapier-files.mjs,
 * docs/performance.md LOAD23), so the worker and the page share one copy.
 */
import type { Rapier } from './simulation.ts';

export async function importRapier(): Promise<Rapier> {
  const rapier = await import('@dimforge/rapier3d-compat');
  await rapier.init();
  return rapier;
}
