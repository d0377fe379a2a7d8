// The shared scene script in real browsers: two browser contexts (no shared
// BroadcastChannel or storage) edit one room. Each test pins the transport it
// claims by switching the other one off and checking the one left.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { ObjectId } from '../app/core/ids.ts';
import { connectTestClient } from '../server/test/sync-client.ts';
import { updateMessage } from '../server/yjs/messages.ts';
import { poisonedUpdate } from '../testing/sync/poisoned-updates.ts';
import {
  diagnosticMark,
  EDITOR_INPUT,
  EDITOR_KEYWORD,
  EDITOR_ROOT,
  editorText,
  REMOTE_CURSOR_NAME,
  remoteCursorNames,
  typeInEditor,
  waitForEditor,
} from './editor-helpers.ts';
import { peerConnectionStates, waitUntil, watchPage } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';

const suite = browserSuite();

/** Two WebGL pages per test on a shared 2-core machine: page loads alone can take many seconds. */
const TEST_TIMEOUT_MS = 300_000;
/** A page rendering WebGL on a CPU shared with other test runs can take this long to answer input. */
const SLOW_PAGE_MS = 90_000;

const roomUrl = (name: string, query = '', hash = '') =>
  `${suite.server.url}/r/${name}${Date.now().toString(36)}${query}${hash}`;

async function openPage(name: string, color: string, url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await suite.context({ name, color });
  // The panel opens from remembered preferences: no click on a page that may be busy rendering.
  await context.addInitScript(`localStorage.setItem('holoroom.editor', '{"open":true}');`);
  const page = await context.newPage();
  // Chromium renders WebGL on the CPU here; a small viewport keeps frames short so the
  // page's main thread answers sync and presence traffic instead of waiting behind frames.
  await page.setViewportSize({ width: 480, height: 360 });
  const { errors } = watchPage(page);
  await page.goto(url);
  await waitForEditor(page, SLOW_PAGE_MS);
  return { page, errors };
}

const sharedScript = (page: Page) => page.evaluate(() => window.__holoroom?.session?.room.scriptText() ?? '');

/**
 * The page's y-webrtc connections as the sync sees them: each one's RTCPeerConnection state, whether
 * y-webrtc counts it as up (its data channel open) and whether it marked the other page's whole document
 * as arrived over it (its sync step 2; y-webrtc marks only the first connection's after the page had none).
 * Other RTCPeerConnections of the page (voice's, one per person in presence) are not in this list.
 */
function webrtcSync(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const conns = window.__holoroom?.session?.webrtc?.room?.webrtcConns.values() ?? [];
    return [...(conns as Iterable<{ connected: boolean; synced: boolean; peer: { _pc?: RTCPeerConnection } }>)].map(
      (conn) =>
        `${conn.peer._pc?.connectionState ?? 'no pc'}${conn.connected ? ' open' : ''}${conn.synced ? ' synced' : ''}`,
    );
  });
}

/** What a page holds and how its sync stands, for a failure message. */
async function syncReport(page: Page, errors: string[]): Promise<string> {
  const state = await page.evaluate(() => {
    const session = window.__holoroom?.session;
    return { script: session?.room.scriptText().length, rejected: session?.status.get().rejected };
  });
  return `script ${state.script} chars, y-webrtc [${(await webrtcSync(page)).join(', ')}], all RTCPeerConnections [${await peerConnectionStates(page)}], rejected ${JSON.stringify(state.rejected)}, errors ${errors.join('; ')}`;
}

async function presenceNames(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="presence-list"] li')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-peer-name') ?? ''));
}

test(
  "[TRANSPORT2] [TRN21] [EDIT4] [EDIT6] [EDIT7] [EDIT13] typing in one editor shows up in the other over WebRTC, with the other cursor (as tall as its line) and its name; undo takes back only one's own edit; an error is marked under its token",
  async () => {
    const url = roomUrl('e2eeditrtc', '?server-sync=off');
    const a = await openPage('Alice', '#ef476f', url);
    const b = await openPage('Bob', '#06d6a0', url);
    // [TRN21] The transport this test claims is up in both pages: y-webrtc's own connection, connected, its data
    // channel open (then every edit goes out on it). Any connected RTCPeerConnection of the page was taken for it
    // before: voice's (one per person in presence) is one too, and the typing then raced WebRTC.
    const open = async (page: Page) => (await webrtcSync(page)).some((conn) => conn.startsWith('connected open'));
    await waitUntil(
      async () => (await open(a.page)) && (await open(b.page)),
      SLOW_PAGE_MS,
      async () => `A: ${await syncReport(a.page, a.errors)}; B: ${await syncReport(b.page, b.errors)}`,
    );
    const line = 'object "Lamp" { geometry: "box", color: "#ffcc00" }';
    await typeInEditor(a.page, `${line}\n`, 'start', SLOW_PAGE_MS);
    await waitUntil(
      async () => (await editorText(b.page)).includes(line),
      10_000,
      async () =>
        `B editor: ${await editorText(b.page)}; B: ${await syncReport(b.page, b.errors)}; A: ${await syncReport(a.page, a.errors)}`,
    );
    expect(await sharedScript(b.page)).toBe(await sharedScript(a.page));
    // B's 3D scene follows: the scene runtime parsed the new script and drew the object.
    await waitUntil(
      () => b.page.evaluate(() => window.__holoroom?.sceneObjects?.get('Lamp' as ObjectId) !== undefined),
      SLOW_PAGE_MS,
      async () => `B draws ${await b.page.evaluate(() => window.__holoroom?.sceneObjects?.ids().join(', '))}`,
    );
    // Only WebRTC was on: no server sync provider existed in either page.
    for (const page of [a.page, b.page]) {
      expect(await page.evaluate(() => window.__holoroom?.session?.server === undefined)).toBe(true);
    }
    // [EDIT6] B draws Alice's cursor with her name (awareness), in her colour, where her caret is:
    // at the start of the line after the one she typed.
    await waitUntil(
      async () => (await remoteCursorNames(b.page)).includes('Alice'),
      10_000,
      async () => `cursor labels in B: ${await remoteCursorNames(b.page)}`,
    );
    const aliceCursor = await b.page.evaluate(
      ([nameSelector]) => {
        const label = [...document.querySelectorAll(nameSelector)].find(
          (l) => l.textContent === 'Alice',
        ) as HTMLElement;
        const caret = label.parentElement as HTMLElement;
        const rows = document.querySelectorAll('.holo-line');
        const row = (rows[1] as HTMLElement).getBoundingClientRect();
        const box = caret.getBoundingClientRect();
        const lineHeight = Number.parseFloat(getComputedStyle(rows[1] as HTMLElement).lineHeight);
        return {
          color: getComputedStyle(caret).borderLeftColor,
          onSecondLine: box.top + box.height / 2 > row.top && box.top + box.height / 2 < row.bottom,
          // [EDIT13] As tall as the line, not only its glyphs (the font's ascent and descent).
          lineTall: Math.abs(box.height - lineHeight) < 0.5,
          where: `caret ${box.top} ${box.left} ${box.height}, row ${row.top} ${row.height}, line height ${lineHeight}`,
        };
      },
      [REMOTE_CURSOR_NAME] as const,
    );
    expect(aliceCursor, aliceCursor.where).toMatchObject({
      color: 'rgb(239, 71, 111)',
      onSecondLine: true,
      lineTall: true,
    });
    // [EDIT3] Highlighting is on: the keyword is coloured by the scene language.
    expect(await b.page.locator(EDITOR_KEYWORD, { hasText: 'object' }).count()).toBeGreaterThan(0);

    // [EDIT7] Undo takes back only one's own edit: A inserts a line (one input), B types its own,
    // A presses Ctrl+Z; A's line goes in both pages, B's stays.
    await a.page.locator(EDITOR_INPUT).focus();
    await a.page.keyboard.press('Control+Home');
    await a.page.keyboard.insertText('// from Alice\n');
    await typeInEditor(b.page, '// from Bob\n', 'start', SLOW_PAGE_MS);
    await waitUntil(
      async () => (await editorText(a.page)).includes('// from Bob'),
      10_000,
      async () => `A editor: ${await editorText(a.page)}`,
    );
    await a.page.locator(EDITOR_INPUT).focus();
    await a.page.keyboard.press('Control+Z');
    await waitUntil(
      async () => !(await editorText(b.page)).includes('// from Alice'),
      10_000,
      async () => `B editor: ${await editorText(b.page)}`,
    );
    for (const page of [a.page, b.page]) {
      expect(await editorText(page)).toContain('// from Bob');
      expect(await editorText(page)).toContain(line);
    }

    // [EDIT4] Live diagnostics: B's own parser (WebAssembly in its worker pool) underlines the
    // error A typed under the bad token, marks its line in the gutter and says why on hover.
    await typeInEditor(a.page, '\nobject "Broken" { position: [0, 1 ', 'start', SLOW_PAGE_MS);
    await waitUntil(
      async () => (await b.page.locator(diagnosticMark('error')).count()) > 0,
      SLOW_PAGE_MS,
      async () => `no error mark in B; summary: ${await b.page.getByTestId('script-diagnostics').textContent()}`,
    );
    expect(Number(await b.page.getByTestId('script-diagnostics').getAttribute('data-errors'))).toBeGreaterThan(0);
    const mark = b.page.locator(diagnosticMark('error')).first();
    // The mark is drawn again when a later diagnostics answer arrives (the rest of A's typing): read it
    // once it is attached and stays so for the read.
    const readMark = () =>
      mark.evaluate((element) => {
        const rows = [...document.querySelectorAll('.holo-line')];
        const row = element.closest('.holo-line');
        if (!row) return null;
        return {
          // The unclosed list starts on the Broken line; the parser stops there or at the next line's first token.
          linesAfterBroken: rows.indexOf(row) - rows.findIndex((r) => r.textContent?.startsWith('object "Broken"')),
          gutterMarked: row.classList.contains('holo-line-error'),
          message: (element as HTMLElement).dataset.message ?? '',
        };
      });
    let attached = await readMark();
    for (let attempt = 0; attempt < 50 && attached === null; attempt++) {
      await b.page.waitForTimeout(100);
      attached = await readMark();
    }
    if (!attached) throw new Error('the error mark never stayed attached for a read');
    const marked = attached;
    expect([0, 1]).toContain(marked.linesAfterBroken);
    expect(marked.gutterMarked).toBe(true);
    await mark.scrollIntoViewIfNeeded();
    const box = await mark.boundingBox();
    if (!box) throw new Error('the error mark has no box');
    await b.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tooltip = () =>
      b.page
        .locator('.holo-tooltip')
        .evaluate((element) => ((element as HTMLElement).hidden ? '' : element.textContent));
    await waitUntil(
      async () => marked.message !== '' && (await tooltip()) === marked.message,
      5_000,
      async () =>
        `tooltip: "${await tooltip()}", message "${marked.message}", at the point: ${await b.page.evaluate(
          ([x, y]) =>
            document
              .elementsFromPoint(x, y)
              .map((e) => `${e.tagName}.${e.className}`)
              .join(' > '),
          [box.x + box.width / 2, box.y + box.height / 2] as const,
        )}`,
    );

    // [CAP4] A hostile peer: an update that decodes but fails halfway, delivered on B's real
    // y-webrtc connection, is dropped whole and shown; B's document is untouched.
    const poisoned = Array.from(updateMessage(poisonedUpdate()));
    const outcome = await b.page.evaluate((bytes) => {
      const session = window.__holoroom?.session;
      const conn = session?.webrtc?.room?.webrtcConns.values().next().value as
        | { peer: { emit(event: string, data: Uint8Array): void } }
        | undefined;
      const before = session?.room.scriptText();
      conn?.peer.emit('data', new Uint8Array(bytes));
      return { same: session?.room.scriptText() === before, rejected: session?.status.get().rejected.count };
    }, poisoned);
    expect(outcome).toEqual({ same: true, rejected: 1 });
    await b.page.locator('[data-notice="rejected-updates"]').waitFor();
  },
  TEST_TIMEOUT_MS,
);

test(
  '[TRANSPORT1] with WebRTC off in one browser, the two still converge through the server',
  async () => {
    const name = `e2eeditws${Date.now().toString(36)}`;
    const a = await openPage('Alice', '#ef476f', `${suite.server.url}/r/${name}`);
    const b = await openPage('Bob', '#06d6a0', `${suite.server.url}/r/${name}?webrtc=off`);
    await typeInEditor(a.page, 'object "FromA" {}\n', 'start', SLOW_PAGE_MS);
    await waitUntil(
      async () => (await editorText(b.page)).includes('object "FromA" {}'),
      15_000,
      async () => `B editor: ${await editorText(b.page)}; errors ${b.errors.join('; ')}`,
    );
    await typeInEditor(b.page, '\nobject "FromB" {}', 'start', SLOW_PAGE_MS);
    await waitUntil(
      async () => (await editorText(a.page)).includes('object "FromB" {}'),
      15_000,
      async () => `A editor: ${await editorText(a.page)}`,
    );
    expect(await sharedScript(a.page)).toBe(await sharedScript(b.page));
    // B never created a peer connection: the server carried everything.
    expect(await peerConnectionStates(b.page)).toEqual([]);
    expect(await b.page.evaluate(() => window.__holoroom?.session?.status.get().server)).toBe('synced');
    // And the server holds the room: a fresh Node client loads the same script from it.
    const late = connectTestClient(suite.server.url, name);
    await late.synced();
    expect(late.doc.getText('script').toString()).toBe(await sharedScript(a.page));
    late.destroy();
  },
  TEST_TIMEOUT_MS,
);

test(
  '[PW1][PW2] a password room syncs peer to peer, the server never sees its script, and it offers no room code',
  async () => {
    const name = `e2epassword${Date.now().toString(36)}`;
    // No lobby (SEED1): A types while the pages may still be deciding whether to seed the empty
    // room, and a seed landing beside the typed line can put that line below B's editor viewport.
    const url = `${suite.server.url}/r/${name}?seed=off#password=correct-horse`;
    const a = await openPage('Alice', '#ef476f', url);
    const b = await openPage('Bob', '#06d6a0', url);
    await typeInEditor(a.page, 'object "Secret" {}', 'start', SLOW_PAGE_MS);
    await waitUntil(
      async () => (await sharedScript(b.page)).includes('object "Secret" {}'),
      SLOW_PAGE_MS,
      async () => `B's script: ${await sharedScript(b.page)}; A's: ${await sharedScript(a.page)}`,
    );
    await waitUntil(
      async () => (await editorText(b.page)).includes('object "Secret" {}'),
      10_000,
      async () => `B editor: ${await editorText(b.page)}`,
    );
    expect(await peerConnectionStates(b.page)).toContain('connected');
    const probe = connectTestClient(suite.server.url, name);
    await probe.synced();
    expect(probe.doc.getText('script').toString()).toBe('');
    probe.destroy();
    // PW2: no short code for a password room (it would lead to the public twin).
    expect(await a.page.getByTestId('room-code').isDisabled()).toBe(true);
  },
  TEST_TIMEOUT_MS,
);

test(
  '[PRES1] closing one page removes it from the other presence list within 2 s',
  async () => {
    const url = roomUrl('e2eleave');
    const a = await openPage('Alice', '#ef476f', url);
    const b = await openPage('Bob', '#06d6a0', url);
    await waitUntil(
      async () => (await presenceNames(b.page)).includes('Alice'),
      SLOW_PAGE_MS,
      async () => `B sees ${await presenceNames(b.page)}`,
    );
    // B notes (on the shared system clock) the moment Alice leaves its list, so the
    // measurement does not depend on how fast this test process can poll a busy page.
    await b.page.evaluate(() => {
      const status = window.__holoroom?.session?.status;
      const w = window as unknown as { __aliceLeftAt?: number };
      status?.subscribe(({ peers }) => {
        if (w.__aliceLeftAt === undefined && !peers.some((peer) => peer.name === 'Alice')) w.__aliceLeftAt = Date.now();
      });
    });
    const closedAt = Date.now();
    await a.page.close();
    const leftAt = async () => b.page.evaluate(() => (window as unknown as { __aliceLeftAt?: number }).__aliceLeftAt);
    await waitUntil(
      async () => (await leftAt()) !== undefined,
      SLOW_PAGE_MS,
      async () => `B still lists ${await presenceNames(b.page)}`,
    );
    expect(((await leftAt()) ?? Number.POSITIVE_INFINITY) - closedAt).toBeLessThan(2_000);
    expect(await presenceNames(b.page)).not.toContain('Alice');
  },
  TEST_TIMEOUT_MS,
);

test(
  '[EDIT1] in a headset browser the editor is a full-screen overlay with large, wrapped text',
  async () => {
    const context = suite.track(
      await suite.browser.newContext({
        viewport: { width: 1280, height: 720 },
        userAgent:
          'Mozilla/5.0 (X11; Linux x86_64; Quest 3) AppleWebKit/537.36 (KHTML, like Gecko) OculusBrowser/35.2 Chrome/126.0 VR Safari/537.36',
      }),
    );
    const page = await context.newPage();
    await page.goto(roomUrl('e2eheadset'));
    await page.getByTestId('script-open').click({ timeout: SLOW_PAGE_MS });
    await waitForEditor(page, SLOW_PAGE_MS);
    const layout = await page.evaluate((rootSelector) => {
      const panel = document.querySelector('[data-testid="script-panel"]')?.getBoundingClientRect();
      const editor = document.querySelector(rootSelector);
      return {
        width: panel?.width,
        height: panel?.height,
        fontSize: editor ? getComputedStyle(editor).fontSize : undefined,
        wraps: editor?.classList.contains('holo-wrap') === true,
      };
    }, EDITOR_ROOT);
    expect(layout).toEqual({ width: 1280, height: 720, fontSize: '20px', wraps: true });
  },
  TEST_TIMEOUT_MS,
);

test(
  '[LOCAL1] with no server sync and nobody else, a reload brings the room back from IndexedDB',
  async () => {
    const url = roomUrl('e2elocal', '?server-sync=off');
    const a = await openPage('Alice', '#ef476f', url);
    const line = 'object "OnlyHere" { geometry: "sphere" }';
    await typeInEditor(a.page, `${line}\n`, 'start', SLOW_PAGE_MS);
    await waitUntil(
      async () => (await sharedScript(a.page)).includes(line),
      SLOW_PAGE_MS,
      () => 'edit not in the document',
    );
    // y-indexeddb writes asynchronously; give it a moment before the page goes away.
    await waitUntil(
      () =>
        a.page.evaluate(async () => {
          const name = window.__holoroom?.session?.local?.name;
          if (!name) return false;
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const request = indexedDB.open(name);
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          const count = await new Promise<number>((resolve) => {
            const request = db.transaction('updates').objectStore('updates').count();
            request.onsuccess = () => resolve(request.result);
          });
          db.close();
          return count > 0;
        }),
      SLOW_PAGE_MS,
      () => 'nothing stored in IndexedDB',
    );
    await a.page.reload();
    await waitUntil(
      async () => (await sharedScript(a.page)).includes(line),
      SLOW_PAGE_MS,
      async () => `after reload: ${(await sharedScript(a.page)).slice(0, 200)}`,
    );
    expect(await a.page.evaluate(() => window.__holoroom?.session?.status.get().server)).toBe('off');
    expect(await peerConnectionStates(a.page)).not.toContain('connected');
  },
  TEST_TIMEOUT_MS,
);
