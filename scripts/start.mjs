#!/usr/bin/env node
// `npm start`: installs what is missing, builds what is stale, then serves the app
// under a supervisor (scripts/lib/supervise.mjs, docs/security.md SEC5) that starts
// the server again within a second if it ever dies. Ctrl-C and SIGTERM stop both.
import path from 'node:path';
import { SERVER_OUT } from './lib/build.mjs';
import { prepareOrExit } from './lib/prepare.mjs';
import { ROOT } from './lib/run.mjs';
import { supervise } from './lib/supervise.mjs';

await prepareOrExit();
process.exit(await supervise([path.join(ROOT, SERVER_OUT)]));
