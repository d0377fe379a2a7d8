// `npm run parse` end to end: a child process running the CLI on real files.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'wasm-parser/tests/data');

function parseCli(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tools/parse-cli.ts'), ...args], {
    cwd: DATA,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, lines: result.stdout.trim().split('\n'), stderr: result.stderr };
}

describe('parse CLI', () => {
  it('prints one JSON line per file and exits 1 when a file has errors', () => {
    const { status, lines } = parseCli('--json', 'ok/values.holo', 'err/missing-colon.holo', 'ok/unknown-blocks.holo');
    expect(status).toBe(1);
    const reports = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(reports.map((r) => [r.file, r.errors, r.warnings])).toEqual([
      ['ok/values.holo', 0, 0],
      ['err/missing-colon.holo', 1, 0],
      ['ok/unknown-blocks.holo', 0, 3],
    ]);
    expect(Object.keys(reports[1] ?? {})).toEqual(['file', 'errors', 'warnings', 'ms', 'diagnostics']);
    expect(reports[1]?.diagnostics).toMatchObject([{ code: 'SYN3', line: 5, column: 5 }]);
  });

  it('exits 0 when no file has errors (warnings allowed), one plain line per file', () => {
    const { status, lines } = parseCli('ok/handlers.holo', 'ok/unknown-blocks.holo');
    expect(status).toBe(0);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ok\/unknown-blocks\.holo: 0 errors, 3 warnings, [\d.]+ ms$/);
  });

  it('a missing file counts as an error; no files is a usage error', () => {
    const missing = parseCli('--json', 'nope.holo');
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.lines[0] ?? '{}')).toMatchObject({ file: 'nope.holo', errors: 1 });
    expect(parseCli().status).toBe(2);
  });
});
