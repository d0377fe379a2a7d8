// Runs one test suite as a child process, streaming its output, and turns the
// result into counts: checks count as one test; cargo and vitest report their own.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './run.mjs';

/**
 * `failures` names each failed test with the first line of its error; `flaky` names each test
 * that failed and then passed on its retry. The summary prints both, so a log that keeps only its
 * tail still says what broke.
 * @typedef {{ passed: number, failed: number, note?: string, failures?: string[], flaky?: string[] }} Counts
 */

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
  /** @typedef {{ status: string, fullName: string, failureMessages: string[] }} Assertion */
  /** @type {{ numPassedTests: number, numFailedTests: number, testResults: { name: string, status: string, message?: string, assertionResults: Assertion[] }[] }} */
  const report = JSON.parse(readFileSync(json, 'utf8'));
  // A file that fails before its tests run (import error) has no assertions: one failure each.
  const brokenFiles = report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0);
  const failed = report.numFailedTests + brokenFiles.length;
  /** @param {string | undefined} text */
  const firstLine = (text) => (text ?? '').split('\n').find((line) => line.trim() !== '') ?? '';
  /** @type {string[]} */
  const failures = [];
  /** @type {string[]} */
  const flaky = [];
  for (const file of report.testResults) {
    const where = path.relative(ROOT, file.name);
    if (file.status === 'failed' && file.assertionResults.length === 0) {
      failures.push(`${where}: ${firstLine(file.message)}`.slice(0, 300));
    }
    for (const test of file.assertionResults) {
      const line = `${where} > ${test.fullName}: ${firstLine(test.failureMessages[0])}`.slice(0, 300);
      if (test.status === 'failed') failures.push(line);
      else if (test.status === 'passed' && test.failureMessages.length > 0) flaky.push(line);
    }
  }
  return { passed: report.numPassedTests, failed: code !== 0 && failed === 0 ? 1 : failed, failures, flaky };
}
