/**
 * `npm run parse -- [--json] [--diagnostics] FILE...`: parses scene files and
 * prints one line per file; with `--json` each line is
 * `{"file","errors","warnings","ms","diagnostics":[...]}` (diagnostics as in
 * ast.ts). `--diagnostics` adds a `file:line:column: severity CODE message`
 * line per diagnostic to the plain output. Exits 0 only when no file has
 * errors (2 for a usage error). Run through scripts/parse.mjs, which builds
 * the parser first.
 */
import { readFile } from 'node:fs/promises';
import type { Diagnostic } from '../app/scene/syntax/ast.ts';
import { loadParserModuleForNode } from './node-parser.ts';

interface FileReport {
  file: string;
  errors: number;
  warnings: number;
  ms: number;
  diagnostics: Diagnostic[];
  /** Set when the file could not be read (counts as one error). */
  readError?: string;
}

const USAGE = 'usage: npm run parse -- [--json] [--diagnostics] FILE...';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function plainLine(report: FileReport): string {
  if (report.readError) return `${report.file}: cannot read: ${report.readError}`;
  const first = report.diagnostics.find((d) => d.severity === 'error');
  const summary = `${report.file}: ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}, ${report.ms.toFixed(2)} ms`;
  return first ? `${summary}; first: ${first.line}:${first.column} ${first.code} ${first.message}` : summary;
}

async function main(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const listDiagnostics = args.includes('--diagnostics');
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--json' && arg !== '--diagnostics');
  const files = args.filter((arg) => !arg.startsWith('--'));
  if (unknown.length > 0 || files.length === 0) {
    console.error(unknown.length > 0 ? `unknown option ${unknown.join(' ')}\n${USAGE}` : USAGE);
    return 2;
  }
  const parser = await loadParserModuleForNode();
  // Warm up once so the first file's time is not the engine's start-up.
  parser.parse('object "Warm" { x: 1 }');
  let failed = false;
  for (const file of files) {
    let report: FileReport;
    try {
      const text = await readFile(file, 'utf8');
      const t0 = performance.now();
      const result = parser.parse(text);
      const ms = Math.round((performance.now() - t0) * 1000) / 1000;
      report = { file, errors: result.errors, warnings: result.warnings, ms, diagnostics: result.diagnostics };
    } catch (error) {
      const readError = error instanceof Error ? error.message : String(error);
      report = { file, errors: 1, warnings: 0, ms: 0, diagnostics: [], readError };
    }
    failed ||= report.errors > 0;
    console.log(json ? JSON.stringify(report) : plainLine(report));
    if (listDiagnostics && !json) {
      for (const d of report.diagnostics) {
        console.log(`${file}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message}`);
      }
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
