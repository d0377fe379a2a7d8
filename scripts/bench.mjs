#!/usr/bin/env node
// `npm run bench`: sets up and builds, then runs every bench/*.bench.ts in its own
// process, merges their metrics into bench/results/latest.json (flat
// "metric.name": number) and prints a table.
//   npm run bench -- bundle parse   runs only benchmark files whose name contains a filter
//                                   (their metrics replace those of the last run; others are kept).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

const LATEST = path.join(ROOT, 'bench', 'results', 'latest.json');
/**
 * A filtered run updates its own metrics and keeps the others from the last run.
 * @type {Record<string, number>}
 */
const all = filters.length > 0 && existsSync(LATEST) ? JSON.parse(readFileSync(LATEST, 'utf8')) : {};
const failures = [];
for (const file of files) {
  step(`benchmark: ${file}`);
  const { metrics, ok } = await runOne(file);
  if (!ok) failures.push(file);
  Object.assign(all, metrics);
}

const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(LATEST, `${JSON.stringify(sorted, null, 2)}\n`);

const width = Math.max(10, ...Object.keys(sorted).map((k) => k.length));
console.log(`\n${'metric'.padEnd(width)}  value`);
console.log(`${'-'.repeat(width)}  ${'-'.repeat(12)}`);
for (const [name, value] of Object.entries(sorted)) {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(3);
  console.log(`${name.padEnd(width)}  ${shown}`);
}
console.log(`\nwrote bench/results/latest.json (${Object.keys(sorted).length} metrics)`);
if (failures.length) {
  console.error(`failed: ${failures.join(', ')}`);
  process.exit(1);
}
