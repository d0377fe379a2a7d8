/**
 * Live diagnostics for the script editor from a pluggable source (the
 * WebAssembly parser's worker pool in the app; anything with the same shape in
 * tests). The source is asked again after each pause in typing; only the
 * latest request's answer is shown (an older answer that arrives late is
 * dropped), so marks never lag behind what is on screen.
 *
 * @example
 *   const lint = diagnosticsExtension(async (text) => (await pool.parse(text)).diagnostics.map(toScriptDiagnostic));
 */

import { type Diagnostic, linter, lintGutter } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';

type Severity = 'error' | 'warning' | 'info';

/** One problem in the script, as UTF-16 offsets into the text. */
export interface ScriptDiagnostic {
  from: number;
  to: number;
  severity: Severity;
  message: string;
}

/**
 * Produces diagnostics for a script; may be slow. Resolves `undefined` when a
 * newer request superseded this one (the parser's worker pool does that).
 */
export type DiagnosticsSource = (text: string) => Promise<readonly ScriptDiagnostic[] | undefined>;

/** Pause in typing before asking again (ms). */
const LINT_DELAY_MS = 150;

/**
 * Wraps a source so only the newest call's answer counts: an older call
 * resolves to `undefined` once a newer one has started.
 */
export function latestWins(
  source: DiagnosticsSource,
): (text: string) => Promise<readonly ScriptDiagnostic[] | undefined> {
  let generation = 0;
  return async (text) => {
    const mine = ++generation;
    const result = await source(text);
    return mine === generation ? result : undefined;
  };
}

/** Clamps a diagnostic into the document (a source may answer for an older, longer text). */
export function clampDiagnostic(diagnostic: ScriptDiagnostic, length: number): Diagnostic {
  const from = Math.max(0, Math.min(diagnostic.from, length));
  const to = Math.max(from, Math.min(diagnostic.to, length));
  return { from, to, severity: diagnostic.severity, message: diagnostic.message };
}

/** 1-based line and 0-based UTF-16 column to an offset, for sources that report positions. */
export function lineColumnToOffset(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  return Math.min(offset + Math.max(0, column), lineEnd < 0 ? text.length : lineEnd);
}

export interface DiagnosticsOptions {
  /** Called with each list that reaches the editor (for counts in the panel). */
  onResults?(list: readonly ScriptDiagnostic[]): void;
  /** Called when the source fails; the previous marks stay. */
  onError?(error: Error): void;
}

/** The CodeMirror extension: lint marks, gutter markers and hover messages. */
export function diagnosticsExtension(source: DiagnosticsSource, options: DiagnosticsOptions = {}): Extension {
  const latest = latestWins(source);
  let shown: readonly Diagnostic[] = [];
  const run = async (view: EditorView): Promise<readonly Diagnostic[]> => {
    const text = view.state.doc.toString();
    try {
      const result = await latest(text);
      // Superseded: keep what is shown; CodeMirror also drops answers for an old document.
      if (result === undefined) return shown;
      shown = result.map((d) => clampDiagnostic(d, text.length));
      options.onResults?.(result);
      return shown;
    } catch (error) {
      options.onError?.(error as Error);
      return shown;
    }
  };
  return [linter(run, { delay: LINT_DELAY_MS }), lintGutter()];
}
