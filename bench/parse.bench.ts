/**
 * Scene-script parsing: the generated 1000-line scene (bench/scene-generator.ts)
 * through the real WebAssembly parser, in Node and in Chromium.
 *
 * - parse.node_1000_lines_ms: text in, typed JS tree out (UTF-8 encode, wasm
 *   parse, binary result decoded), in process; median.
 * - parse.chromium_1000_lines_ms: the same in Chromium the way the app parses:
 *   through the room's own worker pool (`window.__holoroom.parser()`, the pool
 *   `loadBrowserParser` started: postMessage to a worker, the wasm call there,
 *   the result back and decoded on the main thread); median.
 * - parse.chromium_main_thread_1000_lines_ms: the app's parser glue
 *   (wasm-module.ts) called on the page's main thread, which the app never
 *   does: what the worker pool adds is the difference.
 * - parse.json_parse_equiv_ms (Chromium): JSON.parse of the same tree as JSON
 *   text, the in-browser reference point.
 * - parse.chromium_wasm_call_ms: the wasm call alone (parse + write binary).
 * - result and module sizes in bytes.
 * - parse.corpus_*: the real scene files of ../shared/corpus/holoscript (beside
 *   the repository, or beside the main working tree of a git worktree):
 *   how many parse without errors, and the slowest file (median of its runs)
 *   in Node, text to typed tree. Left out, with a note, when the corpus is absent.
 *
 * Chromium runs headless with software GL; the room tab is measured in the
 * background so its render loop does not compete (see `inChromium`): these are
 * the parser's costs, not the wait behind a frame. The main-thread candidates
 * use the app's own parser glue (wasm-module.ts), bundled from its source
 * (bench/harness/app-module.ts) and loaded into the room page.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { ParserModule } from '../app/scene/parser/wasm-module.ts';
import { launchBrowser, newContext, waitUntil, watchPage } from '../e2e/harness/browser.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import { loadParserModuleForNode, PARSER_WASM_PATH } from '../tools/node-parser.ts';
import { appModuleScript } from './harness/app-module.ts';
import { median, timeRuns } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';
import { generateScene } from './scene-generator.ts';

const RUNS = 400;
const WORKER_RUNS = 200;

interface BrowserMetrics {
  /** Through the room's worker pool, as the app parses. */
  poolMs: number;
  mainThreadMs: number;
  wasmCallMs: number;
  jsonParseEquivMs: number;
  workerScope: string;
}

interface BenchGlobals {
  __benchGlue: { loadParserModuleFromBytes(bytes: BufferSource): Promise<ParserModule> };
  __benchParser: ParserModule;
}

/** Runs in the page: the glue instantiates the same wasm bytes on the main thread. */
async function loadMainThreadParser(base64: string): Promise<void> {
  const globals = window as unknown as BenchGlobals;
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  globals.__benchParser = await globals.__benchGlue.loadParserModuleFromBytes(bytes);
}

/** Runs in the page: times the room's worker pool and the parser glue on the main thread. */
async function measureInPage(args: { text: string; runs: number; workerRuns: number }): Promise<BrowserMetrics> {
  const parser = (window as unknown as BenchGlobals).__benchParser;
  // Chromium clamps performance.now() to 0.1 ms: time batches, report per call.
  // The candidates take turns in every round, so load from other processes
  // on this machine hits them alike; each metric is the median over rounds.
  const BATCH = 10;
  const treeJson = JSON.stringify(parser.parse(args.text).document);
  const candidates: Record<string, () => void> = {
    parse: () => parser.parse(args.text),
    wasmCall: () => parser.parseRaw(args.text, 'binary'),
    jsonParseEquiv: () => JSON.parse(treeJson),
  };
  const samples: Record<string, number[]> = {};
  for (const [name, fn] of Object.entries(candidates)) {
    samples[name] = [];
    for (let i = 0; i < BATCH * 3; i++) fn();
  }
  for (let round = 0; round < args.runs / BATCH; round++) {
    for (const [name, fn] of Object.entries(candidates)) {
      const t0 = performance.now();
      for (let j = 0; j < BATCH; j++) fn();
      samples[name]?.push((performance.now() - t0) / BATCH);
    }
  }
  const middle = (list: number[] = []): number => {
    const sorted = [...list].sort((x, y) => x - y);
    return sorted[Math.floor(sorted.length / 2)] as number;
  };
  const mainThreadMs = middle(samples.parse);
  const wasmCallMs = middle(samples.wasmCall);
  const jsonParseEquivMs = middle(samples.jsonParseEquiv);

  const pool = await (window.__holoroom as NonNullable<typeof window.__holoroom>).parser();
  let workerScope = '';
  for (let i = 0; i < 20; i++) workerScope = (await pool.run(args.text))?.executor.scope ?? '';
  // One parse after another, as the app asks for them; batches of BATCH for the clock's 0.1 ms.
  const poolSamples: number[] = [];
  for (let round = 0; round < args.workerRuns / BATCH; round++) {
    const t0 = performance.now();
    for (let j = 0; j < BATCH; j++) await pool.run(args.text);
    poolSamples.push((performance.now() - t0) / BATCH);
  }
  return { poolMs: middle(poolSamples), mainThreadMs, wasmCallMs, jsonParseEquivMs, workerScope };
}

async function inChromium(text: string, wasm: Buffer): Promise<BrowserMetrics> {
  const server = await startServerProcess();
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser, { name: 'Bench' });
    // tsx compiles `measureInPage` with esbuild's keepNames, which calls a
    // `__name` helper that only exists in Node: give the page a no-op one.
    await context.addInitScript('globalThis.__name ??= (fn) => fn;');
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/r/benchparse${Date.now().toString(36)}?seed=off`);
    await waitUntil(
      () =>
        page.evaluate(
          async () =>
            (await window.__holoroom?.parser().then(
              () => true,
              () => false,
            )) === true,
        ),
      30_000,
      () => `the parser did not load: ${watch.errors.join('; ')}`,
    );
    await page.evaluate(await appModuleScript('app/scene/parser/wasm-module.ts', '__benchGlue'));
    await page.evaluate(loadMainThreadParser, wasm.toString('base64'));
    // The room renders its 3D view with software GL here (no GPU), which keeps
    // the main thread busy: a message from a worker then waits for a frame.
    // A blank tab in front idles the room's render loop while we measure.
    const front = await context.newPage();
    await front.bringToFront();
    const metrics = await page.evaluate(measureInPage, { text, runs: RUNS, workerRuns: WORKER_RUNS });
    if (metrics.workerScope !== 'DedicatedWorkerGlobalScope') {
      throw new Error(`worker round trip did not run in a worker (${metrics.workerScope})`);
    }
    return metrics;
  } finally {
    await browser.close();
    await server.stop();
  }
}

const CORPUS_RUNS = 20;

/** `shared/corpus/holoscript` beside the repository, or beside the main working tree of a worktree. */
function corpusDir(): string | undefined {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const roots = [repo];
  const gitFile = path.join(repo, '.git');
  const link = existsSync(gitFile) ? readFileSync(gitFile, 'utf8').trim() : '';
  // A worktree's `.git` is a file: `gitdir: <main>/.git/worktrees/<name>`.
  if (link.startsWith('gitdir:')) roots.push(path.resolve(link.slice('gitdir:'.length).trim(), '../../..'));
  return roots.map((root) => path.join(root, '..', 'shared', 'corpus', 'holoscript')).find((dir) => existsSync(dir));
}

function corpusMetrics(parser: ParserModule): Record<string, number> {
  const dir = corpusDir();
  if (!dir) {
    console.log('parse.bench: ../shared/corpus/holoscript not found; corpus metrics left out');
    return {};
  }
  const files = readdirSync(dir).filter((name) => name.endsWith('.holo'));
  let clean = 0;
  let slowest = 0;
  let total = 0;
  for (const name of files) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    if (parser.parse(text).errors === 0) clean++;
    const ms = median(timeRuns(() => parser.parse(text), CORPUS_RUNS, 3));
    slowest = Math.max(slowest, ms);
    total += ms;
  }
  return {
    'parse.corpus_files': files.length,
    'parse.corpus_clean_files': clean,
    'parse.corpus_clean_ratio': clean / files.length,
    'parse.corpus_max_file_ms': slowest,
    'parse.corpus_total_ms': total,
  };
}

const parse: Benchmark = async () => {
  const text = generateScene(1000);
  const parser = await loadParserModuleForNode();
  const check = parser.parse(text);
  if (check.errors > 0) throw new Error(`the generated scene has ${check.errors} errors`);

  const nodeMs = median(timeRuns(() => parser.parse(text), RUNS));
  const wasm = readFileSync(PARSER_WASM_PATH);
  const corpus = corpusMetrics(parser);
  const browser = await inChromium(text, wasm);

  return {
    'parse.node_1000_lines_ms': nodeMs,
    'parse.chromium_1000_lines_ms': browser.poolMs,
    'parse.chromium_main_thread_1000_lines_ms': browser.mainThreadMs,
    'parse.chromium_wasm_call_ms': browser.wasmCallMs,
    'parse.json_parse_equiv_ms': browser.jsonParseEquivMs,
    'parse.result_binary_bytes': parser.parseRaw(text, 'binary').byteLength,
    'parse.tree_json_bytes': new TextEncoder().encode(JSON.stringify(check.document)).byteLength,
    'parse.input_bytes': Buffer.byteLength(text),
    'parse.wasm_bytes': wasm.byteLength,
    'parse.wasm_gzip_bytes': gzipSync(wasm, { level: 9 }).byteLength,
    ...corpus,
  };
};

export default parse;
