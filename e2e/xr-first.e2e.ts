// [ROOM10] On a headset the room does not wait for the XR code: its signaling
// socket opens and its relay connects while the XR store's chunk is still on
// the wire (held here with a route until the test lets it through); the store
// is handed to the room when it arrives, and Enter VR works then.
import { expect, test } from 'vitest';
import { waitUntil, watchPage } from './harness/browser.ts';
import { builtFiles } from './harness/built-app.ts';
import { browserSuite } from './harness/suite.ts';

const suite = browserSuite();

test('[ROOM10] a headset page opens its signaling socket before the XR chunk has loaded; Enter VR works after', {
  timeout: 120_000,
}, async () => {
  // The XR store's chunk (app/xr/offer.ts imports app/xr/xr-store.ts when the browser offers XR).
  const xrChunks = builtFiles(/^app\/xr\/xr-store\.ts$/);
  expect(xrChunks).toHaveLength(1);
  const xrChunk = xrChunks[0] as string;
  // No service worker: a precached chunk would be answered past the route.
  const context = await suite.context({ name: 'Early', blockServiceWorkers: true, headset: true });
  const page = await context.newPage();
  const watch = watchPage(page);
  let requestedAt: number | undefined;
  let letThrough = () => {};
  const held = new Promise<void>((resolve) => {
    letThrough = resolve;
  });
  await page.route(
    (url) => url.pathname === xrChunk,
    async (route) => {
      requestedAt ??= Date.now();
      await held;
      await route.continue();
    },
  );
  const started = Date.now();
  await page.goto(`${suite.server.url}/r/e2exrfirst${Date.now().toString(36)}`);
  // While the chunk is held: the room is open, its signaling socket and its relay are open.
  await waitUntil(
    () =>
      page.evaluate(() => {
        const timeline = window.__holoroom?.timeline;
        return timeline?.has('signaling_open') === true && timeline.has('relay_open');
      }),
    30_000,
    async () =>
      `XR chunk requested: ${requestedAt !== undefined}; timeline: ${JSON.stringify(
        await page.evaluate(() => window.__holoroom?.timeline.relative()),
      )}; ${watch.errors.join('; ')}`,
  );
  expect(requestedAt).toBeDefined();
  const phases = await page.evaluate(() => window.__holoroom?.timeline.relative());
  const sinceNavigation = await page.evaluate(() => window.__holoroom?.timeline.at('signaling_open'));
  // The room has no XR store yet, and the page offers no Enter VR button.
  expect(await page.evaluate(() => window.__holoroom?.xrStore === undefined)).toBe(true);
  expect(await page.getByRole('button', { name: 'Enter VR' }).count()).toBe(0);
  const heldMs = Date.now() - (requestedAt ?? started);
  console.info(
    `[ROOM10] XR chunk held ${heldMs} ms so far; from session start: signaling_open ${phases?.signaling_open?.toFixed(1)} ms, ` +
      `relay_open ${phases?.relay_open?.toFixed(1)} ms, config_loaded ${phases?.config_loaded?.toFixed(1)} ms; ` +
      `signaling_open ${sinceNavigation?.toFixed(1)} ms after navigation`,
  );

  letThrough();
  await waitUntil(
    () => page.evaluate(() => window.__holoroom?.xrStore !== undefined),
    30_000,
    () => `the XR store never reached the room; ${watch.errors.join('; ')}`,
  );
  await page.getByRole('button', { name: 'Enter VR' }).click();
  await waitUntil(
    // Software GL on a busy 2-core machine can render slowly: ask for frames, not a rate.
    () => page.evaluate(() => (window.__holoroom?.frameStats?.xrFrames ?? 0) > 20),
    60_000,
    async () =>
      `xrFrames=${await page.evaluate(() => window.__holoroom?.frameStats?.xrFrames)}; ` +
      `notice: ${await page.locator('.xr-buttons .error').allTextContents()}; ${watch.errors.join('; ')}`,
  );
  expect(await page.evaluate(() => window.__holoroom?.xrStore?.getState().mode)).toBe('immersive-vr');
  expect(await page.locator('.xr-buttons .error').count()).toBe(0);
});

test('[ROOM12] a headset page whose XR chunk fails to load has a working room and says VR could not load', {
  timeout: 120_000,
}, async () => {
  const [xrChunk] = builtFiles(/^app\/xr\/xr-store\.ts$/);
  const context = await suite.context({ name: 'NoXR', blockServiceWorkers: true, headset: true });
  const page = await context.newPage();
  await page.route(
    (url) => url.pathname === xrChunk,
    (route) => route.abort('failed'),
  );
  await page.goto(`${suite.server.url}/r/e2exrfailed${Date.now().toString(36)}`);
  // The panels come once the room is interactive (LOAD14); they say why there is no Enter VR.
  await page.getByTestId('xr-failure').waitFor({ timeout: 60_000 });
  expect(await page.getByRole('button', { name: 'Enter VR' }).count()).toBe(0);
  const state = await page.evaluate(() => ({
    relay: window.__holoroom?.timeline.has('relay_open'),
    server: window.__holoroom?.session.status.get().server,
    xrStore: window.__holoroom?.xrStore === undefined,
  }));
  expect(state).toEqual({ relay: true, server: 'synced', xrStore: true });
});

test('[ROOM13] the XR store arriving after the renderer drew the room keeps the drawn scene: the same objects, mounted once', {
  timeout: 120_000,
}, async () => {
  const [xrChunk] = builtFiles(/^app\/xr\/xr-store\.ts$/);
  const context = await suite.context({ name: 'Late', blockServiceWorkers: true, headset: true });
  const page = await context.newPage();
  const watch = watchPage(page);
  let letThrough = () => {};
  const held = new Promise<void>((resolve) => {
    letThrough = resolve;
  });
  await page.route(
    (url) => url.pathname === xrChunk,
    async (route) => {
      await held;
      await route.continue();
    },
  );
  await page.goto(`${suite.server.url}/r/e2exrlate${Date.now().toString(36)}`);
  // A slow link: the renderer has drawn the room's scene, in batches (DRAW2), before the XR code is in.
  await waitUntil(
    () =>
      page.evaluate(
        () => (window.__holoroom?.frameStats.batched ?? false) && (window.__holoroom?.sceneObjects.size ?? 0) > 0,
      ),
    60_000,
    () => `the room never drew its scene; ${watch.errors.join('; ')}`,
  );
  expect(await page.evaluate(() => window.__holoroom?.xrStore === undefined)).toBe(true);
  // Keep every drawn object, and count the objects the renderer registers anew for those ids (a mount does).
  const kept = await page.evaluate(() => {
    const room = window.__holoroom;
    if (!room) throw new Error('no room');
    const probe = window as unknown as { __drawn: Map<unknown, unknown>; __remounted: number };
    probe.__drawn = new Map(room.sceneObjects.ids().map((id) => [id, room.sceneObjects.get(id)]));
    probe.__remounted = 0;
    room.sceneObjects.subscribe((changed) => {
      for (const id of changed) {
        const object = room.sceneObjects.get(id);
        if (object && probe.__drawn.has(id) && object !== probe.__drawn.get(id)) probe.__remounted++;
      }
    });
    return probe.__drawn.size;
  });
  letThrough();
  await waitUntil(
    () => page.evaluate(() => window.__holoroom?.xrStore !== undefined),
    30_000,
    () => `the XR store never reached the room; ${watch.errors.join('; ')}`,
  );
  // The XR layer has mounted once Enter VR shows (LOAD4); then a few more frames.
  await page.getByRole('button', { name: 'Enter VR' }).waitFor({ timeout: 60_000 });
  const frames = await page.evaluate(() => window.__holoroom?.frameStats.frames ?? 0);
  // Input wakes the room (ROOM5): a frame drawn with the XR layer in the tree.
  await page.mouse.move(40, 40);
  await page.mouse.move(60, 50);
  await waitUntil(
    () => page.evaluate((n) => (window.__holoroom?.frameStats.frames ?? 0) > n, frames),
    30_000,
    () => 'no frame after the XR layer mounted',
  );
  const after = await page.evaluate(() => {
    const room = window.__holoroom;
    const probe = window as unknown as { __drawn: Map<unknown, unknown> };
    return [...probe.__drawn]
      .filter(([id, object]) => room?.sceneObjects.get(id as never) !== object)
      .map(([id]) => id);
  });
  expect(kept).toBeGreaterThan(0);
  // The same Object3D for every id: nothing of the scene was mounted again.
  expect(after).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __remounted: number }).__remounted)).toBe(0);
});
