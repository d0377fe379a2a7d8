// [ACC1-ACC3] Every control of the start page and of a room, at phone width
// and on a laptop: each has an accessible name, is at least 44x44 px, is
// reached by Tab in turn, and shows a visible focus ring when it is.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { waitUntil } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';
import { settle } from './layout-helpers.ts';
import { testRoomId } from './pwa-helpers.ts';
import { waitForScene } from './scene-helpers.ts';

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
  for (let step = 0; step < limit; step++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return undefined;
      // CodeMirror draws its ring on the editor around the focused content.
      const ringOn = element.closest('.cm-editor') ?? element;
      const style = getComputedStyle(ringOn);
      const ring = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2;
      return { acc: element.getAttribute('data-acc'), ring, tag: element.tagName };
    });
    if (!focused) continue;
    if (focused.acc === null) continue;
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
    await page.locator('.script-panel .cm-content').waitFor({ timeout: 20_000 });
    await checkScreen(page, `room with the editor open at ${at}`, viewport.phone);
    await page.getByTestId('script-close').click();
  }
}, 240_000);
