// [ACC1-ACC3] Every control of the start page and of a room, at phone width
// and on a laptop: each has an accessible name, is at least 44x44 px, is
// reached by Tab in turn, and shows a visible focus ring when it is.
// [ACC5] [ACC6] The 3D view's objects are reached with Tab, named in a live
// region, marked in the view, and Enter clicks one for everyone in the room.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { EDITOR_INPUT, EDITOR_ROOT } from './editor-helpers.ts';
import { waitUntil } from './harness/browser.ts';
import { differingPixels } from './harness/reference-images.ts';
import { browserSuite } from './harness/suite.ts';
import { settle } from './layout-helpers.ts';
import { testRoomId, waitForFrames } from './pwa-helpers.ts';
import { waitForPanels, waitForScene } from './scene-helpers.ts';

const suite = browserSuite();
const MIN_TARGET_PX = 44;

interface Control {
  index: number;
  name: string;
  describe: string;
  width: number;
  height: number;
}

/** Marks every visible, enabled, focusable control with `data-acc` and returns its name and size. */
function listControls(page: Page): Promise<Control[]> {
  return page.evaluate(() => {
    const focusable =
      'button, a[href], input, select, textarea, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';
    const nameOf = (element: HTMLElement): string => {
      const labelled = element.getAttribute('aria-labelledby');
      if (labelled)
        return labelled
          .split(' ')
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' ');
      const aria = element.getAttribute('aria-label');
      if (aria) return aria;
      if (element.id) {
        const label = document.querySelector(`label[for="${CSS.escape(element.id)}"]`);
        if (label?.textContent) return label.textContent;
      }
      const wrapping = element.closest('label');
      if (wrapping?.textContent) return wrapping.textContent;
      if (element.tagName === 'INPUT' || element.isContentEditable) return element.getAttribute('title') ?? '';
      return element.textContent || element.getAttribute('title') || '';
    };
    const controls: { index: number; name: string; describe: string; width: number; height: number }[] = [];
    for (const element of document.querySelectorAll<HTMLElement>(focusable)) {
      element.removeAttribute('data-acc');
      if ((element as HTMLButtonElement).disabled) continue;
      const rect = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      if (rect.width < 1 || rect.height < 1 || style.visibility === 'hidden') continue;
      const index = controls.length;
      element.setAttribute('data-acc', String(index));
      controls.push({
        index,
        name: nameOf(element).trim().replace(/\s+/g, ' '),
        describe: `${element.tagName.toLowerCase()} "${(element.textContent ?? '').trim().slice(0, 30)}"`,
        width: rect.width,
        height: rect.height,
      });
    }
    return controls;
  });
}

/** Presses Tab until focus comes round again; returns the `data-acc` of each focused control and whether its ring showed. */
async function tabAround(page: Page, limit: number): Promise<{ reached: Set<number>; ringless: string[] }> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
  });
  const reached = new Set<number>();
  const ringless: string[] = [];
  let previous: string | null = null;
  for (let step = 0; step < limit; step++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate((editorRoot) => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return undefined;
      // The script editor draws its ring on the editor around its focused textarea.
      const ringOn = element.closest(editorRoot) ?? element;
      const style = getComputedStyle(ringOn);
      const ring = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2;
      return { acc: element.getAttribute('data-acc'), ring, tag: element.tagName };
    }, EDITOR_ROOT);
    if (!focused) continue;
    if (focused.acc === null) continue;
    // The 3D view keeps focus while Tab steps between its objects (ACC5).
    if (focused.acc === previous) continue;
    previous = focused.acc;
    const index = Number(focused.acc);
    if (reached.has(index)) break;
    reached.add(index);
    if (!focused.ring) ringless.push(`#${index} ${focused.tag}`);
  }
  return { reached, ringless };
}

async function checkScreen(page: Page, what: string, phone: boolean): Promise<void> {
  await settle(page);
  const controls = await listControls(page);
  expect(controls.length, `${what}: no controls`).toBeGreaterThan(2);
  const unnamed = controls.filter((c) => c.name === '').map((c) => c.describe);
  expect(unnamed, `${what}: controls without an accessible name`).toEqual([]);
  if (phone) {
    const small = controls
      .filter((c) => c.width < MIN_TARGET_PX - 0.5 || c.height < MIN_TARGET_PX - 0.5)
      .map((c) => `${c.describe} ${Math.round(c.width)}x${Math.round(c.height)}`);
    expect(small, `${what}: touch targets under 44 px`).toEqual([]);
  }
  const { reached, ringless } = await tabAround(page, controls.length * 2 + 10);
  const missed = controls.filter((c) => !reached.has(c.index)).map((c) => `${c.describe} (${c.name})`);
  expect(missed, `${what}: controls Tab never reaches`).toEqual([]);
  expect(ringless, `${what}: focus without a visible ring`).toEqual([]);
}

test('[ACC1] [ACC2] [ACC3] every control has a name, a 44 px target and a visible focus, and Tab reaches it', async () => {
  const context = await suite.context({ name: 'Keyboard' });
  const page = await context.newPage();
  const roomId = testRoomId('e2eaccess');
  // A visited room makes the start page's list (and its remove buttons) part of the check.
  await page.goto(`${suite.server.url}/r/${roomId}`);
  await waitForScene(page, (info) => info.title === 'Lobby', 60_000);

  for (const viewport of [
    { width: 390, height: 844, phone: true },
    { width: 1280, height: 800, phone: false },
  ]) {
    await page.setViewportSize(viewport);
    const at = `${viewport.width}x${viewport.height}`;
    await page.goto(`${suite.server.url}/`);
    await page.getByTestId('visited-rooms').waitFor();
    await checkScreen(page, `start page at ${at}`, viewport.phone);

    await page.goto(`${suite.server.url}/r/${roomId}`);
    await waitForScene(page, (info) => info.title === 'Lobby', 60_000);
    await waitForPanels(page);
    await checkScreen(page, `room at ${at}`, viewport.phone);
    if (await page.getByTestId('menu-toggle').isVisible()) {
      // The menu opens from the keyboard too.
      await page.getByTestId('menu-toggle').focus();
      await page.keyboard.press('Enter');
      await waitUntil(
        async () => (await page.getByTestId('menu-toggle').getAttribute('aria-expanded')) === 'true',
        5_000,
        () => 'the menu did not open with Enter',
      );
      await checkScreen(page, `room with its menu open at ${at}`, viewport.phone);
    }
    await page.getByTestId('script-open').focus();
    await page.keyboard.press('Enter');
    await page.locator(`.script-panel ${EDITOR_INPUT}`).waitFor({ timeout: 20_000 });
    await checkScreen(page, `room with the editor open at ${at}`, viewport.phone);
    await page.getByTestId('script-close').click();
  }
}, 240_000);

/** What the view's live region says (ACC6). */
async function spoken(page: Page): Promise<string> {
  return (await page.getByTestId('scene-focus').textContent()) ?? '';
}

/** A few drawn frames after a change, then the pixels around `id`'s origin on screen. */
async function around(page: Page, id: string): Promise<Buffer> {
  const drawn = await page.evaluate(() => window.__holoroom?.frameStats?.frames ?? 0);
  await waitForFrames(page, drawn + 3);
  const point = await page.evaluate((objectId) => window.__holoroom?.sceneObjects.screenPoint(objectId as never), id);
  if (!point) throw new Error(`${id} is not on screen`);
  return page.screenshot({ clip: { x: point.x - 40, y: point.y - 40, width: 80, height: 80 } });
}

/** The Counter's text as a page's scene draws it. */
function counterText(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const node = window.__holoroom?.scene.view.get().model?.byId.get('Counter' as never);
    return node?.kind === 'text' ? node.text.text : undefined;
  });
}

test("[ACC5] [ACC6] Tab moves through the 3D view's objects, the focused one is marked and named, Enter clicks it for everyone", async () => {
  const roomId = testRoomId('e2ekeys');
  const alice = await (await suite.context({ name: 'Alice' })).newPage();
  await alice.goto(`${suite.server.url}/r/${roomId}`);
  await waitForScene(alice, (info) => info.title === 'Lobby' && info.drawn > 0, 60_000);
  // Bob only runs the room (no drawing): he sees the click's effect through the room document.
  const bob = await (await suite.context({ name: 'Bob' })).newPage();
  await bob.goto(`${suite.server.url}/r/${roomId}?render=off`);
  await waitForScene(bob, (info) => info.title === 'Lobby', 60_000);
  await waitUntil(
    async () => (await counterText(bob)) === 'Hellos: 0',
    20_000,
    () => 'Bob has no counter',
  );

  const before = await around(alice, 'LampSwitch');
  // From the top of the page, the first Tab stop is the 3D view, and its first object takes focus.
  await alice.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await alice.keyboard.press('Tab');
  expect(await alice.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scene');
  await waitUntil(
    async () => (await spoken(alice)) === 'Lamp switch, button, Enter to click, 1 of 5',
    5_000,
    async () => `the live region says "${await spoken(alice)}"`,
  );
  // The focused object is marked in the view: it glows and grows.
  const focused = await around(alice, 'LampSwitch');
  expect(differingPixels(before, focused), 'pixels around the focused switch that changed').toBeGreaterThan(200);

  await alice.keyboard.press('Tab');
  await waitUntil(
    async () => (await spoken(alice)) === 'Say hello, button, Enter to click, 2 of 5',
    5_000,
    async () => `the live region says "${await spoken(alice)}"`,
  );
  await alice.keyboard.press('Enter');
  // The button's on_click ran (TRAIT3) and its change reached Bob through the room.
  await waitUntil(
    async () => (await counterText(alice)) === 'Hellos: 1',
    10_000,
    () => "Alice's counter",
  );
  await waitUntil(
    async () => (await counterText(bob)) === 'Hellos: 1',
    20_000,
    () => "Bob's counter",
  );

  // Past the last object (three blocks follow), Tab leaves the view for the rest of the page.
  for (let i = 0; i < 3; i++) await alice.keyboard.press('Tab');
  expect(await spoken(alice)).toBe('Green, can be picked up with a pointer, 5 of 5');
  await alice.keyboard.press('Tab');
  expect(await alice.evaluate(() => document.activeElement?.getAttribute('data-testid'))).not.toBe('scene');
  expect(await spoken(alice)).toBe('');
}, 180_000);
