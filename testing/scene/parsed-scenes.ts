/**
 * For tests and benchmarks in Node: the real WebAssembly parser (built by
 * `npm run build`), loaded once, turning script text into scene models.
 */

import { buildSceneModel } from '../../app/scene/model/build-model.ts';
import type { SceneModel } from '../../app/scene/model/scene-model.ts';
import type { ParserModule } from '../../app/scene/parser/wasm-module.ts';
import type { Document } from '../../app/scene/syntax/ast.ts';
import { loadParserModuleForNode } from '../../tools/node-parser.ts';

let module: Promise<ParserModule> | undefined;

export function testParserModule(): Promise<ParserModule> {
  module ??= loadParserModuleForNode();
  return module;
}

/** Parses `text` and fails loudly on parse errors: these tests are about the runtime, not the parser. */
async function parseDocument(text: string): Promise<Document> {
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
