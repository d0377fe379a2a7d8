/**
 * What is wrong with a script, as marks for the editor: the parser's
 * diagnostics and, for a script that parsed, what the scene does not use
 * (RT1: "@physics is not supported; it is drawn without it.") where it is
 * written. The runtime computes them from the parse and the model it builds
 * anyway (RUN1), so a keystroke is parsed and built once, for the scene and
 * the editor alike.
 */
import type { SceneModel } from '../model/scene-model.ts';
import type { Diagnostic, ParseResult } from '../syntax/ast.ts';

/** One mark: UTF-16 offsets into the script, and a message that ends in its rule id. */
export interface SceneDiagnostic {
  from: number;
  to: number;
  severity: 'error' | 'warning';
  message: string;
}

/** A parser diagnostic as a mark: what was expected, and the rule id. */
function fromParser(diagnostic: Diagnostic): SceneDiagnostic {
  const expected = diagnostic.expected.length > 0 ? ` Expected ${diagnostic.expected.join(' or ')}.` : '';
  return {
    from: diagnostic.from,
    to: Math.max(diagnostic.to, diagnostic.from),
    severity: diagnostic.severity,
    message: `${diagnostic.message}${expected} [${diagnostic.code}]`,
  };
}

/** The marks for one parse; `model` is what the runtime built from it (none when it had errors, RUN2). */
export function sceneDiagnostics(result: ParseResult, model: SceneModel | undefined): SceneDiagnostic[] {
  const diagnostics = result.diagnostics.map(fromParser);
  if (model) {
    // Unknown blocks and imports are the parser's warnings already (LANG1, LANG2).
    const parserMarks = result.diagnostics.filter((d) => d.code === 'LANG1' || d.code === 'LANG2');
    for (const warning of model.warnings) {
      if (parserMarks.some((d) => d.from >= warning.from && d.from < Math.max(warning.to, warning.from + 1))) continue;
      diagnostics.push({
        from: warning.from,
        to: Math.max(warning.to, warning.from),
        severity: 'warning',
        message: `${warning.message} [${warning.code}]`,
      });
    }
  }
  return diagnostics.sort((a, b) => a.from - b.from);
}
