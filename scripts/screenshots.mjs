#!/usr/bin/env node
// `npm run screenshots`: after a change meant to alter how a screen looks, rewrites
// the reference images the browser tests compare with (e2e/reference-screens/) and
// the README's pictures of a room (docs/images/), by running e2e/screens.e2e.ts in
// its writing mode (docs/ui.md, LOOK1). Review the new images in the diff, then commit them.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { prepareOrExit } from './lib/prepare.mjs';
import { ROOT, step } from './lib/run.mjs';

await prepareOrExit({ chromium: true });
step('screenshots: writing e2e/reference-screens/ and docs/images/');
const vitest = path.join(ROOT, 'node_modules', '.bin', 'vitest');
const child = spawn(vitest, ['run', '-c', 'e2e/vitest.config.ts', '--retry', '0', 'e2e/screens.e2e.ts'], {
  cwd: ROOT,
  env: { ...process.env, HOLOROOM_SCREENSHOTS: 'update' },
  stdio: 'inherit',
});
child.on('close', (code) => process.exit(code ?? 1));
