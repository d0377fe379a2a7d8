// [ACC4] [LOOK1] [LOOK2] Every screen at the layout test's viewports (phone
// portrait 320 and 390 wide, phone landscape, small laptop, laptop): the start
// page, a room, a room whose script has an error, and that room with the
// editor open. Each passes axe-core with no serious or critical violation and
// looks like its committed reference image in e2e/reference-screens/ (within
// MAX_DIFFERING pixels). `npm run screenshots` writes those references and the
// README's images of a room (docs/images/room-phone.png, room-laptop.png)
// instead of comparing.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { EDITOR_INPUT } from './editor-helpers.ts';
import { accessibilityViolations } from './harness/axe.ts';
import { waitUntil, watchPage } from './harness/browser.ts';
import { MAX_DIFFERING, matchReference, updatingReferences, writeDocImage } from './harness/reference-images.ts';
import { browserSuite } from './harness/suite.ts';
import { settle, VIEWPORTS } from './layout-helpers.ts';
import { waitForFrames } from './pwa-helpers.ts';
import { waitForPanels, waitForScene } from './scene-helpers.ts';

const suite = browserSuite();

/** One room id for every run, so the screens show the same text each time (the server starts empty). */
const ROOM_ID = 'reference-room';

/**
 * What moves between runs is left out of the comparison (LOOK2): the 3D view
 * (software GL draws the animated scene at whatever frame the screenshot
 * meets) is hidden, so the panels are compared against the page's background.
 */
const HIDE_MOVING = '.scene canvas { visibility: hidden !important; }';

async function checkScreen(page: Page, what: string, file: string): Promise<void> {
  await settle(page);
  expect(await accessibilityViolations(page), `${what}: serious or critical accessibility violations`).toEqual([]);
  const png = await page.screenshot({ animations: 'disabled', caret: 'hide', style: HIDE_MOVING });
  expect(matchReference(png, `${file}.png`), `${what}: pixels that differ from its reference`).toBeLessThanOrEqual(
    MAX_DIFFERING,
  );
}

/** The menu toggle shows only on narrow or short screens (LAYOUT2). */
async function openEditor(page: Page): Promise<void> {
  if (await page.getByTestId('menu-toggle').isVisible()) await page.getByTestId('menu-toggle').click();
  await page.getByTestId('script-open').click();
  await page.locator(`.script-panel ${EDITOR_INPUT}`).waitFor({ timeout: 20_000 });
  // Focus stays where the click left it; the editor's own focus ring is not part of the look.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

/** The README's pictures of a room, with its 3D view, at a phone's and a laptop's size. */
async function writeReadmeImages(page: Page): Promise<void> {
  for (const [viewport, name] of [
    [{ width: 390, height: 844 }, 'room-phone.png'],
    [{ width: 1280, height: 800 }, 'room-laptop.png'],
  ] as const) {
    await page.setViewportSize(viewport);
    const drawn = await page.evaluate(() => window.__holoroom?.frameStats?.frames ?? 0);
    await waitForFrames(page, drawn + 10);
    writeDocImage(await page.screenshot({ animations: 'disabled', caret: 'hide' }), name);
  }
}

test('[ACC4] [LOOK1] [LOOK2] every screen passes axe-core and matches its reference image', async () => {
  const context = await suite.context({ name: 'Ada', color: '#4d96ff' });
  const page = await context.newPage();
  const watch = watchPage(page);

  await page.goto(`${suite.server.url}/`);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await checkScreen(page, `start page at ${viewport.name}`, `start-${viewport.name}`);
  }

  await page.goto(`${suite.server.url}/r/${ROOM_ID}`);
  await waitForScene(page, (info) => info.title === 'Lobby' && info.drawn > 0, 60_000);
  await waitForPanels(page);
  await waitUntil(
    async () => (await page.getByTestId('connection').getAttribute('data-state')) === 'connected',
    20_000,
    () => 'not connected',
  );
  if (updatingReferences) await writeReadmeImages(page);
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await checkScreen(page, `room at ${viewport.name}`, `room-${viewport.name}`);
  }

  await page.evaluate(() => {
    const room = window.__holoroom?.session?.room;
    if (!room) throw new Error('no room');
    room.editScript(room.scriptLength, 0, '\nobject "Broken" {\n  color: \n');
  });
  await waitForScene(page, (info) => info.errors > 0);
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await checkScreen(page, `room with an error at ${viewport.name}`, `error-${viewport.name}`);
    await openEditor(page);
    await checkScreen(page, `editor open at ${viewport.name}`, `editor-${viewport.name}`);
    await page.getByTestId('script-close').click();
    await page.getByTestId('script-panel').waitFor({ state: 'detached' });
  }
  expect(watch.errors).toEqual([]);
}, 300_000);
