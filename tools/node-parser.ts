/**
 * Loads the built parser in Node (tests, CLI, benchmarks) from
 * build/wasm/holoroom_parser.wasm, with a clear message when it is missing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inProcessParser, type ScriptParser } from '../app/scene/parser/parser.ts';
import { loadParserModuleFromBytes, type ParserModule, ParserModuleError } from '../app/scene/parser/wasm-module.ts';

export const PARSER_WASM_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'build',
  'wasm',
  'holoroom_parser.wasm',
);

export async function loadParserModuleForNode(file = PARSER_WASM_PATH): Promise<ParserModule> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new ParserModuleError(`${file} is missing: run \`npm run build\` first`);
  }
  return loadParserModuleFromBytes(new Uint8Array(bytes));
}

/** The asynchronous parser API (as in browsers), parsing in this thread. */
export async function loadScriptParserForNode(file = PARSER_WASM_PATH): Promise<ScriptParser> {
  return inProcessParser(await loadParserModuleForNode(file));
}
