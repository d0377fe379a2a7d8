/**
 * The parser's JSON result (`{"formatVersion","document","diagnostics"}`),
 * kept beside the binary format for comparison (bench/parse.bench.ts,
 * docs/parser.md) and debugging. Same tree shapes as the binary decoder.
 */
import { type Diagnostic, type Document, type ParseResult, RESULT_FORMAT_VERSION } from '../syntax/ast.ts';
import { ResultFormatError, withCounts } from './result-binary.ts';

const textDecoder = new TextDecoder();

interface JsonResult {
  formatVersion: number;
  document: Document;
  diagnostics: Diagnostic[];
}

export function decodeJsonResult(bytes: Uint8Array): ParseResult {
  const parsed = JSON.parse(textDecoder.decode(bytes)) as JsonResult;
  if (parsed.formatVersion !== RESULT_FORMAT_VERSION) {
    throw new ResultFormatError(`result format ${parsed.formatVersion}, this app reads ${RESULT_FORMAT_VERSION}`);
  }
  return withCounts(parsed.document, parsed.diagnostics);
}
