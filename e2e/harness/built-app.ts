/**
 * The built app as the browser tests read it: Vite's manifest of this build
 * (`build/app/.vite/manifest.json`) maps source files to the files served.
 *
 * @example
 *   builtFiles(/app\/physics\/physics-runtime\.ts$/); // ['/assets/physics-runtime-<hash>.js']
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILT_APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'app');

/** The served paths (`/assets/...`) of the build's files whose source matches `pattern`. */
export function builtFiles(pattern: RegExp): string[] {
  const manifest = JSON.parse(readFileSync(path.join(BUILT_APP, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    { file: string }
  >;
  return Object.entries(manifest)
    .filter(([source]) => pattern.test(source))
    .map(([, chunk]) => `/${chunk.file}`);
}

/** LOAD19: the physics engine's two files, its glue and its WebAssembly (scripts/rapier-files.mjs). */
export function physicsEngineFiles(): { glue: string; wasm: string } {
  const [glue, wasm] = [builtFiles(/^build\/rapier\/rapier\.js$/), builtFiles(/^build\/rapier\/rapier\.wasm$/)];
  if (glue.length !== 1 || wasm.length !== 1 || !glue[0] || !wasm[0]) {
    throw new Error(
      `the build lists ${glue.length} physics engine glue and ${wasm.length} WebAssembly files, not one each`,
    );
  }
  return { glue: glue[0], wasm: wasm[0] };
}
