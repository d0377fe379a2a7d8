// The last line of defence (docs/security.md SEC5): runs the server as a child
// process and starts it again when it dies, within a second, saying so. What the
// server acknowledged is already on disk (RS10), so a restart loses nothing but
// the open sockets, which the clients reopen on their own.
//
//   node scripts/lib/supervise.mjs <node arguments...>   e.g. build/server/main.js
//
// SIGTERM and SIGINT go to the server, and the supervisor exits with the server's
// status once it has stopped. A server that exits with status 2 (a configuration
// error, a taken port) is not restarted: it would only fail again.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** First delay before a restart; doubles while the server keeps dying young, up to RESTART_MAX_MS. */
const RESTART_MIN_MS = 100;
const RESTART_MAX_MS = 1_000;
/** A server that ran this long counts as healthy: the next restart is fast again. */
const HEALTHY_AFTER_MS = 10_000;
/** Exit status the server uses for errors a restart cannot fix (server/main.ts). */
const EXIT_CONFIGURATION = 2;

/**
 * @param {string[]} nodeArgs  arguments for `node` (the entry and its flags)
 * @param {{ log?: (line: string) => void, env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<number>} the exit status to end with
 */
export function supervise(nodeArgs, options = {}) {
  const log = options.log ?? ((line) => console.error(`${new Date().toISOString()} warn  supervisor: ${line}`));
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  let stopping = false;
  let delay = RESTART_MIN_MS;
  let restarts = 0;

  return new Promise((resolve) => {
    const start = () => {
      const startedAt = Date.now();
      child = spawn(process.execPath, nodeArgs, { stdio: 'inherit', env: options.env ?? process.env });
      log(`server started (pid ${child.pid}${restarts > 0 ? `, restart ${restarts}` : ''})`);
      child.on('exit', (code, signal) => {
        if (stopping) {
          resolve(code ?? (signal ? 1 : 0));
          return;
        }
        if (code === 0 || code === EXIT_CONFIGURATION) {
          resolve(code);
          return;
        }
        if (Date.now() - startedAt >= HEALTHY_AFTER_MS) delay = RESTART_MIN_MS;
        restarts++;
        log(`server exited (${signal ? `signal ${signal}` : `status ${code}`}); restarting in ${delay} ms`);
        setTimeout(start, delay);
        delay = Math.min(RESTART_MAX_MS, delay * 2);
      });
    };
    /** @param {NodeJS.Signals} signal */
    const stop = (signal) => {
      if (stopping) return;
      stopping = true;
      child?.kill(signal);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    start();
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args.length === 0) {
    console.error('usage: node scripts/lib/supervise.mjs <node arguments...>');
    process.exit(2);
  }
  process.exit(await supervise(args));
}
