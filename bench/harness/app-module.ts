/**
 * One of the app's own modules as a script for a page (BENCH1: a benchmark
 * times the app's code, never a copy). The app bundles its modules without
 * exposing them; this bundles the same source file with esbuild into an IIFE
 * whose exports land on `globalThis[globalName]`.
 *
 * @example
 *   await page.evaluate(await appModuleScript('app/scene/parser/wasm-module.ts', '__benchParserModule'));
 *   await page.evaluate(() => globalThis.__benchParserModule.compileParser(url));
 */
import { build } from 'esbuild';

export async function appModuleScript(entry: string, globalName: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    // Run with page.evaluate, not an inline <script> (the page's CSP forbids those).
    globalName,
    platform: 'browser',
    write: false,
  });
  // page.evaluate runs it inside a function: hand the result to the page's global scope explicitly.
  return `${result.outputFiles[0]?.text ?? ''}\nglobalThis.${globalName} = ${globalName};`;
}
