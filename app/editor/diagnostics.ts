/**
 * Live diagnostics for the script editor from a pluggable source (the
 * WebAssembly parser's worker pool in the app; anything with the same shape in
 * tests). The source is asked again after each pause in typing; only the
 * latest request's answer is shown (an older answer that arrives late is
 * dropped), and the marks shown move with the text typed meanwhile (EDIT4).
 *
 * @example
 *   const runner = diagnosticsRunner(async (text) => (await pool.parse(text)).diagnostics.map(toScriptDiagnostic), {
 *     onShow: (list) => view.showDiagnostics(list),
 *   });
 *   runner.schedule(() => textarea.value);
 */
import { mapOffset, type TextChange } from './text-diff.ts';

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
export function clampDiagnostic(diagnostic: ScriptDiagnostic, length: number): ScriptDiagnostic {
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

/** A diagnostic moved along with an edit made after it was computed. */
export function mapDiagnostic(diagnostic: ScriptDiagnostic, change: TextChange): ScriptDiagnostic {
  return { ...diagnostic, from: mapOffset(diagnostic.from, change), to: mapOffset(diagnostic.to, change) };
}

export interface DiagnosticsOptions {
  /** Shows a list (clamped into the text it was computed for). */
  onShow(list: readonly ScriptDiagnostic[]): void;
  /** Called with each list that reaches the editor (for counts in the panel). */
  onResults?(list: readonly ScriptDiagnostic[]): void;
  /** Called when the source fails; the previous marks stay. */
  onError?(error: Error): void;
  delayMs?: number;
}

export interface DiagnosticsRunner {
  /** Asks again after a pause in typing; `read` gives the text then. */
  schedule(read: () => string): void;
  destroy(): void;
}

export function diagnosticsRunner(source: DiagnosticsSource, options: DiagnosticsOptions): DiagnosticsRunner {
  const latest = latestWins(source);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;
  let edits = 0;
  return {
    schedule(read) {
      edits++;
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const text = read();
        const asked = edits;
        try {
          const result = await latest(text);
          // Superseded, or the text changed while the source worked: a newer run follows.
          if (result === undefined || destroyed || asked !== edits) return;
          options.onShow(result.map((d) => clampDiagnostic(d, text.length)));
          options.onResults?.(result);
        } catch (error) {
          if (!destroyed) options.onError?.(error as Error);
        }
      }, options.delayMs ?? LINT_DELAY_MS);
    },
    destroy() {
      destroyed = true;
      clearTimeout(timer);
    },
  };
}
