/**
 * Diagnostics from the scene parser (app/scene: WebAssembly in a worker pool,
 * latest wins per channel) in the editor's shape. The parser already reports
 * UTF-16 offsets, so this only words the message.
 */

import type { ScriptParser } from '../scene/parser/parser.ts';
import type { Diagnostic } from '../scene/syntax/ast.ts';
import type { DiagnosticsSource, ScriptDiagnostic } from './diagnostics.ts';

/** The parser channel the editor's requests share, so a newer keystroke supersedes an older parse. */
export const EDITOR_PARSE_CHANNEL = 'script-editor';

export function toScriptDiagnostic(diagnostic: Diagnostic): ScriptDiagnostic {
  const expected = diagnostic.expected.length > 0 ? ` Expected ${diagnostic.expected.join(' or ')}.` : '';
  return {
    from: diagnostic.from,
    to: Math.max(diagnostic.to, diagnostic.from),
    severity: diagnostic.severity,
    message: `${diagnostic.message}${expected} [${diagnostic.code}]`,
  };
}

export function parserDiagnosticsSource(parser: ScriptParser, channel = EDITOR_PARSE_CHANNEL): DiagnosticsSource {
  return async (text) => {
    const result = await parser.parseLatest(channel, text);
    return result?.diagnostics.map(toScriptDiagnostic);
  };
}
