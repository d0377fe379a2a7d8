/**
 * A Chromium whose pages can really be hidden, as a minimized window or a tab in
 * the background is: `document.visibilityState` is "hidden", no frames are drawn,
 * and Chromium's scheduler throttles the page's timers (which setting
 * `visibilityState` in the page does not do).
 *
 * Two things keep a Playwright page visible in headless Chromium: Playwright
 * turns on focus emulation for every page it opens (`Emulation.setFocusEmulationEnabled`,
 * which holds the page's contents visible), and it starts Chromium with
 * `--disable-background-timer-throttling`, `--disable-renderer-backgrounding` and
 * `--disable-backgrounding-occluded-windows`. So this Chromium is started here,
 * with the project's flags only, and Playwright attaches over the DevTools
 * protocol with `noDefaults`: pages of the browser's default context get no
 * focus emulation, and minimizing their window hides them. Other contexts
 * (`newContext`) are ordinary Playwright contexts whose pages stay visible.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, type ContextOptions, preparePages } from './browser.ts';

/** How long Chromium may take to print its DevTools address. */
const START_TIMEOUT_MS = 20_000;

export interface HideableBrowser {
  readonly browser: Browser;
  /** A page in a window of its own, in the default context (see above), with `options` applied. */
  hideablePage(options?: ContextOptions): Promise<Page>;
  /** Minimizes (true) or restores (false) the page's window; resolves once the page says so. */
  setHidden(page: Page, hidden: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function launchHideableBrowser(extraArgs: readonly string[] = []): Promise<HideableBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'holoroom-hideable-'));
  const child = spawn(
    process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    [
      '--headless',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      ...CHROMIUM_FLAGS,
      ...extraArgs,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let browser: Browser | undefined;
  try {
    browser = await chromium.connectOverCDP(await devToolsAddress(child), { noDefaults: true });
  } catch (error) {
    await stop(child, profile);
    throw error;
  }
  const context = defaultContext(browser);
  const prepared = new Set<string>();
  let opening: Promise<unknown> = Promise.resolve();
  const cdp = await browser.newBrowserCDPSession();
  const windowOf = async (page: Page): Promise<number> => {
    const session = await page.context().newCDPSession(page);
    const { windowId } = await session.send('Browser.getWindowForTarget');
    await session.detach();
    return windowId;
  };
  return {
    browser,
    hideablePage(options = {}) {
      // One at a time: the new page is told apart from another by the order of 'page' events.
      const open = opening.then(async () => {
        // Init scripts add up on the one default context: each kind once.
        const key = JSON.stringify(options);
        if (prepared.size > 0 && !prepared.has(key)) throw new Error('hideablePage: one set of options per browser');
        if (!prepared.has(key)) await preparePages(context, options);
        prepared.add(key);
        const opened = context.waitForEvent('page');
        await cdp.send('Target.createTarget', { url: 'about:blank', newWindow: true });
        return opened;
      });
      opening = open.catch(() => {});
      return open;
    },
    async setHidden(page, hidden) {
      const windowId = await windowOf(page);
      await cdp.send('Browser.setWindowBounds', { windowId, bounds: { windowState: hidden ? 'minimized' : 'normal' } });
      const expected = hidden ? 'hidden' : 'visible';
      await page.waitForFunction((state) => document.visibilityState === state, expected, { timeout: 5_000 });
    },
    async close() {
      await browser?.close().catch(() => {});
      await stop(child, profile);
    },
  };
}

function defaultContext(browser: Browser): BrowserContext {
  const context = browser.contexts()[0];
  if (!context) throw new Error('Chromium started without a default context');
  return context;
}

function devToolsAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`Chromium printed no DevTools address: ${output}`)),
      START_TIMEOUT_MS,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code}): ${output}`));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /DevTools listening on (ws:\S+)/.exec(output);
      if (found?.[1]) {
        clearTimeout(timer);
        // Keep draining its output (a full pipe would stall it), without keeping it.
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume();
        resolve(found[1]);
      }
    });
  });
}

/** Stops the Chromium started here (by its own PID) and removes its profile. */
async function stop(child: ChildProcess, profile: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(profile, { recursive: true, force: true });
}
