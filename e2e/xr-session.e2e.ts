import { expect, test } from 'vitest';
import { waitUntil, watchPage } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';

const suite = browserSuite();

test('Enter VR starts an emulated XR session whose frames render', { timeout: 120_000 }, async () => {
  const context = await suite.context({ name: 'Diver' });
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(`${suite.server.url}/r/e2exr${Date.now().toString(36)}?xr-emulate=quest3`);
  await page.getByRole('button', { name: 'Enter VR' }).click();
  await waitUntil(
    // Software GL on a busy 2-core machine can render slowly: ask for frames, not a rate.
    () => page.evaluate(() => (window.__holoroom?.frameStats?.xrFrames ?? 0) > 20),
    60_000,
    async () =>
      `xrFrames=${await page.evaluate(() => window.__holoroom?.frameStats?.xrFrames)}; ${watch.errors.join('; ')}`,
  );
  const mode = await page.evaluate(() => window.__holoroom?.xrStore?.getState().mode);
  expect(mode).toBe('immersive-vr');
  // Presence tells the others this person is in VR.
  const inXR = await page.evaluate(() => {
    const awareness = window.__holoroom?.session?.awareness;
    return (awareness?.getLocalState() as { user?: { inXR?: boolean } } | null)?.user?.inXR;
  });
  expect(inXR).toBe(true);
  await context.close();
});
