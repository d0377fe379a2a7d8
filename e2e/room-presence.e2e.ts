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
