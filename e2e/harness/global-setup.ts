// Builds once (skipped when fresh) and checks Chromium (and, for the cluster
// test, Redis and HAProxy) before any browser test.
import { buildAll } from '../../scripts/lib/build.mjs';
import { ensureChromium, ensureHaproxy, ensureRedis } from '../../scripts/lib/setup.mjs';

export default async function setup(): Promise<void> {
  await buildAll();
  process.env.CHROMIUM_PATH = await ensureChromium();
  process.env.REDIS_SERVER_PATH = await ensureRedis();
  process.env.HAPROXY_PATH = await ensureHaproxy();
}
