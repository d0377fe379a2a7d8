// Process helpers for the setup, build and test scripts. Node built-ins only:
// these run before `npm ci` has installed anything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A setup step that cannot continue; `message` says what the person should do. */
export class SetupError extends Error {
  /** @override */
  name = 'SetupError';
}

/**
 * Runs a command with inherited output and resolves to its exit code.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number, quiet?: boolean }} [opts]
 * @returns {Promise<number>}
 */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? process.env,
      stdio: opts.quiet ? 'ignore' : 'inherit',
    });
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    if (opts.timeoutMs) {
      timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    }
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/**
 * Runs a command and captures its output; never throws.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, timeoutMs?: number }} [opts]
 */
export function capture(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, {
    cwd: ROOT,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
  });
  return {
    ok: result.status === 0,
    status: result.status ?? -1,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
  };
}

/**
 * Finds an executable on PATH (or checks an absolute path).
 * @param {string} name
 * @returns {string | undefined}
 */
export function which(name) {
  if (path.isAbsolute(name)) return existsSync(name) ? name : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** True when this process may install system packages with apt-get. */
export function canAptInstall() {
  return process.getuid?.() === 0 && which('apt-get') !== undefined;
}

/**
 * Installs Debian packages (root only). Resolves to true on success.
 * @param {string[]} packages
 */
export async function aptInstall(packages) {
  console.log(`setup: installing Debian packages: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if ((await run('apt-get', ['update', '-qq'], { env })) !== 0) return false;
  return (await run('apt-get', ['install', '-y', '-qq', ...packages], { env })) === 0;
}

/** @param {string} message */
export function step(message) {
  console.log(`\n== ${message}`);
}
