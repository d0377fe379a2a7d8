/**
 * The editor's diagnostics source in the browser: the scene parser's worker
 * pool, started the first time the editor asks (so a room that never opens the
 * editor never starts workers for it). One pool per page, shared by every
 * editor instance; the scene runtime can take the same pool from
 * `sharedBrowserParser()` rather than starting another.
 */
import type { ScriptParser } from '../scene/parser/parser.ts';
import { PARSER_WASM_URL } from '../scene/parser/wasm-url.ts';
import { loadBrowserParser } from '../scene/parser/worker-pool.ts';
import type { DiagnosticsSource } from './diagnostics.ts';
import { parserDiagnosticsSource } from './parser-diagnostics.ts';

let shared: Promise<ScriptParser> | undefined;

export function sharedBrowserParser(): Promise<ScriptParser> {
  shared ??= loadBrowserParser(PARSER_WASM_URL).catch((error: unknown) => {
    shared = undefined; // let a later request try again
    throw error;
  });
  return shared;
}

export const browserDiagnostics: DiagnosticsSource = async (text) =>
  parserDiagnosticsSource(await sharedBrowserParser())(text);
