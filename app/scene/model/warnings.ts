/**
 * Collects what the runtime reports about a well-formed script (RT1: always
 * warnings, never errors), capped at MAX_WARNINGS, and the limits the script
 * ran into (one notice per rule).
 */
import type { Span } from '../syntax/ast.ts';
import { MAX_WARNINGS } from './limits.ts';
import type { LimitNotice, SceneWarning, WarningCode } from './scene-model.ts';

export class WarningCollector {
  readonly warnings: SceneWarning[] = [];
  readonly limits: LimitNotice[] = [];
  readonly unsupported = new Set<string>();
  dropped = 0;
  /** A template's property warns once, not once per object using it. */
  private readonly seen = new Set<string>();

  add(code: WarningCode, message: string, span: Span): void {
    const key = `${code}:${span.from}:${span.to}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.warnings.length >= MAX_WARNINGS) {
      this.dropped++;
      return;
    }
    this.warnings.push({ code, message, from: span.from, to: span.to });
  }

  /** Records a limit once per rule; the warning points at the first place it hit. */
  limit(rule: string, message: string, span: Span): void {
    if (this.limits.some((notice) => notice.rule === rule)) return;
    this.limits.push({ rule, message });
    this.add('LIMIT', `${message} (${rule})`, span);
  }

  unsupportedName(name: string): void {
    this.unsupported.add(name);
  }
}
