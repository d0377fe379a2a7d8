// [LAYOUT1-LAYOUT5] Every screen at phone portrait (320 and 390 wide), phone
// landscape, a small laptop and a laptop: the start page, a room, a room with its
// menu open, a room whose script has an error, and that room with the editor open
// on a line longer than the screen. At each, no two visible controls or panels
// intersect and none leaves the viewport (measured from their bounding boxes in
// real Chromium); screenshots go to e2e/artifacts/layout-*.png.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { EDITOR_GUTTER_CELL, EDITOR_INPUT, EDITOR_SCROLLER } from './editor-helpers.ts';
import { saveScreenshot, waitUntil, watchPage } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';
import { type LayoutReport, measureLayout, settle, VIEWPORTS } from './layout-helpers.ts';
import { testRoomId } from './pwa-helpers.ts';
import { waitForPanels, waitForScene } from './scene-helpers.ts';

const suite = browserSuite();

function expectClean(report: LayoutReport, what: string): void {
  expect(report.overlaps, `${what}: overlapping boxes`).toEqual([]);
  expect(report.outside, `${what}: boxes outside the viewport`).toEqual([]);
  expect(report.pageScrollX, `${what}: the page scrolls sideways`).toBe(0);
  expect(report.boxes.length, `${what}: nothing measured`).toBeGreaterThan(3);
}

async function check(page: Page, what: string, file: string): Promise<LayoutReport> {
  await settle(page);
  const report = await measureLayout(page);
  await saveScreenshot(page, `layout-${file}.png`);
  expectClean(report, what);
  return report;
}

/** The menu toggle shows only on narrow or short screens (LAYOUT2). */
async function compact(page: Page): Promise<boolean> {
  return page.getByTestId('menu-toggle').isVisible();
}

async function openEditor(page: Page): Promise<void> {
  if (await compact(page)) await page.getByTestId('menu-toggle').click();
  await page.getByTestId('script-open').click();
  await page.locator(`.script-panel ${EDITOR_INPUT}`).waitFor({ timeout: 20_000 });
  await page.locator(`.script-panel ${EDITOR_GUTTER_CELL}`).first().waitFor({ timeout: 5_000 });
}

/** Scrolls the editor to the end of its long first line; the panel, the page and the line numbers stay put. */
async function scrollLongLine(page: Page) {
  return page.evaluate(
    async ([scrollerSelector, gutterSelector]) => {
      const panel = document.querySelector('.script-panel') as HTMLElement;
      const host = panel.querySelector('.script-host') as HTMLElement;
      const scroller = panel.querySelector(scrollerSelector) as HTMLElement;
      const gutters = panel.querySelector(gutterSelector) as HTMLElement;
      const before = panel.getBoundingClientRect();
      scroller.scrollLeft = scroller.scrollWidth;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const after = panel.getBoundingClientRect();
      const gutter = gutters.getBoundingClientRect();
      const box = scroller.getBoundingClientRect();
      const result = {
        overflows: scroller.scrollWidth > scroller.clientWidth + 20,
        scrolled: scroller.scrollLeft > 0,
        panelMoved: before.left !== after.left || before.width !== after.width,
        gutterAtLeftEdge: Math.abs(gutter.left - box.left) < 1,
        gutterShown: gutter.width > 10 && gutter.right <= after.right,
        otherScroll: host.scrollLeft + panel.scrollLeft + (document.scrollingElement?.scrollLeft ?? 0),
      };
      scroller.scrollLeft = 0;
      return result;
    },
    [EDITOR_SCROLLER, EDITOR_GUTTER_CELL] as const,
  );
}

test('[LAYOUT1] [LAYOUT2] [LAYOUT3] [LAYOUT4] [LAYOUT5] no control overlaps another or leaves the screen, from 320 px up, portrait and landscape', async () => {
  const context = await suite.context({ name: 'Measurer' });
  const page = await context.newPage();
  const watch = watchPage(page);

  await page.goto(`${suite.server.url}/`);
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await check(page, `start page at ${viewport.name}`, `start-${viewport.name}`);
  }

  await page.goto(`${suite.server.url}/r/${testRoomId('e2elayout')}`);
  await waitForScene(page, (info) => info.title === 'Lobby' && info.drawn > 0, 60_000);
  await waitForPanels(page);
  await waitUntil(
    async () => (await page.getByTestId('connection').getAttribute('data-state')) === 'connected',
    20_000,
    () => 'not connected',
  );

  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await settle(page);
    // The 3D view keeps the whole screen; panels sit over it.
    const canvas = await page.getByTestId('scene').boundingBox();
    expect(canvas).toEqual({ x: 0, y: 0, width: viewport.width, height: viewport.height });
    await check(page, `room at ${viewport.name}`, `room-${viewport.name}`);
    if (await compact(page)) {
      // LAYOUT2: the tools are folded away until the menu opens, then they take a row of the bar.
      expect(await page.getByTestId('script-open').isVisible()).toBe(false);
      await page.getByTestId('menu-toggle').click();
      expect(await page.getByTestId('script-open').isVisible()).toBe(true);
      await check(page, `room with its menu open at ${viewport.name}`, `menu-${viewport.name}`);
      await page.getByTestId('scene-picker').click();
      await check(page, `the scene list at ${viewport.name}`, `scenes-${viewport.name}`);
      await page.getByTestId('scene-picker').click();
      await page.getByTestId('menu-toggle').click();
    } else {
      expect(await page.getByTestId('script-open').isVisible()).toBe(true);
    }
  }

  // A room with an error, and a first line much wider than any screen.
  await page.evaluate(() => {
    const room = window.__holoroom?.session?.room;
    if (!room) throw new Error('no room');
    room.editScript(0, 0, `// ${'a long line that never wraps '.repeat(12)}\n`);
    room.editScript(room.scriptLength, 0, '\nobject "Broken" {\n  color: \n');
  });
  await waitForScene(page, (info) => info.errors > 0);

  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await settle(page);
    expect(await page.locator('[data-alert="errors"]').isVisible()).toBe(true);
    await check(page, `room with an error at ${viewport.name}`, `error-${viewport.name}`);

    await openEditor(page);
    await check(page, `editor open at ${viewport.name}`, `editor-${viewport.name}`);
    expect(await page.locator('[data-alert="errors"]').isVisible()).toBe(true);
    // LAYOUT3: the long line scrolls inside the editor; the line numbers stay in view.
    expect(await scrollLongLine(page)).toEqual({
      overflows: true,
      scrolled: true,
      panelMoved: false,
      gutterAtLeftEdge: true,
      gutterShown: true,
      otherScroll: 0,
    });
    await page.getByTestId('script-close').click();
    await page.getByTestId('script-panel').waitFor({ state: 'detached' });
  }
  expect(watch.errors).toEqual([]);
}, 240_000);

/** How each row of the people panel is laid out: its name, and how many lines each of its parts takes. */
function peopleRows(page: Page) {
  return page.locator('[data-testid="presence-list"] li').evaluateAll((items) => {
    /** The lines an element's text takes: distinct tops of its text's boxes. */
    const linesOf = (element: Element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    };
    return items.map((item) => {
      const name = item.querySelector<HTMLElement>('[data-testid="peer-name"]');
      const row = item.getBoundingClientRect();
      const panel = item.closest('.room-side')?.getBoundingClientRect();
      return {
        who: item.getAttribute('data-peer-name'),
        text: name?.textContent,
        title: name?.title,
        nameLines: name ? linesOf(name) : undefined,
        nameWidth: name?.getBoundingClientRect().width ?? 0,
        nameBesideSwatch: (() => {
          const swatch = item.querySelector('.swatch')?.getBoundingClientRect();
          const box = name?.getBoundingClientRect();
          return !!swatch && !!box && Math.abs(swatch.top + swatch.height / 2 - (box.top + box.height / 2)) < 4;
        })(),
        cut: name ? name.scrollWidth > name.clientWidth && getComputedStyle(name).textOverflow === 'ellipsis' : false,
        partsOnMoreThanOneLine: [...item.children]
          .filter((part) => part.textContent && linesOf(part) > 1)
          .map((part) => `${part.tagName} "${part.textContent}"`),
        insidePanel: panel !== undefined && row.left >= panel.left && row.right <= panel.right + 0.5,
      };
    });
  });
}

test('[ROOM9] at 800x450 a long name in the people panel is one line cut with an ellipsis, the whole name in its title', async () => {
  // MAX_NAME_LENGTH (32) characters: the longest name a person can have (cleanName).
  const LONG_NAME = 'Maximilian Featherstonehaugh-Lee';
  const roomUrl = `${suite.server.url}/r/${testRoomId('e2epeople')}?seed=off`;
  const measurer = await (await suite.context({ name: 'Measurer' })).newPage();
  const other = await (await suite.context({ name: LONG_NAME })).newPage();
  const watch = watchPage(measurer);
  await measurer.setViewportSize({ width: 800, height: 450 });
  await Promise.all([measurer.goto(roomUrl), other.goto(roomUrl)]);
  await waitForPanels(measurer);
  await waitUntil(
    async () => (await peopleRows(measurer)).some((row) => row.who === LONG_NAME),
    30_000,
    async () => `the panel lists ${JSON.stringify(await peopleRows(measurer))}`,
  );
  await settle(measurer);
  await saveScreenshot(measurer, 'layout-people-800x450-row.png');
  const row = (await peopleRows(measurer)).find((each) => each.who === LONG_NAME);
  expect(row).toMatchObject({
    text: LONG_NAME,
    title: LONG_NAME,
    nameLines: 1,
    nameBesideSwatch: true,
    cut: true,
    partsOnMoreThanOneLine: [],
    insidePanel: true,
  });
  // The name keeps room enough to be read, whatever sits beside it.
  expect(row?.nameWidth).toBeGreaterThanOrEqual(48);
  await check(measurer, 'room with a long name at 800x450', 'people-800x450');
  expect(watch.errors).toEqual([]);
}, 120_000);
