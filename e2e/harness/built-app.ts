/**
 * The built app as the browser tests read it: Vite's manifest of this build
 * (`build/app/.vite/manifest.json`) maps source files to the files served.
 *
 * @example
 *   builtFiles(/app\/physics\/physics-runtime\.ts$/); // ['/assets/physics-runtime-<hash>.js']
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

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

/** LOAD23: the physics engine's two files, its glue and its WebAssembly (scripts/rapier-files.mjs). */
export function physicsEngineFiles(): { glue: string; wasm: string } {
  const [glue, wasm] = [builtFiles(/^build\/rapier\/rapier\.js$/), builtFiles(/^build\/rapier\/rapier\.wasm$/)];
  if (glue.length !== 1 || wasm.length !== 1 || !glue[0] || !wasm[0]) {
    throw new Error(
      `the build lists ${glue.length} physics engine glue and ${wasm.length} WebAssembly files, not one each`,
    );
  }
  return { glue: glue[0], wasm: wasm[0] };
}

export interface ShippedScript {
  /** Served path, e.g. `/assets/room-page-<hash>.js`, `/sw.js`. */
  path: string;
  /** The file's name without its directory, content hash and extension: `room-page`, `sw`. */
  name: string;
  /** Gzip at level 9, as the server's precompressed `.gz` files are. */
  gzipBytes: number;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * Every JavaScript file the build ships, largest first: all its `.js` files (docs/performance.md LOAD2,
 * `bundle.shipped_js_gzip_bytes`; since LOAD26 the build holds no test-only script to leave out).
 */
export function shippedScripts(): ShippedScript[] {
  return filesUnder(BUILT_APP)
    .filter((file) => file.endsWith('.js'))
    .map((file) => ({
      path: `/${path.relative(BUILT_APP, file).split(path.sep).join('/')}`,
      name: path.basename(file).replace(/(-[\w-]{8})?\.js$/, ''),
      gzipBytes: gzipSync(readFileSync(file), { level: 9 }).length,
    }))
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
}

/**
 * A report of shipped scripts against what each chunk name measured before (`recorded`), the chunks
 * that grew the most first; a chunk not recorded grew by all of it.
 *
 * @example
 *   describeGrowth([{ path: '/assets/a-12345678.js', name: 'a', gzipBytes: 120 }], { a: 100 });
 *   // 'a: 120 B (+20 B; /assets/a-12345678.js)'
 */
export function describeGrowth(scripts: readonly ShippedScript[], recorded: Readonly<Record<string, number>>): string {
  const byName = new Map<string, { bytes: number; paths: string[] }>();
  for (const script of scripts) {
    const entry = byName.get(script.name) ?? { bytes: 0, paths: [] };
    entry.bytes += script.gzipBytes;
    entry.paths.push(script.path);
    byName.set(script.name, entry);
  }
  for (const name of Object.keys(recorded)) if (!byName.has(name)) byName.set(name, { bytes: 0, paths: [] });
  return [...byName]
    .map(([name, { bytes, paths }]) => ({ name, bytes, paths, growth: bytes - (recorded[name] ?? 0) }))
    .sort((a, b) => b.growth - a.growth || b.bytes - a.bytes)
    .map(({ name, bytes, paths, growth }) => {
      const change = growth === 0 ? '=' : `${growth > 0 ? '+' : ''}${growth} B`;
      const where = paths.length > 0 ? `; ${paths.join(', ')}` : '; gone';
      return `${name}: ${bytes} B (${change}${where})`;
    })
    .join('\n');
}
