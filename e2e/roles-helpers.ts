/**
 * Shared steps of the protected-room browser tests (e2e/roles.e2e.ts,
 * e2e/moderation.e2e.ts): a person's page in its own browser context, a
 * protected room created through the start page, and what the tests read
 * back from a page.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { peerConnectionStates, watchPage } from './harness/browser.ts';
import type { BrowserSuite } from './harness/suite.ts';

/** Three pages on a shared 2-core machine: page loads alone can take many seconds. */
export const SLOW_PAGE_MS = 90_000;

/** A page in a browser context of its own (its own storage, session key and identity `name`), editor open. */
export async function openPersonPage(suite: BrowserSuite, name: string): Promise<{ page: Page; errors: string[] }> {
  const context = await suite.context({ name });
  await context.addInitScript(`localStorage.setItem('holoroom.editor', '{"open":true}');`);
  const page = await context.newPage();
  await page.setViewportSize({ width: 480, height: 360 });
  return { page, ...watchPage(page) };
}

export interface ProtectedRoomLinks {
  ownerLink: string;
  editorLink: string;
  viewerLink: string;
}

/** ROLE8: the owner clicks "Create a protected room" and reads the three links from its room page. */
export async function createProtectedRoomFromStartPage(suite: BrowserSuite, owner: Page): Promise<ProtectedRoomLinks> {
  await owner.goto(`${suite.server.url}/`);
  await owner.getByTestId('create-protected').click();
  await owner.waitForURL(/\/r\/p_[A-Za-z0-9_-]{43}#owner=/, { timeout: SLOW_PAGE_MS });
  // The links sit in a folded "Room links" (and, on a narrow page, in the room's menu): read, not clicked.
  const editorLink = await owner.getByTestId('editor-link').inputValue({ timeout: SLOW_PAGE_MS });
  const viewerLink = await owner.getByTestId('viewer-link').inputValue();
  const ownerLink = await owner.getByTestId('owner-link').inputValue();
  expect(editorLink).toMatch(/#editor=[A-Za-z0-9_-]{178}$/);
  expect(viewerLink).not.toContain('#');
  expect(ownerLink).toBe(owner.url());
  return { ownerLink, editorLink, viewerLink };
}

/** The link with its query replaced by `search` (e.g. `?server-sync=off`, TRANSPORT2), fragment kept. */
export function withSearch(link: string, search: string): string {
  const url = new URL(link);
  url.search = search;
  return url.toString();
}

export const script = (page: Page) => page.evaluate(() => window.__holoroom?.session?.room.scriptText() ?? '');

export const connectedPeers = async (page: Page) =>
  (await peerConnectionStates(page)).filter((state) => state === 'connected').length;
