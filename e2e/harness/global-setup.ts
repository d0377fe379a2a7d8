// Builds once (skipped when fresh) and checks Chromium before any browser test.
import { buildAll } from '../../scripts/lib/build.mjs';
import { ensureChromium } from '../../scripts/lib/setup.mjs';

export default async function setup(): Promise<void> {
  await buildAll();
  process.env.CHROMIUM_PATH = await ensureChromium();
}
