#!/usr/bin/env node
// `npm run parse -- [--json] [--diagnostics] FILE...`: builds the wasm parser if
// needed (its output goes to stderr, so stdout stays one line per file), then
// runs tools/parse-cli.ts with the same arguments and exit status.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/run.mjs';

/** @param {string[]} args @param {string} cwd @returns {Promise<number>} */
function node(args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Runs the wasm build with its stdout sent to stderr. @returns {Promise<number>} */
function buildParser() {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', "await (await import('./scripts/lib/build.mjs')).buildWasm();"],
      { cwd: ROOT, stdio: ['ignore', process.stderr, 'inherit'] },
    );
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const built = await buildParser();
if (built !== 0 && !existsSync(path.join(ROOT, 'build', 'wasm', 'holoroom_parser.wasm'))) {
  console.error('parse: the wasm parser could not be built; see the messages above');
  process.exit(2);
}
// Runs where the command was typed, so file names print as given; tsx is
// resolved from this repository, not from that directory.
const tsx = import.meta.resolve('tsx');
const cwd = process.env.INIT_CWD ?? process.cwd();
const cli = path.join(ROOT, 'tools', 'parse-cli.ts');
process.exit(await node(['--import', tsx, cli, ...process.argv.slice(2)], cwd));
