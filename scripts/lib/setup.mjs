// One-time machine setup shared by `npm start`, `npm test` and `npm run bench`:
// npm dependencies, a Rust toolchain that can target wasm32, and (for tests) Chromium.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { aptInstall, canAptInstall, capture, ROOT, run, SetupError, step, which } from './run.mjs';

const INSTALL_STAMP = path.join(ROOT, 'node_modules', '.holoroom-install');
const WASM_TARGET = 'wasm32-unknown-unknown';
const RUST_PACKAGES = ['rustc', 'cargo', 'libstd-rust-dev-wasm32'];

/** Runs `npm ci` when node_modules is missing or older than package-lock.json. */
export async function ensureNpmDependencies() {
  const lock = readFileSync(path.join(ROOT, 'package-lock.json'));
  const digest = createHash('sha256').update(lock).update(process.version).digest('hex');
  if (existsSync(INSTALL_STAMP) && readFileSync(INSTALL_STAMP, 'utf8') === digest) return;
  step('installing npm dependencies (npm ci)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const code = await run(npm, ['ci', '--no-audit', '--no-fund']);
  if (code !== 0) {
    throw new SetupError(`npm ci failed (exit ${code}); see the output above.`);
  }
  writeFileSync(INSTALL_STAMP, digest);
}

/**
 * @typedef {{ cargo: string, rustc: string, version: string }} Toolchain
 */

/**
 * Where to look for cargo + rustc: PATH first (rustup's shims), then Debian's
 * /usr/bin, which ships the wasm32 standard library as a package.
 * @returns {{ cargo?: string, rustc?: string }[]}
 */
function toolchainCandidates() {
  return [
    { cargo: which('cargo'), rustc: which('rustc') },
    { cargo: which('/usr/bin/cargo'), rustc: which('/usr/bin/rustc') },
  ];
}

/**
 * Returns the first toolchain whose standard library includes wasm32, or undefined.
 * @param {{ cargo?: string, rustc?: string }[]} candidates
 * @returns {Toolchain | undefined}
 */
function findWasmToolchain(candidates) {
  for (const { cargo, rustc } of candidates) {
    if (!cargo || !rustc) continue;
    const sysroot = capture(rustc, ['--print', 'sysroot']);
    if (!sysroot.ok) continue;
    const std = path.join(sysroot.stdout.trim(), 'lib', 'rustlib', WASM_TARGET);
    if (existsSync(std)) {
      const version = capture(rustc, ['--version']).stdout.trim();
      return { cargo, rustc, version };
    }
  }
  return undefined;
}

/** True unless HOLOROOM_NO_SYSTEM_INSTALL=1 asks the scripts never to run apt-get. */
function systemInstallAllowed() {
  return process.env.HOLOROOM_NO_SYSTEM_INSTALL !== '1' && canAptInstall();
}

/**
 * Makes sure a Rust toolchain with the wasm32 standard library exists: use one
 * that has it, else ask rustup for the target, else install Debian's packages
 * (root only), else stop with what to install.
 * @param {{ candidates?: () => { cargo?: string, rustc?: string }[], rustup?: string, allowSystemInstall?: boolean }} [options]
 *   injectable for tests; defaults look at this machine
 */
export async function ensureWasmToolchain(options = {}) {
  const candidates = options.candidates ?? toolchainCandidates;
  let toolchain = findWasmToolchain(candidates());
  if (toolchain) return toolchain;

  const rustup = 'rustup' in options ? options.rustup : which('rustup');
  if (rustup) {
    step(`adding the ${WASM_TARGET} target with rustup`);
    await run(rustup, ['target', 'add', WASM_TARGET], { timeoutMs: 120_000 });
    toolchain = findWasmToolchain(candidates());
    if (toolchain) return toolchain;
    console.log('setup: rustup could not add the target (offline?); trying Debian packages');
  }
  if (options.allowSystemInstall ?? systemInstallAllowed()) {
    step('installing Rust with the wasm32 standard library from Debian');
    if (await aptInstall(RUST_PACKAGES)) toolchain = findWasmToolchain(candidates());
    if (toolchain) return toolchain;
  }
  throw new SetupError(
    [
      `No Rust toolchain with the ${WASM_TARGET} standard library was found.`,
      'Install one of:',
      `  - rustup:  rustup target add ${WASM_TARGET}`,
      `  - Debian:  sudo apt-get install -y ${RUST_PACKAGES.join(' ')}`,
      'then run the command again.',
    ].join('\n'),
  );
}

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Path of a Chromium to drive in browser tests (CHROMIUM_PATH overrides). */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));
}

/** Makes sure Chromium exists for the browser tests, installing Debian's when root. */
export async function ensureChromium() {
  let found = findChromium();
  if (found) return found;
  if (systemInstallAllowed()) {
    step('installing Chromium from Debian for the browser tests');
    if (await aptInstall(['chromium'])) found = findChromium();
    if (found) return found;
  }
  throw new SetupError(
    [
      'Chromium is needed for the browser tests and was not found.',
      'Install it with:  sudo apt-get install -y chromium',
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
    ].join('\n'),
  );
}

/**
 * Makes sure a Debian system program exists for the cluster tests (redis-server, haproxy),
 * installing its package when root, else stopping with what to install.
 * @param {{ name: string, package: string, candidates: string[], env: string }} program
 * @returns {Promise<string>} its path
 */
async function ensureSystemProgram(program) {
  const find = () => {
    const fromEnv = process.env[program.env];
    if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
    return program.candidates.find((candidate) => existsSync(candidate));
  };
  let found = find();
  if (found) return found;
  if (systemInstallAllowed()) {
    step(`installing ${program.package} from Debian for the cluster tests`);
    if (await aptInstall([program.package])) found = find();
    if (found) return found;
  }
  throw new SetupError(
    [
      `${program.name} is needed for the cluster tests (docs/scaling.md) and was not found.`,
      `Install it with:  sudo apt-get install -y ${program.package}`,
      `or set ${program.env} to its path.`,
    ].join('\n'),
  );
}

/** Redis for the cluster tests and benchmarks (each starts its own on a free port). */
export function ensureRedis() {
  return ensureSystemProgram({
    name: 'redis-server',
    package: 'redis-server',
    candidates: ['/usr/bin/redis-server', '/usr/local/bin/redis-server'],
    env: 'REDIS_SERVER_PATH',
  });
}

/** HAProxy, the load balancer in front of the cluster in the failover and browser tests. */
export function ensureHaproxy() {
  return ensureSystemProgram({
    name: 'haproxy',
    package: 'haproxy',
    candidates: ['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy'],
    env: 'HAPROXY_PATH',
  });
}
