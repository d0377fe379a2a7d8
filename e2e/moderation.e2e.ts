// Moderation in real browsers (docs/roles.md MOD1-MOD5): an owner, an editor
// and a viewer in three browser contexts, connected over real WebRTC and the
// server. The owner removes the viewer from its presence list: the viewer's
// page closes the room and says why, the owner's and the editor's pages close
// their connections to it, the server closes the sockets that name its session,
// and a reload with the same session stays out. Then the owner makes a new
// editor link: the editor's page, whose link is of the old epoch, becomes a
// viewer's and says so.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { peerConnectionStates, waitUntil } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';
import {
  connectedPeers,
  createProtectedRoomFromStartPage,
  openPersonPage,
  SLOW_PAGE_MS,
  withSearch,
} from './roles-helpers.ts';

const suite = browserSuite();
const TEST_TIMEOUT_MS = 300_000;
/** docs/security.md: the close code of a removed session's sockets. */
const CLOSE_REMOVED = 4410;

/** `?render=off`: the room runs without drawing, to spare the shared machine (the test is about connections). */
const headless = (link: string) => withSearch(link, '?render=off');
const presenceNames = (page: Page) =>
  page.locator('[data-testid="presence-list"] li').evaluateAll((items) => items.map((li) => li.dataset.peerName));

/** y-webrtc connections of the room (voice has RTCPeerConnections of its own, which this does not count). */
const roomPeers = (page: Page) => page.evaluate(() => window.__holoroom?.session?.status.get().webrtcPeers ?? -1);

/** This browser's session id, as its storage keeps it (docs/roles.md MOD4). */
const sessionOf = (page: Page) =>
  page.evaluate(() => (localStorage.getItem('holoroom.session-key') ?? '').split('.')[0] ?? '');

/**
 * From `page`, a /signal socket naming `session` subscribes to the room's
 * topic; resolves with the close code the server sent (or -1 after 5 s).
 */
function signalCloseCode(page: Page, session: string, roomId: string): Promise<number> {
  return page.evaluate(
    ({ session, topic }) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/signal?session=${session}`);
        const timer = setTimeout(() => resolve(-1), 5_000);
        socket.onopen = () => socket.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
        socket.onclose = (event) => {
          clearTimeout(timer);
          resolve(event.code);
        };
      }),
    { session, topic: `holoroom:${roomId}` },
  );
}

test(
  '[MOD1] [MOD5] [ROT3] the owner removes the viewer (its page says so, peers and the server drop it, a reload stays out), then replaces the editor link (the editor becomes a viewer)',
  async () => {
    const owner = await openPersonPage(suite, 'Owner');
    await owner.page.setViewportSize({ width: 960, height: 600 });
    const links = await createProtectedRoomFromStartPage(suite, owner.page);
    const roomId = new URL(links.ownerLink).pathname.split('/').pop() ?? '';
    await owner.page.goto(headless(links.ownerLink));
    const editor = await openPersonPage(suite, 'Editor');
    await editor.page.goto(headless(links.editorLink));
    const viewer = await openPersonPage(suite, 'Viewer');
    await viewer.page.goto(headless(links.viewerLink));
    for (const { page } of [owner, editor, viewer]) {
      await waitUntil(
        async () => (await connectedPeers(page)) >= 2,
        SLOW_PAGE_MS,
        async () => `peer connection states ${await peerConnectionStates(page)}`,
      );
    }
    await waitUntil(
      async () => (await presenceNames(owner.page)).includes('Viewer'),
      SLOW_PAGE_MS,
      async () => `the owner's presence list: ${await presenceNames(owner.page)}`,
    );
    // Only the owner is offered "Remove".
    expect(await editor.page.getByTestId('peer-remove').count()).toBe(0);
    expect(await viewer.page.getByTestId('peer-remove').count()).toBe(0);
    const viewerSession = await sessionOf(viewer.page);
    expect(viewerSession).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await owner.page.locator('li[data-peer-name="Viewer"]').getByTestId('peer-remove').click();

    // The removed page closes the room and says why.
    const notice = viewer.page.getByTestId('removed-notice');
    await notice.waitFor({ timeout: SLOW_PAGE_MS });
    expect(await notice.textContent()).toBe('You were removed from this room by its owner.');
    expect(await connectedPeers(viewer.page)).toBe(0);
    // The peers closed their connections to it and keep the one between them.
    for (const { page } of [owner, editor]) {
      await waitUntil(
        async () => (await roomPeers(page)) === 1 && !(await presenceNames(page)).includes('Viewer'),
        SLOW_PAGE_MS,
        async () => `room peers ${await roomPeers(page)}, presence ${await presenceNames(page)}`,
      );
    }
    // The owner closed its connection to the removed session itself (the viewer's page closes its own too).
    expect(await owner.page.evaluate(() => window.__holoroom?.session?.roles?.counts.closedKicked)).toBe(1);
    // The server closes a socket of the removed session that asks for the room again.
    expect(await signalCloseCode(viewer.page, viewerSession, roomId)).toBe(CLOSE_REMOVED);
    expect(suite.server.output()).toContain('removed from this room by its owner');

    // A reload is the same session: it stays out.
    await viewer.page.reload();
    await notice.waitFor({ timeout: SLOW_PAGE_MS });
    expect(await sessionOf(viewer.page)).toBe(viewerSession);
    expect(await connectedPeers(viewer.page)).toBe(0);
    await waitUntil(
      async () => (await roomPeers(owner.page)) === 1,
      SLOW_PAGE_MS,
      async () => `the owner's room peers ${await roomPeers(owner.page)}`,
    );
    expect(await signalCloseCode(viewer.page, viewerSession, roomId)).toBe(CLOSE_REMOVED);
    expect(await owner.page.evaluate(() => window.__holoroom?.session?.moderation?.counts.verified)).toBe(1);
    expect(await editor.page.evaluate(() => window.__holoroom?.session?.moderation?.counts.verified)).toBe(1);

    // [ROT1] [ROT3] The owner makes a new editor link: the editor's old link no longer lets it edit.
    expect(await editor.page.evaluate(() => window.__holoroom?.session?.role)).toBe('editor');
    await owner.page.getByTestId('room-links').locator('summary').click();
    const oldEditorLink = await owner.page.getByTestId('editor-link').inputValue();
    await owner.page.getByTestId('rotate-editor-link').click();
    await owner.page.locator('[data-testid="rotate-editor-link"][data-epoch="1"]').waitFor({ timeout: SLOW_PAGE_MS });
    expect(await owner.page.getByTestId('editor-link').inputValue()).not.toBe(oldEditorLink);
    await waitUntil(
      async () => (await editor.page.evaluate(() => window.__holoroom?.session?.role)) === 'viewer',
      SLOW_PAGE_MS,
      async () => `the editor's page is ${await editor.page.evaluate(() => window.__holoroom?.session?.role)}`,
    );
    expect(await editor.page.getByTestId('config-notice').textContent({ timeout: SLOW_PAGE_MS })).toBe(
      'The owner made a new editor link: the one you opened no longer lets you edit. You are a viewer now.',
    );
    expect(new URL(editor.page.url()).hash).toBe('');
  },
  TEST_TIMEOUT_MS,
);
