#!/usr/bin/env node
import path from 'node:path';
// `npm start`: installs what is missing, builds what is stale, then serves the app
// in this same process (so Ctrl-C and SIGTERM reach the server directly).
import { pathToFileURL } from 'node:url';
import { buildAll, SERVER_OUT } from './lib/build.mjs';
import { ROOT, SetupError } from './lib/run.mjs';
import { ensureNpmDependencies } from './lib/setup.mjs';

try {
  await ensureNpmDependencies();
  await buildAll();
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(`\n${error.message}`);
  process.exit(1);
}
await import(pathToFileURL(path.join(ROOT, SERVER_OUT)).href);
