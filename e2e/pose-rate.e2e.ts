// [TRN23] Sixty poses a second between two real browsers (separate contexts: no
// shared BroadcastChannel), over a WebRTC data channel and over the server's
// relay. Neither page draws (`?render=off`: the room's frame on a 60 Hz timer,
// app/room/headless-frames.ts), so the rate is the pose path's and not software
// GL's; Alice's head moves every animation frame, so each of her frames has a
// new pose to send. Bob counts Alice's batches by the link they came over, on
// his own clock. The benchmark (`npm run bench -- pose60`, `_one_sender`)
// measures the same path with latencies; this asserts the rate.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { peerConnectionStates, waitUntil, watchPage } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';

const suite = browserSuite();

const CONNECT_TIMEOUT_MS = 90_000;
const COUNT_MS = 3_000;
/**
 * Batches a second Bob must count from Alice. The path sends at most one a
 * 16.67 ms window (POSE18), so 60 is the ceiling; the bound leaves a loaded
 * 2-core machine room for a few late timer frames, and is far above the rate
 * of a page whose poses follow its software-GL frames (15-20 a second here).
 */
const MIN_RATE_HZ = 50;
const MAX_RATE_HZ = 62;

/** Moves the page's head on a circle every animation frame (the desktop view, which each frame publishes). */
function moveHead(page: Page): Promise<void> {
  return page.evaluate(() => {
    type View = { position: { set(x: number, y: number, z: number): void }; yaw: number };
    const view = (window as unknown as { __holoroom?: { view?: View } }).__holoroom?.view;
    if (!view) throw new Error('the page has no desktop view');
    const step = () => {
      const t = performance.now() / 1000;
      view.position.set(Math.sin(t) * 3, 1.7, Math.cos(t) * 3);
      view.yaw = t;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}

/** The transport Bob's channel uses for Alice now. */
function transportOf(page: Page, name: string): Promise<string | undefined> {
  return page.evaluate(
    (who) => window.__holoroom?.pose.channel.stats().find((row) => row.name === who)?.transport,
    name,
  );
}

/** Alice's batches (KIND_BATCH is byte 1) that reach Bob's channel in COUNT_MS, by link kind, per second. */
function countBatches(page: Page, name: string): Promise<Record<string, number>> {
  return page.evaluate(
    async ({ who, ms }) => {
      type Link = { peerId: number; kind: string };
      type Channel = {
        receive(bytes: Uint8Array, link: Link): unknown;
        stats(): { id: number; name: string }[];
      };
      const channel = (window as unknown as { __holoroom: { pose: { channel: Channel } } }).__holoroom.pose.channel;
      const from = channel.stats().find((row) => row.name === who)?.id;
      const counts: Record<string, number> = {};
      const receive = channel.receive;
      channel.receive = (bytes, link) => {
        if (bytes[1] === 1 && link.peerId === from) counts[link.kind] = (counts[link.kind] ?? 0) + 1;
        return receive.call(channel, bytes, link);
      };
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, ms));
      const seconds = (performance.now() - start) / 1000;
      channel.receive = receive;
      return Object.fromEntries(Object.entries(counts).map(([kind, n]) => [kind, n / seconds]));
    },
    { who: name, ms: COUNT_MS },
  );
}

async function openPair(query: string): Promise<{ alice: Page; bob: Page; errors: () => string }> {
  const roomUrl = `${suite.server.url}/r/e2eposerate${Date.now().toString(36)}?render=off&seed=off${query}`;
  const [alice, bob] = await Promise.all([
    suite.context({ name: 'Alice', color: '#ef476f' }).then((context) => context.newPage()),
    suite.context({ name: 'Bob', color: '#06d6a0' }).then((context) => context.newPage()),
  ]);
  const watches = [watchPage(alice), watchPage(bob)];
  await Promise.all([alice.goto(roomUrl), bob.goto(roomUrl)]);
  return { alice, bob, errors: () => watches.flatMap((watch) => watch.errors).join('; ') };
}

for (const { transport, query } of [
  { transport: 'webrtc', query: '' },
  { transport: 'relay', query: '&webrtc=off' },
]) {
  test(`[TRN23][POSE18] a page whose head moves every frame reaches another at 60 Hz over ${transport === 'webrtc' ? 'a WebRTC data channel' : 'the relay'}`, async () => {
    const { alice, bob, errors } = await openPair(query);
    await waitUntil(
      async () => (await transportOf(bob, 'Alice')) === transport,
      CONNECT_TIMEOUT_MS,
      async () => `Bob reaches Alice by ${await transportOf(bob, 'Alice')}; ${errors()}`,
    );
    if (transport === 'webrtc') expect(await peerConnectionStates(bob)).toContain('connected');
    await moveHead(alice);
    const rates = await countBatches(bob, 'Alice');
    console.log(`Alice's batches a second at Bob, by link: ${JSON.stringify(rates)}`);
    // Every batch came over the link the test is about, at the path's rate.
    expect(Object.keys(rates)).toEqual([transport]);
    expect(rates[transport]).toBeGreaterThanOrEqual(MIN_RATE_HZ);
    expect(rates[transport]).toBeLessThanOrEqual(MAX_RATE_HZ);
  }, 180_000);
}
