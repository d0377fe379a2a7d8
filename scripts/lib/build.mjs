// Builds the three products, each skipped when its inputs are unchanged:
//   build/wasm/holoroom_parser.wasm   the Rust parser (release, then wasm-opt -Oz)
//   build/server/main.js              the Node server bundle (and shard-worker.js beside it)
//   build/app/                        the browser app (Vite)
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { hashInputs, isFresh, writeStamp } from './fresh.mjs';
import { ROOT, run, SetupError, step } from './run.mjs';
import { ensureWasmToolchain } from './setup.mjs';

const WASM_OUT = 'build/wasm/holoroom_parser.wasm';
export const SERVER_OUT = 'build/server/main.js';
/** The sync shard worker (server/yjs/shards.ts starts it from beside the server bundle). */
const SERVER_WORKER_OUT = 'build/server/shard-worker.js';
const APP_OUT = 'build/app';
const BIN = path.join(ROOT, 'node_modules', '.bin');

/** @param {string} what @param {number} code */
function check(what, code) {
  if (code !== 0) throw new SetupError(`${what} failed (exit ${code}); see the output above.`);
}

async function buildWasm() {
  const toolchain = await ensureWasmToolchain();
  const digest = hashInputs(
    ['Cargo.toml', 'Cargo.lock', '.cargo/config.toml', 'wasm-parser/Cargo.toml', 'wasm-parser/src'],
    [toolchain.version],
  );
  if (isFresh('wasm', digest, [WASM_OUT])) return;
  step(`building the wasm parser (${toolchain.version})`);
  const targetDir = path.join(ROOT, 'target', 'wasm');
  const env = { ...process.env, RUSTC: toolchain.rustc, CARGO_TARGET_DIR: targetDir };
  check(
    'cargo build',
    await run(
      toolchain.cargo,
      ['build', '--release', '--locked', '--target', 'wasm32-unknown-unknown', '-p', 'holoroom-parser'],
      { env },
    ),
  );
  const raw = path.join(targetDir, 'wasm32-unknown-unknown', 'release', 'holoroom_parser.wasm');
  mkdirSync(path.join(ROOT, 'build', 'wasm'), { recursive: true });
  const out = path.join(ROOT, WASM_OUT);
  // The module uses bulk memory operations (.cargo/config.toml); wasm-opt must accept them.
  const optimized = await run(path.join(BIN, 'wasm-opt'), [
    '-Oz',
    '--enable-bulk-memory',
    '--strip-debug',
    raw,
    '-o',
    out,
  ]);
  if (optimized !== 0) {
    console.log('build: wasm-opt failed; shipping the unoptimized module');
    copyFileSync(raw, out);
  }
  writeStamp('wasm', digest);
}

async function buildServer() {
  const digest = hashInputs(['server', 'app', 'package-lock.json']);
  if (isFresh('server', digest, [SERVER_OUT, SERVER_WORKER_OUT])) return;
  step('building the server');
  check(
    'esbuild',
    await run(path.join(BIN, 'esbuild'), [
      'server/main.ts',
      'server/yjs/shard-worker.ts',
      '--entry-names=[name]',
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--target=node20',
      '--packages=external',
      '--sourcemap',
      '--log-level=warning',
      `--outdir=${path.dirname(SERVER_OUT)}`,
    ]),
  );
  writeStamp('server', digest);
}

async function buildApp() {
  const digest = hashInputs([
    'app',
    'public',
    'service-worker',
    'scripts/pwa-icons.mjs',
    'scripts/three-from-source.mjs',
    'scripts/rapier-files.mjs',
    'index.html',
    'vite.config.ts',
    'package-lock.json',
    WASM_OUT,
  ]);
  if (isFresh('app', digest, [path.join(APP_OUT, 'index.html')])) return;
  step('building the app');
  rmSync(path.join(ROOT, APP_OUT), { recursive: true, force: true });
  // Always a production bundle, even when called from a test runner that set
  // NODE_ENV=test (Vite would then ship React's development build and
  // `import.meta.env.PROD` would be false, dropping the service worker).
  const env = { ...process.env, NODE_ENV: 'production' };
  check('vite build', await run(path.join(BIN, 'vite'), ['build', '--logLevel', 'warn'], { env }));
  precompress(path.join(ROOT, APP_OUT));
  writeStamp('app', digest);
}

const COMPRESSIBLE = /\.(js|mjs|css|html|json|webmanifest|svg|wasm|holo|txt)$/;

/**
 * Writes `.br` and `.gz` beside every compressible file over 1 KiB, at maximum
 * quality, once at build time; the server picks one per request (STATIC5).
 * @param {string} dir
 */
function precompress(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) {
      precompress(file);
      continue;
    }
    if (!COMPRESSIBLE.test(name) || statSync(file).size < 1024) continue;
    const data = readFileSync(file);
    writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
  }
}

const LOCK_DIR = path.join(ROOT, 'build', '.lock');
const LOCK_STALE_MS = 10 * 60_000;

/**
 * Serialises builds between processes (a test run and a developer's `npm start`
 * may both build): mkdir is atomic, so the directory is the lock.
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withBuildLock(fn) {
  mkdirSync(path.dirname(LOCK_DIR), { recursive: true });
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch {
      let age = 0;
      try {
        age = Date.now() - statSync(LOCK_DIR).mtimeMs;
      } catch {
        continue;
      }
      if (age > LOCK_STALE_MS || Date.now() > deadline) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

/** Builds everything (each step skipped when fresh). */
export function buildAll() {
  return withBuildLock(async () => {
    await buildWasm();
    await buildServer();
    await buildApp();
  });
}
