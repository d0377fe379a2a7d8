// The setup every command starts with: npm dependencies, the three builds, and
// (for browser work) Chromium. A SetupError ends the command with its message.
import { buildAll } from './build.mjs';
import { SetupError } from './run.mjs';
import { ensureChromium, ensureHaproxy, ensureNpmDependencies, ensureRedis } from './setup.mjs';

/**
 * Installs what is missing and builds what is stale; with `chromium`, also
 * finds or installs Chromium and sets CHROMIUM_PATH. On a SetupError, prints
 * what to do and exits with status 1.
 * With `cluster`, also Redis and HAProxy (REDIS_SERVER_PATH, HAPROXY_PATH).
 * @param {{ chromium?: boolean, cluster?: boolean }} [options]
 */
export async function prepareOrExit(options = {}) {
  try {
    await ensureNpmDependencies();
    await buildAll();
    if (options.chromium) process.env.CHROMIUM_PATH = await ensureChromium();
    if (options.cluster) {
      process.env.REDIS_SERVER_PATH = await ensureRedis();
      process.env.HAPROXY_PATH = await ensureHaproxy();
    }
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    console.error(`\n${error.message}`);
    process.exit(1);
  }
}
