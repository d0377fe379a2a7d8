// Runs one test suite as a child process, streaming its output, and turns the
// result into counts: checks count as one test; cargo and vitest report their own.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './run.mjs';

/** @typedef {{ passed: number, failed: number, note?: string }} Counts */

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, timeoutMs: number }} opts
 * @returns {Promise<{ code: number, output: string }>}
 */
function runTee(cmd, args, opts) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    /** @param {Buffer} chunk */
    const onData = (chunk, /** @type {NodeJS.WriteStream} */ sink) => {
      output += chunk.toString();
      sink.write(chunk);
    };
    child.stdout.on('data', (chunk) => onData(chunk, process.stdout));
    child.stderr.on('data', (chunk) => onData(chunk, process.stderr));
    const timer = setTimeout(() => {
      output += `\n[killed after ${opts.timeoutMs / 1000} s]\n`;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (error) => {
      output += `\n${error.message}\n`;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

/**
 * A pass/fail check (formatter, linter, type-checker): one test.
 * @param {string} cmd @param {string[]} args @param {number} [timeoutMs]
 * @returns {Promise<Counts>}
 */
export async function runCheck(cmd, args, timeoutMs = 5 * 60_000) {
  const { code } = await runTee(cmd, args, { timeoutMs });
  return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

/**
 * `cargo test`: sums every "test result:" line.
 * @param {string} cargo @param {string[]} args @param {NodeJS.ProcessEnv} [env]
 * @returns {Promise<Counts>}
 */
export async function runCargoTest(cargo, args, env) {
  const { code, output } = await runTee(cargo, args, { env, timeoutMs: 15 * 60_000 });
  let passed = 0;
  let failed = 0;
  for (const match of output.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    passed += Number(match[1]);
    failed += Number(match[2]);
  }
  // A compile error or crash reports no results: count the suite as one failure.
  if (code !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}

/**
 * Vitest with its JSON reporter beside the default one.
 * @param {string} name @param {string} config @param {number} timeoutMs
 * @returns {Promise<Counts>}
 */
export async function runVitest(name, config, timeoutMs) {
  const outDir = path.join(ROOT, 'build', 'test-results');
  mkdirSync(outDir, { recursive: true });
  const json = path.join(outDir, `${name}.json`);
  rmSync(json, { force: true });
  const vitest = path.join(ROOT, 'node_modules', '.bin', 'vitest');
  const { code } = await runTee(
    vitest,
    ['run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`],
    { timeoutMs },
  );
  if (!existsSync(json)) return { passed: 0, failed: 1, note: 'vitest wrote no results' };
  /** @type {{ numPassedTests: number, numFailedTests: number, testResults: { status: string, assertionResults: unknown[] }[] }} */
  const report = JSON.parse(readFileSync(json, 'utf8'));
  // A file that fails before its tests run (import error) has no assertions: one failure each.
  const brokenFiles = report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  const failed = report.numFailedTests + brokenFiles;
  return { passed: report.numPassedTests, failed: code !== 0 && failed === 0 ? 1 : failed };
}
