// The scene parser's worker pool in real Chromium, on a room page of the built
// app: scripts are parsed in dedicated workers that share one compiled
// WebAssembly.Module, results come back by postMessage, and a newer request
// on a lane supersedes older ones (latest wins while someone types).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ParseRun } from '../app/scene/parser/parser.ts';
import { launchBrowser, newContext, waitUntil, watchPage } from './harness/browser.ts';
import { type ServerProcess, startServerProcess } from './harness/server.ts';

/** Records every Worker the page creates: its name, the modules posted to it, and result messages from it. */
const WORKER_PROBE = `(() => {
  const Native = window.Worker;
  window.__workers = [];
  window.Worker = class extends Native {
    constructor(url, options) {
      super(url, options);
      const record = { name: (options && options.name) || '', modules: [], results: 0 };
      window.__workers.push(record);
      this.addEventListener('message', (event) => {
        if (event.data && event.data.type === 'result' && event.data.bytes instanceof Uint8Array) record.results++;
      });
      const post = this.postMessage.bind(this);
      this.postMessage = (message, transfer) => {
        if (message && message.type === 'init') record.modules.push(message.module);
        return post(message, transfer);
      };
    }
  };
})();`;

interface WorkerRecord {
  name: string;
  modules: unknown[];
  results: number;
}

interface PageGlobals {
  __workers: WorkerRecord[];
}

const SCRIPT = [
  'composition "Worker Test" {',
  '  object "Cube" @grabbable { color: #ff0000 }',
  '  orb "Lamp" { typo "x" }',
  '}',
].join('\n');

let server: ServerProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServerProcess();
  browser = await launchBrowser();
  const context = await newContext(browser, { name: 'Parser' });
  await context.addInitScript(WORKER_PROBE);
  page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(`${server.url}/r/e2eparser${Date.now().toString(36)}?seed=off`);
  await waitUntil(
    () => page.evaluate(() => window.__holoroom?.parser !== undefined),
    30_000,
    () => `the room page did not expose the parser pool; ${watch.errors.join('; ')}`,
  );
  // The room's software-GL render loop keeps the main thread busy; a blank tab
  // in front idles it so worker messages are handled promptly.
  await (await context.newPage()).bringToFront();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test('a script is parsed in a dedicated worker and the tree comes back by postMessage', async () => {
  const outcome = await page.evaluate(async (script) => {
    const globals = window as unknown as PageGlobals;
    const pool = await (window.__holoroom as NonNullable<typeof window.__holoroom>).parser();
    const parserWorkers = () => globals.__workers.filter((w) => w.name.startsWith('holoroom-parser-'));
    const resultsBefore = parserWorkers().reduce((sum, w) => sum + w.results, 0);
    const run = (await pool.run(script)) as ParseRun;
    const workers = parserWorkers();
    const first = workers[0]?.modules[0];
    return {
      executor: run.executor,
      names: run.result.document.children[0]?.children.map((child) => child.name),
      diagnostics: run.result.diagnostics.map((d) => [d.code, d.line, d.column]),
      workerNames: workers.map((w) => w.name),
      resultMessages: workers.reduce((sum, w) => sum + w.results, 0) - resultsBefore,
      oneSharedModule:
        first instanceof WebAssembly.Module && workers.every((w) => w.modules.length === 1 && w.modules[0] === first),
    };
  }, SCRIPT);

  expect(outcome.executor).toMatchObject({ kind: 'worker', scope: 'DedicatedWorkerGlobalScope' });
  expect(outcome.names).toEqual(['Cube', 'Lamp']);
  expect(outcome.diagnostics).toEqual([['SYN3', 3, 25]]);
  // The pool's workers, each given the same compiled module.
  expect(outcome.workerNames).toEqual(['holoroom-parser-0', 'holoroom-parser-1']);
  expect(outcome.oneSharedModule).toBe(true);
  // At least this parse came back as a worker message (the room may parse its own script meanwhile).
  expect(outcome.resultMessages).toBeGreaterThanOrEqual(1);
});

test('the newest request on a lane supersedes the older ones (latest wins)', async () => {
  const outcome = await page.evaluate(async () => {
    const pool = await (window.__holoroom as NonNullable<typeof window.__holoroom>).parser();
    const before = pool.stats().superseded;
    // Five keystrokes' worth of text, asked for without waiting, as an editor would.
    const texts = [1, 2, 3, 4, 5].map((i) => `object "Version${i}" { size: ${i} }`);
    const results = await Promise.all(texts.map((text) => pool.parseLatest('e2e-typing', text)));
    const other = await pool.parseLatest('e2e-other-lane', 'object "Other" {}');
    return {
      names: results.map((result) => result?.document.children[0]?.name ?? null),
      superseded: pool.stats().superseded - before,
      other: other?.document.children[0]?.name,
    };
  });
  expect(outcome.names).toEqual([null, null, null, null, 'Version5']);
  expect(outcome.superseded).toBe(4);
  expect(outcome.other).toBe('Other');
});
