// TRN10: a browser without WebRTC runs the room through the server only. One
// page's init script removes RTCPeerConnection before the app loads; the other
// page is an ordinary one. Separate browser contexts, so no BroadcastChannel
// between them: whatever reaches the other page went through the server.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { waitUntil, watchPage } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';

const suite = browserSuite();

/** Two WebGL pages on a shared 2-core machine: page loads alone can take many seconds. */
const TEST_TIMEOUT_MS = 240_000;
const SLOW_PAGE_MS = 90_000;

/** Like a browser built without WebRTC: no constructor at all. */
const REMOVE_WEBRTC = `(() => {
  delete window.RTCPeerConnection;
  delete window.webkitRTCPeerConnection;
})();`;

interface PoseView {
  transport: string;
  links: string[];
  rateHz: number;
}

/** How `page`'s pose channel hears the peer called `name`. */
async function poseViewOf(page: Page, name: string): Promise<PoseView | undefined> {
  return page.evaluate((who) => {
    const peer = window.__holoroom?.pose.channel.stats().find((stats) => stats.name === who);
    return peer && { transport: peer.transport, links: peer.links, rateHz: peer.rateHz };
  }, name);
}

const scriptOf = (page: Page) => page.evaluate(() => window.__holoroom?.session.room.scriptText() ?? '');

async function appendLine(page: Page, line: string): Promise<void> {
  await page.evaluate((text) => {
    const script = window.__holoroom?.session.doc.getText('script');
    script?.insert(script.length, text);
  }, line);
}

async function openPage(name: string, url: string, withoutWebrtc: boolean) {
  const context = await suite.context({ name });
  if (withoutWebrtc) await context.addInitScript(REMOVE_WEBRTC);
  const page = await context.newPage();
  await page.setViewportSize({ width: 480, height: 360 });
  const watch = watchPage(page);
  const info: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'info') info.push(message.text());
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__holoroom !== undefined, undefined, { timeout: SLOW_PAGE_MS });
  return { page, errors: watch.errors, info };
}

test(
  '[TRN10] a page without RTCPeerConnection says "server only", starts nothing of WebRTC, and still shares the document and poses through the server',
  async () => {
    const url = `${suite.server.url}/r/e2eserveronly${Date.now().toString(36)}?hud=1`;
    const alice = await openPage('Alice', url, false);
    const bob = await openPage('Bob', url, true);

    // The badge: connected, and saying why no peers are counted.
    const badge = bob.page.getByTestId('connection');
    await waitUntil(
      async () => (await badge.getAttribute('data-state')) === 'connected',
      SLOW_PAGE_MS,
      async () => `Bob's badge: ${await badge.textContent()}`,
    );
    expect(await badge.textContent()).toContain('server only');
    expect(await badge.getAttribute('data-server-only')).toBe('true');
    expect(await alice.page.getByTestId('connection').getAttribute('data-server-only')).toBe('false');

    // Nothing that needs WebRTC was started: no y-webrtc provider, voice unavailable with the reason.
    // Voice's code loads after the room is interactive (performance.md LOAD9): wait for it.
    await bob.page.getByTestId('voice-unavailable').waitFor({ timeout: SLOW_PAGE_MS });
    await waitUntil(
      () => bob.page.evaluate(() => window.__holoroom?.voice !== undefined),
      SLOW_PAGE_MS,
      async () => "Bob's voice never loaded",
    );
    const started = await bob.page.evaluate(() => ({
      webrtcProvider: window.__holoroom?.session.webrtc !== undefined,
      transports: window.__holoroom?.session.transports,
      voice: window.__holoroom?.voice?.state(),
    }));
    expect(started.webrtcProvider).toBe(false);
    expect(started.transports).toEqual({ webrtc: false, server: true });
    expect(started.voice?.available).toBe(false);
    expect(started.voice?.reason).toBe('Voice needs WebRTC, which this browser does not offer.');

    // The document both ways through the server.
    await appendLine(alice.page, '\nobject "FromAlice" {}');
    await waitUntil(
      async () => (await scriptOf(bob.page)).includes('FromAlice'),
      SLOW_PAGE_MS,
      async () => `Bob's script: ${await scriptOf(bob.page)}; errors ${bob.errors.join('; ')}`,
    );
    await appendLine(bob.page, '\nobject "FromBob" {}');
    await waitUntil(
      async () => (await scriptOf(alice.page)).includes('FromBob'),
      SLOW_PAGE_MS,
      async () => `Alice's script: ${await scriptOf(alice.page)}`,
    );
    expect(await bob.page.evaluate(() => window.__holoroom?.session.status.get().server)).toBe('synced');

    // Poses both ways, over the relay: the only link either side has to the other.
    const onRelay = (view: PoseView | undefined) =>
      view?.transport === 'relay' && view.links.join() === 'relay' && view.rateHz > 0;
    await waitUntil(
      async () => onRelay(await poseViewOf(alice.page, 'Bob')) && onRelay(await poseViewOf(bob.page, 'Alice')),
      SLOW_PAGE_MS,
      async () =>
        `Alice hears Bob: ${JSON.stringify(await poseViewOf(alice.page, 'Bob'))}; Bob hears Alice: ${JSON.stringify(await poseViewOf(bob.page, 'Alice'))}`,
    );

    // Said once, no errors about WebRTC on either page.
    expect(bob.info.filter((line) => line.includes('server only'))).toEqual([
      '[room] server only: this browser has no RTCPeerConnection',
    ]);
    const webrtcErrors = [...alice.errors, ...bob.errors].filter((line) =>
      /webrtc|peerconnection|peer connection/i.test(line),
    );
    expect(webrtcErrors).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);
