// The pose channel between two real browsers (separate contexts: no shared
// BroadcastChannel), over real WebRTC, then with WebRTC blocked in one of them
// (poses must flow through the server relay), then unblocked (the pair must
// upgrade back to WebRTC). Every step asserts the transport it claims.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  launchBrowser,
  newContext,
  peerConnectionStates,
  saveScreenshot,
  waitUntil,
  watchPage,
} from './harness/browser.ts';
import { type ServerProcess, startServerProcess } from './harness/server.ts';

let server: ServerProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

/**
 * Test switch (TRN7): while `window.__holoroomBlockWebRTC` is true, new
 * RTCPeerConnections may only use TURN relays and get none, so ICE can never
 * connect (like a network that blocks UDP). Set it to false to allow WebRTC again.
 */
const BLOCK_WEBRTC = `(() => {
  window.__holoroomBlockWebRTC = true;
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config, ...rest) {
      super(window.__holoroomBlockWebRTC ? { ...(config || {}), iceServers: [], iceTransportPolicy: 'relay' } : config, ...rest);
    }
  };
})();`;

interface HudRow {
  name: string;
  transport: string;
}

async function hudRows(page: Page): Promise<HudRow[]> {
  return page.locator('[data-testid="pose-hud-peer"]').evaluateAll((rows) =>
    rows.map((row) => ({
      name: row.getAttribute('data-peer-name') ?? '',
      transport: row.getAttribute('data-transport') ?? '',
    })),
  );
}

async function transportShown(page: Page, name: string): Promise<string | undefined> {
  return (await hudRows(page)).find((row) => row.name === name)?.transport;
}

type Avatar = { name: string; visible: boolean; head: [number, number, number] };

async function avatarOf(page: Page, name: string): Promise<Avatar | undefined> {
  return page.evaluate((who) => {
    const handle = (window as unknown as { __holoroom?: { avatars?: () => Avatar[] } }).__holoroom;
    return handle?.avatars?.().find((avatar) => avatar.name === who);
  }, name);
}

/** Orbits the camera with a real mouse drag on the canvas: the head moves around the room. */
async function dragCamera(page: Page, dx: number): Promise<void> {
  const box = await page.getByTestId('scene').boundingBox();
  if (!box) throw new Error('no canvas');
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(x + (dx * i) / 10, y);
  await page.mouse.up();
}

let log = (_what: string) => {};
const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - (b[i] as number)));

async function openPair(roomUrl: string, blockB: boolean): Promise<{ pageA: Page; pageB: Page; errors: () => string }> {
  const alice = await newContext(browser, { name: 'Alice', color: '#ef476f' });
  const bob = await newContext(browser, { name: 'Bob', color: '#06d6a0' });
  contexts.push(alice, bob);
  if (blockB) await bob.addInitScript(BLOCK_WEBRTC);
  const pageA = await alice.newPage();
  const pageB = await bob.newPage();
  // Software WebGL on a shared machine: a small viewport keeps the render loop (and the tick) going.
  for (const page of [pageA, pageB]) await page.setViewportSize({ width: 480, height: 320 });
  const watchA = watchPage(pageA);
  const watchB = watchPage(pageB);
  await Promise.all([pageA.goto(`${roomUrl}?hud=1`), pageB.goto(`${roomUrl}?hud=1`)]);
  const started = Date.now();
  log = (what: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
  return { pageA, pageB, errors: () => [...watchA.errors, ...watchB.errors].join('; ') };
}

/** B's rendered avatar of Alice follows Alice's real camera moves. */
async function expectAvatarFollows(pageA: Page, pageB: Page): Promise<void> {
  await waitUntil(
    async () => (await avatarOf(pageB, 'Alice'))?.visible === true,
    20_000,
    async () => JSON.stringify(await avatarOf(pageB, 'Alice')),
  );
  const before = (await avatarOf(pageB, 'Alice'))?.head as [number, number, number];
  await dragCamera(pageA, 300);
  await waitUntil(
    async () => distance((await avatarOf(pageB, 'Alice'))?.head ?? before, before) > 1,
    10_000,
    async () => `avatar still near ${before}: ${JSON.stringify(await avatarOf(pageB, 'Alice'))}`,
  );
  // Once A's camera comes to rest (the orbit controls glide a little), B's avatar settles there.
  const cameraOf = () =>
    pageA.evaluate(() => {
      const channel = (
        window as unknown as { __holoroom: { pose: { channel: { entities: { world: Float64Array } } } } }
      ).__holoroom.pose.channel;
      return [...channel.entities.world.subarray(0, 3)];
    });
  let cameraA = await cameraOf();
  await waitUntil(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      const next = await cameraOf();
      const still = distance(next, cameraA) < 0.002;
      cameraA = next;
      return still;
    },
    15_000,
    () => 'camera never came to rest',
  );
  await waitUntil(
    async () => distance((await avatarOf(pageB, 'Alice'))?.head ?? [0, 0, 0], cameraA) < 0.01,
    5_000,
    async () => `B shows ${JSON.stringify(await avatarOf(pageB, 'Alice'))}, A is at ${cameraA}`,
  );
}

test('[TRN1] B sees A’s avatar move over a WebRTC data channel', async () => {
  const roomUrl = `${server.url}/r/e2epose${Date.now().toString(36)}`;
  const { pageA, pageB, errors } = await openPair(roomUrl, false);
  await waitUntil(
    async () =>
      (await transportShown(pageA, 'Bob')) === 'webrtc' && (await transportShown(pageB, 'Alice')) === 'webrtc',
    30_000,
    async () => `A: ${JSON.stringify(await hudRows(pageA))} B: ${JSON.stringify(await hudRows(pageB))} ${errors()}`,
  );
  log('webrtc on both sides');
  expect(await peerConnectionStates(pageB)).toContain('connected');
  await expectAvatarFollows(pageA, pageB);
  log('avatar followed');
  // Still WebRTC, and the poses really came over it: B received batches at close to 60 Hz on that link.
  const stats = await pageB.evaluate(() => {
    const pose = (
      window as unknown as {
        __holoroom: { pose: { channel: { stats(): { name: string; transport: string; rateHz: number }[] } } };
      }
    ).__holoroom.pose;
    return pose.channel.stats().find((peer) => peer.name === 'Alice');
  });
  expect(stats?.transport).toBe('webrtc');
  await saveScreenshot(pageB, 'pose-webrtc-b.png');
}, 120_000);

test('[TRN3] with WebRTC blocked in B, poses flow through the relay; unblocked, the pair upgrades back [TRN4]', async () => {
  const roomUrl = `${server.url}/r/e2eposerelay${Date.now().toString(36)}`;
  const { pageA, pageB, errors } = await openPair(roomUrl, true);
  await waitUntil(
    async () => (await transportShown(pageA, 'Bob')) === 'relay' && (await transportShown(pageB, 'Alice')) === 'relay',
    30_000,
    async () => `A: ${JSON.stringify(await hudRows(pageA))} B: ${JSON.stringify(await hudRows(pageB))} ${errors()}`,
  );
  log('relay on both sides');
  await expectAvatarFollows(pageA, pageB);
  log('avatar followed over the relay');
  // WebRTC really is blocked in B: none of its peer connections ever connected.
  expect(await peerConnectionStates(pageB)).not.toContain('connected');
  expect(await transportShown(pageB, 'Alice')).toBe('relay');
  await saveScreenshot(pageB, 'pose-relay-b.png');

  await pageB.evaluate(() => {
    (window as unknown as { __holoroomBlockWebRTC: boolean }).__holoroomBlockWebRTC = false;
  });
  await waitUntil(
    async () =>
      (await transportShown(pageA, 'Bob')) === 'webrtc' && (await transportShown(pageB, 'Alice')) === 'webrtc',
    60_000,
    async () => `A: ${JSON.stringify(await hudRows(pageA))} B: ${JSON.stringify(await hudRows(pageB))} ${errors()}`,
  );
  log('upgraded to webrtc');
  expect(await peerConnectionStates(pageB)).toContain('connected');
  await expectAvatarFollows(pageA, pageB);
  log('avatar followed after the upgrade');
}, 180_000);
