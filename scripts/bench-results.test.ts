// [BENCH1] latest.json holds the metrics of the run that wrote it; older figures
// stay per benchmark file in runs/, with when and at which commit they were made.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRunRecords, writeBenchResults } from './lib/bench-results.mjs';

const dirs: string[] = [];
function resultsDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'holoroom-bench-results-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

describe('bench results', () => {
  it('[BENCH1] a filtered run writes only its own metrics to latest.json; the others stay in runs/ with their date', () => {
    const dir = resultsDir();
    writeBenchResults(
      dir,
      [
        { file: 'parse.bench.ts', ok: true, metrics: { 'parse.node_1000_lines_ms': 0.4 } },
        { file: 'pose60.bench.ts', ok: true, metrics: { 'pose.rate_hz_60': 59.9 } },
      ],
      { ranAt: '2026-12-06T20:00:00.000Z', commit: 'aaaaaaa' },
    );
    const { latest, earlier } = writeBenchResults(
      dir,
      [{ file: 'pose60.bench.ts', ok: true, metrics: { 'pose.rate_hz_60': 58.1 } }],
      { ranAt: '2026-12-07T01:00:00.000Z', commit: 'bbbbbbb' },
    );
    expect(latest).toEqual({ 'pose.rate_hz_60': 58.1 });
    expect(readJson(path.join(dir, 'latest.json'))).toEqual({ 'pose.rate_hz_60': 58.1 });
    expect(earlier).toEqual([
      {
        file: 'parse.bench.ts',
        ranAt: '2026-12-06T20:00:00.000Z',
        commit: 'aaaaaaa',
        ok: true,
        metrics: { 'parse.node_1000_lines_ms': 0.4 },
      },
    ]);
    expect(readJson(path.join(dir, 'runs', 'pose60.json'))).toMatchObject({ ranAt: '2026-12-07T01:00:00.000Z' });
  });

  it('[BENCH1] a file that failed this run keeps no figures of an earlier run, anywhere', () => {
    const dir = resultsDir();
    writeBenchResults(dir, [{ file: 'pose60.bench.ts', ok: true, metrics: { 'pose.rate_hz_60': 59.9 } }], {
      ranAt: '2026-12-06T20:00:00.000Z',
      commit: 'aaaaaaa',
    });
    const { latest, earlier } = writeBenchResults(dir, [{ file: 'pose60.bench.ts', ok: false, metrics: {} }], {
      ranAt: '2026-12-07T01:00:00.000Z',
      commit: 'bbbbbbb',
    });
    expect(latest).toEqual({});
    expect(earlier).toEqual([]);
    expect(readRunRecords(path.join(dir, 'runs'))).toEqual([
      { file: 'pose60.bench.ts', ranAt: '2026-12-07T01:00:00.000Z', commit: 'bbbbbbb', ok: false, metrics: {} },
    ]);
  });

  it('skips a damaged record instead of failing the run', () => {
    const dir = resultsDir();
    writeBenchResults(dir, [], { ranAt: '2026-12-07T01:00:00.000Z', commit: 'bbbbbbb' });
    writeFileSync(path.join(dir, 'runs', 'broken.json'), '{ not json');
    expect(readRunRecords(path.join(dir, 'runs'))).toEqual([]);
  });
});
