// Where `npm run bench` puts its numbers, so that every number says which run
// made it (docs/performance.md, BENCH1):
//   bench/results/latest.json        flat "metric.name": number, the metrics of THIS run only
//   bench/results/runs/<name>.json   each benchmark file's last run: when, at which commit,
//                                    whether it passed, and its metrics
// A filtered run (`npm run bench -- pose60`) therefore leaves the other files'
// older figures in runs/, with their dates, and never mixes them into latest.json.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * @typedef {{ file: string, ok: boolean, metrics: Record<string, number> }} FileRun
 * @typedef {{ file: string, ranAt: string, commit: string, ok: boolean, metrics: Record<string, number> }} RunRecord
 */

/** @param {string} file  e.g. `pose60.bench.ts` */
function recordName(file) {
  return `${file.replace(/\.bench\.ts$/, '')}.json`;
}

/** @param {Record<string, number>} metrics */
function sortedMetrics(metrics) {
  return Object.fromEntries(Object.entries(metrics).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Writes this run's results under `dir` and returns what was written.
 * @param {string} dir  bench/results
 * @param {FileRun[]} runs  the benchmark files of this run, in order
 * @param {{ ranAt: string, commit: string }} stamp
 * @returns {{ latest: Record<string, number>, earlier: RunRecord[] }}
 */
export function writeBenchResults(dir, runs, stamp) {
  const runsDir = path.join(dir, 'runs');
  mkdirSync(runsDir, { recursive: true });
  /** @type {Record<string, number>} */
  const latest = {};
  for (const run of runs) {
    Object.assign(latest, run.metrics);
    /** @type {RunRecord} */
    const record = {
      file: run.file,
      ranAt: stamp.ranAt,
      commit: stamp.commit,
      ok: run.ok,
      metrics: sortedMetrics(run.metrics),
    };
    writeFileSync(path.join(runsDir, recordName(run.file)), `${JSON.stringify(record, null, 2)}\n`);
  }
  const sorted = sortedMetrics(latest);
  writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(sorted, null, 2)}\n`);
  const ranNow = new Set(runs.map((run) => recordName(run.file)));
  return { latest: sorted, earlier: readRunRecords(runsDir).filter((record) => !ranNow.has(recordName(record.file))) };
}

/**
 * The last run of every benchmark file that has one; unreadable records are skipped.
 * @param {string} runsDir
 * @returns {RunRecord[]}
 */
export function readRunRecords(runsDir) {
  if (!existsSync(runsDir)) return [];
  /** @type {RunRecord[]} */
  const records = [];
  for (const name of readdirSync(runsDir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    try {
      records.push(JSON.parse(readFileSync(path.join(runsDir, name), 'utf8')));
    } catch {
      console.warn(`bench: ${name} in ${runsDir} is not readable JSON; left out`);
    }
  }
  return records;
}
