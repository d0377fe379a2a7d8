#!/usr/bin/env node
// `npm run build`: installs what is missing and builds everything that is stale.
import { buildAll } from './lib/build.mjs';
import { SetupError } from './lib/run.mjs';
import { ensureNpmDependencies } from './lib/setup.mjs';

try {
  await ensureNpmDependencies();
  await buildAll();
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(`\n${error.message}`);
  process.exit(1);
}
