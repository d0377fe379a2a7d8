// A browser without Ed25519 in WebCrypto (docs/roles.md ROLE12): the editor's
// page runs with an init script that makes every Ed25519 use of
// `crypto.subtle` fail as such a browser's does. It still joins a protected
// room as an editor: the pure-JS fallback verifies the owner's signature on
// its editor link (made with WebCrypto) and signs its role and session proofs.
// Its page has no WebRTC (`?webrtc=off`), so its edit can only travel through
// the server, which verifies those proofs with WebCrypto and counts an
// editor's updates only after its session proof (MOD4): the server's copy and
// the owner's page have the edit. The owner's page, with WebCrypto's Ed25519,
// never downloads the fallback; the editor's does.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { readRoleLink } from '../app/sync/roles/room-credential.ts';
import { connectTestClient } from '../server/test/sync-client.ts';
import { waitUntil } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';
import { createProtectedRoomFromStartPage, openPersonPage, SLOW_PAGE_MS, script, withSearch } from './roles-helpers.ts';

const suite = browserSuite();
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Makes every Ed25519 use of WebCrypto fail with NotSupportedError, as in a browser that lacks it. */
const WITHOUT_ED25519 = `(() => {
  const subtle = crypto.subtle;
  const isEd25519 = (algorithm) =>
    algorithm === 'Ed25519' || (algorithm && typeof algorithm === 'object' && algorithm.name === 'Ed25519');
  const refuse = () => Promise.reject(new DOMException('Algorithm: Unrecognized name', 'NotSupportedError'));
  for (const [method, at] of [['generateKey', 0], ['importKey', 2], ['sign', 0], ['verify', 0]]) {
    const original = subtle[method].bind(subtle);
    subtle[method] = (...args) => (isEd25519(args[at]) ? refuse() : original(...args));
  }
})();`;

/** The served path of the fallback's chunk, from Vite's manifest. */
function fallbackChunk(): string {
  const manifest = JSON.parse(
    readFileSync(path.join(ROOT, 'build', 'app', '.vite', 'manifest.json'), 'utf8'),
  ) as Record<string, { file: string }>;
  const chunk = manifest['app/sync/roles/ed25519-fallback.ts'];
  if (!chunk) throw new Error('the build has no chunk of its own for the Ed25519 fallback');
  return `/${chunk.file}`;
}

/** Paths of the scripts `page` requested from now on. */
function requestedPaths(page: Page): string[] {
  const paths: string[] = [];
  page.on('request', (request) => paths.push(new URL(request.url()).pathname));
  return paths;
}

const role = (page: Page) => page.evaluate(() => window.__holoroom?.session?.role);

test('[ROLE12] [MOD4] a page whose WebCrypto lacks Ed25519 joins a protected room as an editor with the pure-JS fallback, and its edit counts', async () => {
  const chunk = fallbackChunk();
  const owner = await openPersonPage(suite, 'Owner');
  const ownerRequests = requestedPaths(owner.page);
  const links = await createProtectedRoomFromStartPage(suite, owner.page);
  const roomId = new URL(links.ownerLink).pathname.split('/').pop() ?? '';
  await owner.page.goto(withSearch(links.ownerLink, '?render=off'));
  await waitUntil(
    async () => (await role(owner.page)) === 'owner' && (await script(owner.page)).length > 0,
    SLOW_PAGE_MS,
    async () => `the owner's page is ${await role(owner.page)}; errors ${owner.errors.join('; ')}`,
  );

  const editor = await openPersonPage(suite, 'Editor');
  await editor.page.context().addInitScript(WITHOUT_ED25519);
  const editorRequests = requestedPaths(editor.page);
  await editor.page.goto(withSearch(links.editorLink, '?render=off&webrtc=off'));
  // The init script took: this page's WebCrypto refuses Ed25519.
  expect(
    await editor.page.evaluate(() =>
      crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign']).then(
        () => 'generated',
        (error: DOMException) => error.name,
      ),
    ),
  ).toBe('NotSupportedError');
  await waitUntil(
    async () => (await role(editor.page)) === 'editor' && (await script(editor.page)).length > 0,
    SLOW_PAGE_MS,
    async () => `the editor's page is ${await role(editor.page)}; errors ${editor.errors.join('; ')}`,
  );
  expect(editorRequests).toContain(chunk);

  // Its edit: the owner's page has it, and so does the server's copy (read by a Node client on loopback).
  const line = '// signed without WebCrypto Ed25519\n';
  await editor.page.evaluate((text) => {
    const room = window.__holoroom?.session?.room;
    room?.replaceScript(text + room.scriptText());
  }, line);
  await waitUntil(
    async () => (await script(owner.page)).startsWith(line),
    SLOW_PAGE_MS,
    async () => `the owner has ${(await script(owner.page)).slice(0, 60)}`,
  );
  const asViewer = (await readRoleLink(roomId, '')).credential;
  const reader = connectTestClient(suite.server.url, roomId, new Y.Doc(), asViewer);
  try {
    await waitUntil(
      async () => reader.doc.getText('script').toString().startsWith(line),
      SLOW_PAGE_MS,
      async () => `the server has ${reader.doc.getText('script').toString().slice(0, 60)}`,
    );
  } finally {
    reader.destroy();
  }
  expect(editor.errors).toEqual([]);
  // WebCrypto's Ed25519 worked on the owner's page: it never fetched the fallback.
  expect(ownerRequests).not.toContain(chunk);
}, 300_000);
