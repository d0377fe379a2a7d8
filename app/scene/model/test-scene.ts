/**
 * For tests and benchmarks in Node: the real WebAssembly parser (built by
 * `npm run build`), loaded once, turning script text into scene models.
 */
import type { Document } from '../ast.ts';
import { loadParserModuleForNode } from '../node-loader.ts';
import type { ParserModule } from '../wasm-module.ts';
import { buildSceneModel } from './build-model.ts';
import type { SceneModel } from './scene-model.ts';

let module: Promise<ParserModule> | undefined;

export function testParserModule(): Promise<ParserModule> {
  module ??= loadParserModuleForNode();
  return module;
}

/** Parses `text` and fails loudly on parse errors: these tests are about the runtime, not the parser. */
export async function parseDocument(text: string): Promise<Document> {
  const result = (await testParserModule()).parse(text);
  if (result.errors > 0) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    throw new Error(`test script has parse errors: ${first?.line}:${first?.column} ${first?.message}`);
  }
  return result.document;
}

export async function modelOf(text: string): Promise<SceneModel> {
  return buildSceneModel(await parseDocument(text));
}
