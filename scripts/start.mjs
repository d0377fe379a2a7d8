#!/usr/bin/env node
// `npm start`: installs what is missing, builds what is stale, then serves the app
// in this same process (so Ctrl-C and SIGTERM reach the server directly).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_OUT } from './lib/build.mjs';
import { prepareOrExit } from './lib/prepare.mjs';
import { ROOT } from './lib/run.mjs';

await prepareOrExit();
await import(pathToFileURL(path.join(ROOT, SERVER_OUT)).href);
