/**
 * The usual fixture of a browser test file: one built server process and one
 * Chromium for the whole file, started before the first test and stopped after
 * the last; contexts opened with `context()` are closed after each test, so
 * one test's WebGL pages never slow the next.
 *
 * A test that waits on something slow and idle (a network timeout) may run beside
 * the file's other tests: mark it `test.concurrent` and put the others in a
 * `describe` with `{ concurrent: true }` whose tests are `test.sequential`, so they
 * still run one at a time and only the waiting test overlaps them. Such a test
 * opens its contexts with `contextFor(its test context)`: `afterEach` closes the
 * `context()` contexts of the test that ran alone, never another's.
 *
 * @example
 *   const suite = browserSuite();
 *   test('...', async () => {
 *     const page = await (await suite.context({ name: 'Alice' })).newPage();
 *     await page.goto(`${suite.server.url}/r/some-room-id`);
 *   });
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, type TestContext } from 'vitest';
import { type ContextOptions, launchBrowser, newContext } from './browser.ts';
import { type HideableBrowser, launchHideableBrowser } from './hideable-pages.ts';
import { type ServerProcess, type StartOptions, startServerProcess } from './server.ts';

export interface BrowserSuite {
  readonly server: ServerProcess;
  readonly browser: Browser;
  /** A new context (see `newContext`), closed after the current test. */
  context(options?: ContextOptions): Promise<BrowserContext>;
  /** Closes a context made some other way after the current test too; returns it. */
  track(context: BrowserContext): BrowserContext;
  /** A new context closed when `test` (a `test.concurrent` test's own context) finishes. */
  contextFor(test: TestContext, options?: ContextOptions): Promise<BrowserContext>;
}

/** `chromiumArgs`: extra Chromium flags for this file's browser (e.g. fake media devices). */
export function browserSuite(options: StartOptions = {}, chromiumArgs: readonly string[] = []): BrowserSuite {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  const open: BrowserContext[] = [];
  beforeAll(async () => {
    server = await startServerProcess(options);
    browser = await launchBrowser(chromiumArgs);
  });
  afterEach(async ({ task }) => {
    // A concurrent test's contexts are its own (contextFor); these belong to the test running alone.
    if (task.concurrent) return;
    for (const context of open.splice(0)) await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`browserSuite: the ${what} starts in beforeAll`);
    return value;
  };
  return {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    async context(contextOptions) {
      const context = await newContext(started(browser, 'browser'), contextOptions);
      open.push(context);
      return context;
    },
    track(context) {
      open.push(context);
      return context;
    },
    async contextFor(test, contextOptions) {
      const context = await newContext(started(browser, 'browser'), contextOptions);
      test.onTestFinished(() => context.close());
      return context;
    },
  };
}

export interface HideableSuite {
  readonly server: ServerProcess;
  /** Chromium whose pages can really be hidden (hideable-pages.ts), one for the whole file. */
  readonly chromium: HideableBrowser;
  /** A context of that browser whose pages are not hidden (see `newContext`), closed after the file. */
  context(options?: ContextOptions): Promise<BrowserContext>;
}

/** The fixture of a test file that hides pages for real: one server, one hideable Chromium. */
export function hideableSuite(): HideableSuite {
  let server: ServerProcess | undefined;
  let chromium: HideableBrowser | undefined;
  const open: BrowserContext[] = [];
  beforeAll(async () => {
    server = await startServerProcess();
    chromium = await launchHideableBrowser();
  });
  afterAll(async () => {
    for (const context of open.splice(0)) await context.close();
    await chromium?.close();
    await server?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`hideableSuite: the ${what} starts in beforeAll`);
    return value;
  };
  return {
    get server() {
      return started(server, 'server');
    },
    get chromium() {
      return started(chromium, 'browser');
    },
    async context(contextOptions) {
      const context = await newContext(started(chromium, 'browser').browser, contextOptions);
      open.push(context);
      return context;
    },
  };
}
