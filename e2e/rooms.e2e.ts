// Rooms you can find again: a room's name set by one person reaches another
// (two browser contexts, each its own device), and the start page lists the
// rooms this device visited, with remove. [VISIT5] password rooms are not listed.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { saveScreenshot, waitUntil, watchPage } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';
import { testRoomId } from './pwa-helpers.ts';
import { waitForScene } from './scene-helpers.ts';

const suite = browserSuite();

/** Records what the page hands to the share sheet (headless Chromium on Linux has none). */
const SHARE_PROBE = `(() => {
  window.__shared = [];
  Object.defineProperty(navigator, 'share', { value: async (data) => { window.__shared.push(data); } });
})();`;

async function openRoom(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitForScene(page, (info) => info.title === 'Lobby', 60_000);
}

async function presenceNames(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="presence-list"] li')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-peer-name') ?? ''));
}

test('[NAME1] [NAME2] [VISIT1] [VISIT4] a name given to a room reaches everyone in it, names the tab and the share text, and the start page lists the room until removed', async () => {
  const alice = await suite.context({ name: 'Alice' });
  const bob = await suite.context({ name: 'Bob' });
  await bob.addInitScript(SHARE_PROBE);
  const a = await alice.newPage();
  const b = await bob.newPage();
  const watch = watchPage(b);
  const roomId = testRoomId('e2enamed');
  const url = `${suite.server.url}/r/${roomId}`;
  await openRoom(a, url);
  await openRoom(b, url);
  await waitUntil(
    async () => (await presenceNames(b)).includes('Alice') && (await presenceNames(a)).includes('Bob'),
    30_000,
    async () => `presence: a ${await presenceNames(a)}, b ${await presenceNames(b)}`,
  );

  // Alice names the room in her title bar; Bob's title bar and tab follow.
  const field = a.getByRole('textbox', { name: 'Room name' });
  await field.fill('  Design\u0007 review  ');
  await field.press('Enter');
  expect(await field.inputValue()).toBe('Design review');
  await waitUntil(
    async () => (await b.getByRole('textbox', { name: 'Room name' }).inputValue()) === 'Design review',
    20_000,
    async () => `Bob sees ${await b.getByRole('textbox', { name: 'Room name' }).inputValue()}`,
  );
  expect(await b.title()).toBe('Design review · Holoroom');

  // The share sheet gets the name.
  await b.getByRole('button', { name: 'Share…' }).click();
  await waitUntil(
    () => b.evaluate(() => ((window as unknown as { __shared: unknown[] }).__shared ?? []).length > 0),
    5_000,
    () => 'nothing shared',
  );
  const shared = await b.evaluate(() => (window as unknown as { __shared: ShareData[] }).__shared[0]);
  expect(shared).toEqual({ title: 'Join "Design review" in Holoroom', text: 'Join "Design review" in Holoroom', url });

  // Bob's start page lists the room: name, scene, when, who was there.
  await b.goto(`${suite.server.url}/`);
  const entry = b.locator(`[data-testid="visited-rooms"] li[data-room-id="${roomId}"]`);
  await entry.waitFor({ timeout: 5_000 });
  const text = (await entry.textContent()) ?? '';
  expect(text).toMatch(/Design review/);
  expect(text).toMatch(/Lobby · just now · with Alice/);
  expect(await entry.getByRole('link').getAttribute('href')).toBe(`/r/${roomId}`);
  await saveScreenshot(b, 'rooms-start-page.png');

  // A password room is not listed: its link holds the password (VISIT5).
  const secretId = testRoomId('e2esecret');
  await b.goto(`${suite.server.url}/r/${secretId}#password=correct-horse`);
  await waitForScene(b, (info) => info.title === 'Lobby', 60_000);
  await b.goto(`${suite.server.url}/`);
  await entry.waitFor({ timeout: 5_000 });
  expect(await b.locator(`li[data-room-id="${secretId}"]`).count()).toBe(0);

  // Remove forgets it, on this device only, and for good.
  await entry.getByRole('button', { name: 'Remove Design review from this list' }).click();
  expect(await entry.count()).toBe(0);
  await b.reload();
  await b.getByRole('button', { name: 'Create a room' }).waitFor();
  expect(await b.locator(`li[data-room-id="${roomId}"]`).count()).toBe(0);
  expect(watch.errors).toEqual([]);
}, 180_000);
