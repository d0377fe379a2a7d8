/**
 * Runs one benchmark module in this process: `node --import tsx bench/harness/run-one.ts bench/x.bench.ts`.
 * A benchmark module's default export returns flat metrics; they are printed
 * as one `BENCH_RESULT {...}` line for scripts/bench.mjs to collect.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark } from './types.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: run-one.ts bench/<name>.bench.ts');
const module = (await import(pathToFileURL(path.resolve(file)).href)) as { default: Benchmark };
const metrics = await module.default();
for (const [name, value] of Object.entries(metrics)) {
  if (!Number.isFinite(value)) throw new Error(`${file}: metric ${name} is not a finite number (${value})`);
}
console.log(`BENCH_RESULT ${JSON.stringify(metrics)}`);
process.exit(0);
