// History and restore in real browsers with the real server (docs/history.md):
// the owner creates a protected room; an editor and a third page (also an
// editor) open it; the third page closes, keeping its local copy. The editor
// empties the script in its editor; the server keeps the room as it was just
// before (HIST2). The owner opens "History" (loaded on first open), presses
// "Restore" on the wipe's entry and confirms (HIST8): the owner's and the
// editor's pages show the room again (HIST7). The third page comes back: its
// local copy is from before the wipe, and it converges to the same document
// as everyone else. The editor's page offers no history (HIST5).
import type { BrowserContext, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { EDITOR_INPUT } from './editor-helpers.ts';
import { peerConnectionStates, waitUntil, watchPage } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';

const suite = browserSuite();

/** Three WebGL pages on a shared 2-core machine: page loads alone can take many seconds. */
const TEST_TIMEOUT_MS = 300_000;
const SLOW_PAGE_MS = 90_000;

async function openContext(name: string, editorOpen: boolean): Promise<BrowserContext> {
  const context = await suite.context({ name });
  await context.addInitScript(`localStorage.setItem('holoroom.editor', '{"open":${editorOpen}}');`);
  return context;
}

async function openPage(context: BrowserContext, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const watched = watchPage(page);
  await page.goto(url);
  return { page, ...watched };
}

const script = (page: Page) => page.evaluate(() => window.__holoroom?.session?.room.scriptText() ?? '');

/** What a page's document has seen: each client's next clock, sorted. Equal on two pages: same updates. */
const stateVector = (page: Page) =>
  page.evaluate(() => {
    const clients = window.__holoroom?.session?.doc.store.clients ?? new Map();
    const pairs: [number, number][] = [];
    for (const [client, structs] of clients) {
      const last = structs[structs.length - 1];
      pairs.push([client, last ? last.id.clock + last.length : 0]);
    }
    return pairs.sort((a, b) => a[0] - b[0]);
  });

/** The room's copy in this context's IndexedDB (y-indexeddb's `updates` store), read without opening the room. */
async function storedCopy(page: Page, roomId: string): Promise<Y.Doc> {
  const updates = await page.evaluate(
    (name) =>
      new Promise<number[][]>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction('updates').objectStore('updates').getAll();
          read.onerror = () => reject(read.error);
          read.onsuccess = () => resolve((read.result as Uint8Array[]).map((update) => Array.from(update)));
        };
      }),
    `holoroom:${roomId}`,
  );
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, new Uint8Array(update));
  return doc;
}

test(
  '[HIST2] [HIST5] [HIST7] [HIST8] the owner restores a wiped room from History; every page converges, one that was offline too',
  async () => {
    const ownerContext = await openContext('Owner', false);
    const owner = await openPage(ownerContext, `${suite.server.url}/`);
    await owner.page.getByTestId('create-protected').click();
    await owner.page.waitForURL(/\/r\/p_[A-Za-z0-9_-]{43}#owner=/, { timeout: SLOW_PAGE_MS });
    const roomId = new URL(owner.page.url()).pathname.split('/').pop() ?? '';
    await waitUntil(
      async () => (await script(owner.page)).length > 0,
      SLOW_PAGE_MS,
      () => `the owner's room was not seeded; errors ${owner.errors.join('; ')}`,
    );
    const seeded = await script(owner.page);
    const editorLink = await owner.page.getByTestId('editor-link').inputValue({ timeout: SLOW_PAGE_MS });

    // The third page takes the room, keeps it in IndexedDB, and goes away.
    const offlineContext = await openContext('Offline', false);
    const offline = await openPage(offlineContext, editorLink);
    await waitUntil(
      async () => (await script(offline.page)) === seeded,
      SLOW_PAGE_MS,
      () => `the third page never had the room; errors ${offline.errors.join('; ')}`,
    );
    await waitUntil(
      async () => (await storedCopy(offline.page, roomId)).getText('script').toString() === seeded,
      SLOW_PAGE_MS,
      () => 'the third page did not store the room',
    );
    await offline.page.close();

    const editor = await openPage(await openContext('Editor', true), editorLink);
    await waitUntil(
      async () =>
        (await script(editor.page)) === seeded && (await peerConnectionStates(editor.page)).includes('connected'),
      SLOW_PAGE_MS,
      async () =>
        `the editor has ${(await script(editor.page)).length} chars, peers ${await peerConnectionStates(editor.page)}`,
    );
    // [HIST5] Only the owner may see the history of a protected room.
    expect(await editor.page.getByTestId('history-open').count()).toBe(0);

    // The editor empties the script in its editor.
    await editor.page.locator(EDITOR_INPUT).click({ timeout: SLOW_PAGE_MS });
    await editor.page.keyboard.press('Control+A');
    await editor.page.keyboard.press('Delete');
    for (const { page } of [owner, editor]) {
      await waitUntil(
        async () => (await script(page)) === '',
        SLOW_PAGE_MS,
        () => 'the wipe did not reach a page',
      );
    }

    // [HIST8] History (its chunk loads now), then Restore on the wipe's entry, then confirm: the room is back.
    const chunks: string[] = [];
    owner.page.on('request', (request) => chunks.push(new URL(request.url()).pathname));
    await owner.page.getByTestId('history-open').click();
    const entry = owner.page.locator('[data-testid="history-entry"][data-reason="wipe"]').first();
    await entry.waitFor({ timeout: SLOW_PAGE_MS });
    expect(chunks.some((path) => /\/assets\/HistoryPanel-[^/]+\.js$/.test(path))).toBe(true);
    expect(await entry.textContent()).toContain('before a wipe by Editor');
    await entry.getByTestId('history-restore').click();
    await entry.getByTestId('history-confirm').click();
    await owner.page.getByTestId('history-message').waitFor({ timeout: SLOW_PAGE_MS });
    for (const { page } of [owner, editor]) {
      await waitUntil(
        async () => (await script(page)) === seeded,
        SLOW_PAGE_MS,
        async () => `a page has ${(await script(page)).length} chars after the restore`,
      );
    }

    // The third page's local copy is from before the wipe: it has not seen the wipe or the restore.
    const back = await openPage(offlineContext, `${suite.server.url}/`);
    const stale = await storedCopy(back.page, roomId);
    expect(stale.getText('script').toString()).toBe(seeded);
    const staleVector = Y.decodeStateVector(Y.encodeStateVector(stale));
    const ownerVector = new Map(await stateVector(owner.page));
    expect([...ownerVector].some(([client, clock]) => (staleVector.get(client) ?? 0) < clock)).toBe(true);

    // It comes back to the room: same document as everyone (the wipe's deletions and the restore's inserts).
    await back.page.goto(editorLink);
    await waitUntil(
      async () =>
        JSON.stringify(await stateVector(back.page)) === JSON.stringify(await stateVector(owner.page)) &&
        (await script(back.page)) === seeded,
      SLOW_PAGE_MS,
      async () => `the returning page has ${(await script(back.page)).length} chars, errors ${back.errors.join('; ')}`,
    );
    await waitUntil(
      async () => JSON.stringify(await stateVector(editor.page)) === JSON.stringify(await stateVector(owner.page)),
      SLOW_PAGE_MS,
      () => 'the editor and the owner hold different documents',
    );
  },
  TEST_TIMEOUT_MS,
);
