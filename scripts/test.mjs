#!/usr/bin/env node
// `npm test`: sets everything up, runs every suite, and ends with one line
// `N passed, M failed` totalling all of them. Exit status is non-zero on any failure.
//   HOLOROOM_SUITES=unit,e2e npm test   runs only the named suites.
import path from 'node:path';
import { buildAll } from './lib/build.mjs';
import { ROOT, SetupError, step, which } from './lib/run.mjs';
import { ensureChromium, ensureNpmDependencies } from './lib/setup.mjs';
import { runCargoTest, runCheck, runVitest } from './lib/suites.mjs';

const BIN = path.join(ROOT, 'node_modules', '.bin');
// The type-checker is TypeScript 7 (native); `typescript` itself is 6.0, the library tools load.
const TSC = path.join(ROOT, 'node_modules', 'typescript-native', 'bin', 'tsc');
const cargo = which('cargo') ?? which('/usr/bin/cargo') ?? 'cargo';

/** @type {{ name: string, run: () => Promise<import('./lib/suites.mjs').Counts> }[]} */
const SUITES = [
  { name: 'format', run: () => runCheck(path.join(BIN, 'biome'), ['format', '.']) },
  { name: 'lint', run: () => runCheck(path.join(BIN, 'biome'), ['lint', '.']) },
  { name: 'types', run: () => runCheck(TSC, ['-p', '.']) },
  { name: 'types-sw', run: () => runCheck(TSC, ['-p', 'service-worker']) },
  // Which folder may import which (docs/architecture.md, "Dependency rules").
  {
    name: 'deps',
    run: () =>
      runCheck(path.join(BIN, 'depcruise'), ['app', 'server', 'service-worker', 'testing', 'tools', 'e2e', 'bench']),
  },
  // Files, exports and dependencies nothing uses.
  { name: 'unused', run: () => runCheck(path.join(BIN, 'knip'), ['--no-progress']) },
  { name: 'rustfmt', run: () => runCheck(cargo, ['fmt', '--all', '--check']) },
  { name: 'clippy', run: () => runCheck(cargo, ['clippy', '--all-targets', '--locked', '--', '-D', 'warnings']) },
  { name: 'cargo', run: () => runCargoTest(cargo, ['test', '--locked']) },
  { name: 'unit', run: () => runVitest('unit', 'vitest.config.ts', 15 * 60_000) },
  {
    name: 'e2e',
    run: async () => {
      process.env.CHROMIUM_PATH = await ensureChromium();
      return runVitest('e2e', 'e2e/vitest.config.ts', 45 * 60_000);
    },
  },
];

const only = process.env.HOLOROOM_SUITES?.split(',').map((s) => s.trim());
const started = Date.now();
/** @type {(import("./lib/suites.mjs").Counts & { name: string, seconds: number })[]} */
const results = [];

try {
  await ensureNpmDependencies();
  await buildAll();
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(`\n${error.message}`);
  results.push({ name: 'setup', passed: 0, failed: 1, seconds: 0, note: 'setup failed' });
}

if (results.length === 0) {
  for (const suite of SUITES) {
    if (only && !only.includes(suite.name)) continue;
    step(`suite: ${suite.name}`);
    const t0 = Date.now();
    let counts;
    try {
      counts = await suite.run();
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      counts = { passed: 0, failed: 1, note: 'could not run' };
    }
    results.push({ name: suite.name, ...counts, seconds: Math.round((Date.now() - t0) / 1000) });
  }
}

console.log('\n== summary');
for (const r of results) {
  const note = r.note ? `  (${r.note})` : '';
  console.log(
    `${r.failed ? 'FAIL' : 'ok  '} ${r.name.padEnd(8)} ${r.passed} passed, ${r.failed} failed, ${r.seconds}s${note}`,
  );
  for (const line of r.failures ?? []) console.log(`     failed: ${line}`);
  for (const line of r.flaky ?? []) console.log(`     passed on retry: ${line}`);
}
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
console.log(`total time ${Math.round((Date.now() - started) / 1000)}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
