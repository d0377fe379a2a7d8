/**
 * The editor's lint marks with the scene runtime's warnings added (RT1): a
 * trait, property or block the room does not use is underlined where it is
 * written ("@physics is not supported; it is drawn without it."), next to the
 * parser's own diagnostics. One parse per request on the editor's channel
 * (latest wins); building the model from its tree costs about as much again.
 */
import type { DiagnosticsSource, ScriptDiagnostic } from '../../editor/diagnostics.ts';
import { EDITOR_PARSE_CHANNEL, toScriptDiagnostic } from '../../editor/parser-diagnostics.ts';
import { buildSceneModel } from '../model/build-model.ts';
import type { ScriptParser } from '../parser/parser.ts';

export function sceneDiagnosticsSource(parser: () => Promise<ScriptParser>): DiagnosticsSource {
  return async (text) => {
    const result = await (await parser()).parseLatest(EDITOR_PARSE_CHANNEL, text);
    if (!result) return undefined;
    const diagnostics: ScriptDiagnostic[] = result.diagnostics.map(toScriptDiagnostic);
    // With errors the scene keeps its last good version (RUN2), so the runtime has nothing to add.
    if (result.errors === 0) {
      const model = buildSceneModel(result.document);
      // Unknown blocks and imports are the parser's warnings already (LANG1, LANG2).
      const parserMarks = result.diagnostics.filter((d) => d.code === 'LANG1' || d.code === 'LANG2');
      for (const warning of model.warnings) {
        if (parserMarks.some((d) => d.from >= warning.from && d.from < Math.max(warning.to, warning.from + 1)))
          continue;
        diagnostics.push({
          from: warning.from,
          to: Math.max(warning.to, warning.from),
          severity: 'warning',
          message: `${warning.message} [${warning.code}]`,
        });
      }
    }
    return diagnostics.sort((a, b) => a.from - b.from);
  };
}
