import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { iceServerConfigs, peerConnectionStates, waitUntil, watchPage } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';

const suite = browserSuite();

async function presenceNames(page: import('playwright-core').Page): Promise<string[]> {
  return page
    .locator('[data-testid="presence-list"] li')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-peer-name') ?? ''));
}

test('two browsers in one room list each other over a connected RTCPeerConnection', async () => {
  const roomUrl = `${suite.server.url}/r/e2epresence${Date.now().toString(36)}`;
  const alice = await suite.context({ name: 'Alice', color: '#ef476f' });
  const bob = await suite.context({ name: 'Bob', color: '#06d6a0' });
  const pageA = await alice.newPage();
  const pageB = await bob.newPage();
  const watchA = watchPage(pageA);
  await Promise.all([pageA.goto(roomUrl), pageB.goto(roomUrl)]);

  await waitUntil(
    async () => (await presenceNames(pageA)).includes('Bob') && (await presenceNames(pageB)).includes('Alice'),
    30_000,
    async () =>
      `A sees ${await presenceNames(pageA)}, B sees ${await presenceNames(pageB)}; ${watchA.errors.join('; ')}`,
  );

  // The transport claimed is WebRTC: a real peer connection reached "connected" on both sides.
  await waitUntil(
    async () =>
      (await peerConnectionStates(pageA)).includes('connected') &&
      (await peerConnectionStates(pageB)).includes('connected'),
    15_000,
    async () => `states A=${await peerConnectionStates(pageA)} B=${await peerConnectionStates(pageB)}`,
  );
  expect(await pageA.getByTestId('connection').getAttribute('data-webrtc-peers')).toBe('1');
  // The app passed its own (empty) ICE server list, never a library's public default.
  for (const page of [pageA, pageB]) {
    const configs = await iceServerConfigs(page);
    expect(configs.length).toBeGreaterThan(0);
    for (const config of configs) expect(config).toBe('[]');
  }
});

/**
 * Hides or shows the page as the browser does when its tab goes to the background: the page's
 * `document.visibilityState` and a `visibilitychange` event. Playwright's pages stay visible (its
 * focus emulation holds them so: a minimized window, a background tab, activating another tab
 * change nothing), so the state is set in the page; everything after the event (presence, the
 * transports, the other page's list and avatar) is the real thing. Chromium's timer throttling does
 * not follow it: e2e/long-hide.e2e.ts hides a page for real.
 */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (value ? 'hidden' : 'visible'),
    });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

async function awayShown(page: Page, name: string): Promise<{ listed?: string | null; avatar?: boolean }> {
  const listed = await page
    .locator(`[data-testid="presence-list"] li[data-peer-name="${name}"]`)
    .getAttribute('data-away', { timeout: 1000 })
    .catch(() => undefined);
  const avatar = await page.evaluate((who) => window.__holoroom?.avatars().find((a) => a.name === who)?.away, name);
  return { listed, ...(avatar === undefined ? {} : { avatar }) };
}

test('[PRES5] a hidden page shows as away on the other page, in the list and on its avatar, and back when shown again', async () => {
  const roomUrl = `${suite.server.url}/r/e2eaway${Date.now().toString(36)}?seed=off`;
  const alice = await suite.context({ name: 'Alice', color: '#ef476f' });
  const bob = await suite.context({ name: 'Bob', color: '#06d6a0' });
  const pageA = await alice.newPage();
  const pageB = await bob.newPage();
  await Promise.all([pageA.goto(roomUrl), pageB.goto(roomUrl)]);
  await waitUntil(
    async () => (await awayShown(pageA, 'Bob')).avatar === false && (await awayShown(pageA, 'Bob')).listed === 'false',
    60_000,
    async () => `A shows Bob as ${JSON.stringify(await awayShown(pageA, 'Bob'))}`,
  );

  await setHidden(pageB, true);
  await waitUntil(
    async () => JSON.stringify(await awayShown(pageA, 'Bob')) === JSON.stringify({ listed: 'true', avatar: true }),
    15_000,
    async () => `A shows Bob as ${JSON.stringify(await awayShown(pageA, 'Bob'))}`,
  );
  expect(
    await pageA.locator('[data-testid="presence-list"] li[data-peer-name="Bob"] .tag').allTextContents(),
  ).toContain('away');

  await setHidden(pageB, false);
  await waitUntil(
    async () => JSON.stringify(await awayShown(pageA, 'Bob')) === JSON.stringify({ listed: 'false', avatar: false }),
    15_000,
    async () => `A shows Bob as ${JSON.stringify(await awayShown(pageA, 'Bob'))}`,
  );
}, 120_000);
