// [ROOM5] Render on demand in real Chromium: a still room draws no frames; the
// person's input, a peer's document change (from a Node client over the real
// server's /sync), the drawn tree changing (R3F's invalidation) and a resize
// each wake it; an animated object keeps it drawing. Frames are counted with
// the room's own counters (window.__holoroom.frameStats, renderDemand).
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { ObjectId } from '../app/core/ids.ts';
import type { WakeReason } from '../app/room/render-demand.ts';
import { connectTestClient } from '../server/test/sync-client.ts';
import { waitUntil, watchPage } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';

const suite = browserSuite();

/** A page drawing WebGL in software on a shared machine can take this long to settle. */
const SLOW_PAGE_MS = 60_000;
/** How long a still room is watched for frames. */
const STILL_MS = 2000;

const frames = (page: Page) => page.evaluate(() => window.__holoroom?.frameStats.frames ?? 0);
const wakes = (page: Page, reason: WakeReason) =>
  page.evaluate((r) => window.__holoroom?.renderDemand.counts[r] ?? 0, reason);

/** Waits until the page has drawn nothing for STILL_MS (bounded), and returns its frame count. */
async function untilStill(page: Page): Promise<number> {
  let last = -1;
  let since = Date.now();
  await waitUntil(
    async () => {
      const now = await frames(page);
      if (now !== last) {
        last = now;
        since = Date.now();
      }
      return Date.now() - since >= STILL_MS;
    },
    SLOW_PAGE_MS,
    async () =>
      `still drawing: frames ${last}, wakes ${JSON.stringify(await page.evaluate(() => window.__holoroom?.renderDemand.counts))}`,
  );
  return last;
}

async function drawsAgain(page: Page, before: number, what: string): Promise<void> {
  await waitUntil(
    async () => (await frames(page)) > before,
    SLOW_PAGE_MS,
    () => `no frame after ${what}`,
  );
}

test('[ROOM5] a still room draws nothing; input, a peer’s edit, a resize each wake it; an animation keeps it drawing', {
  timeout: 240_000,
}, async () => {
  const name = `e2edemand${Date.now().toString(36)}`;
  const context = await suite.context({ name: 'Still' });
  const page = await context.newPage();
  await page.setViewportSize({ width: 480, height: 360 });
  const watch = watchPage(page);
  await page.goto(`${suite.server.url}/r/${name}?seed=off`);
  await waitUntil(
    async () => (await frames(page)) > 0,
    SLOW_PAGE_MS,
    () => `no first frame; ${watch.errors}`,
  );

  // Still: no frame for STILL_MS, while display frames keep coming (and are counted as idle).
  let still = await untilStill(page);
  const idle = await page.evaluate(() => window.__holoroom?.renderDemand.idleFrames ?? 0);
  expect(idle).toBeGreaterThan(0);

  // The person's input.
  const box = await page.getByTestId('scene').boundingBox();
  if (!box) throw new Error('no canvas');
  const inputWakes = await wakes(page, 'input');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2 + 20, box.y + box.height / 2);
  await drawsAgain(page, still, 'a pointer move');
  expect(await wakes(page, 'input')).toBeGreaterThan(inputWakes);
  still = await untilStill(page);

  // A peer's edit through the server: the document update wakes the page, and the new mesh
  // (R3F's invalidation) keeps it drawing until the object is drawn.
  const documentWakes = await wakes(page, 'document');
  const renderWakes = await wakes(page, 'render');
  const peer = connectTestClient(suite.server.url, name);
  try {
    await peer.synced();
    peer.doc.getText('script').insert(0, 'object "Lamp" { geometry: "box", position: [0, 1, -2] }\n');
    await drawsAgain(page, still, 'a peer’s edit');
    await waitUntil(
      () => page.evaluate(() => window.__holoroom?.sceneObjects?.get('Lamp' as ObjectId) !== undefined),
      SLOW_PAGE_MS,
      () => 'the lamp is not drawn',
    );
    expect(await wakes(page, 'document')).toBeGreaterThan(documentWakes);
    expect(await wakes(page, 'render')).toBeGreaterThan(renderWakes);
    still = await untilStill(page);

    // A resize.
    const resizeWakes = await wakes(page, 'resize');
    await page.setViewportSize({ width: 400, height: 320 });
    await drawsAgain(page, still, 'a resize');
    expect(await wakes(page, 'resize')).toBeGreaterThan(resizeWakes);
    still = await untilStill(page);

    // An animated object draws every frame while it is there.
    peer.doc.getText('script').insert(0, 'object "Spinner" @animated(type: "spin", speed: 20) { geometry: "box" }\n');
    await waitUntil(
      async () => (await wakes(page, 'animation')) > 10,
      SLOW_PAGE_MS,
      () => 'not animating',
    );
    const animating = await frames(page);
    await waitUntil(
      async () => (await frames(page)) >= animating + 5,
      SLOW_PAGE_MS,
      () => 'an animated room stopped drawing',
    );
  } finally {
    peer.destroy();
  }
});
