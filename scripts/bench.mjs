#!/usr/bin/env node
// `npm run bench`: sets up and builds, then runs every bench/*.bench.ts in its own
// process, writes their metrics to bench/results/latest.json (flat
// "metric.name": number, this run's only) and each file's run to
// bench/results/runs/<name>.json (scripts/lib/bench-results.mjs), and prints a table.
//   npm run bench -- bundle parse   runs only benchmark files whose name contains a filter;
//                                   latest.json then holds their metrics alone, and the
//                                   other files' last figures stay in runs/ with their dates.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { writeBenchResults } from './lib/bench-results.mjs';
import { prepareOrExit } from './lib/prepare.mjs';
import { ROOT, step } from './lib/run.mjs';

const RESULT_PREFIX = 'BENCH_RESULT ';
const BENCH_TIMEOUT_MS = 15 * 60_000;

await prepareOrExit({ chromium: true, cluster: true });

const filters = process.argv.slice(2);
const files = readdirSync(path.join(ROOT, 'bench'))
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();

/** @param {string} file @returns {Promise<{ metrics: Record<string, number>, ok: boolean }>} */
function runOne(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/harness/run-one.ts', `bench/${file}`], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    /** @type {Record<string, number>} */
    let metrics = {};
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith(RESULT_PREFIX)) metrics = JSON.parse(line.slice(RESULT_PREFIX.length));
        else console.log(line);
        newline = buffer.indexOf('\n');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), BENCH_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ metrics, ok: code === 0 });
    });
  });
}

/** @type {import('./lib/bench-results.mjs').FileRun[]} */
const runs = [];
for (const file of files) {
  step(`benchmark: ${file}`);
  const { metrics, ok } = await runOne(file);
  runs.push({ file, ok, metrics });
}
const failures = runs.filter((run) => !run.ok).map((run) => run.file);
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
const { latest: sorted, earlier } = writeBenchResults(path.join(ROOT, 'bench', 'results'), runs, {
  ranAt: new Date().toISOString(),
  commit: commit || 'unknown',
});

const width = Math.max(10, ...Object.keys(sorted).map((k) => k.length));
console.log(`\n${'metric'.padEnd(width)}  value`);
console.log(`${'-'.repeat(width)}  ${'-'.repeat(12)}`);
for (const [name, value] of Object.entries(sorted)) {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(3);
  console.log(`${name.padEnd(width)}  ${shown}`);
}
console.log(`\nwrote bench/results/latest.json (${Object.keys(sorted).length} metrics, this run's only)`);
if (earlier.length) {
  console.log('not run now, their last figures stay in bench/results/runs/ (not in latest.json):');
  for (const record of earlier) {
    const count = Object.keys(record.metrics).length;
    console.log(
      `  ${record.file}: ${count} metrics from ${record.ranAt} at ${record.commit}${record.ok ? '' : ' (failed)'}`,
    );
  }
}
if (failures.length) {
  console.error(`failed: ${failures.join(', ')}`);
  process.exit(1);
}
