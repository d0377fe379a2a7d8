// The event-loop delay lines a server prints when LOOP_DELAY_REPORT_MS is set (server/loop-delay.ts).
import { afterEach, expect, it } from 'vitest';
import { readConfig, readLoopDelayReportMs } from './config.ts';
import { LOOP_DELAY_LINE, readLoopDelay, reportLoopDelay } from './loop-delay.ts';

let stop: (() => void) | undefined;
afterEach(() => stop?.());

const INTERVAL_MS = 100;
const BLOCK_MS = 80;
const WAIT_LIMIT_MS = 3_000;

it('[RELAY13] a main thread held for 80 ms shows as a delay of at least that in the next interval line', async () => {
  const lines: string[] = [];
  stop = reportLoopDelay(INTERVAL_MS, (line) => lines.push(line));
  // The histogram's own timer starts with the loop's next turn.
  await new Promise((resolve) => setTimeout(resolve, 10));
  const blockedAt = Date.now();
  while (Date.now() - blockedAt < BLOCK_MS) {
    // Holds the thread, as a long synchronous handler would.
  }
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (lines.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(lines[0]?.startsWith(LOOP_DELAY_LINE)).toBe(true);
  const [sample] = readLoopDelay(lines.join(''), blockedAt, Date.now());
  expect(sample?.maxMs).toBeGreaterThanOrEqual(BLOCK_MS - 5);
  expect(sample?.p99).toBeGreaterThanOrEqual(sample?.p50 ?? Number.POSITIVE_INFINITY);
  expect(sample?.busy).toBeGreaterThan(0);
});

it('[RELAY13] the lines are off unless LOOP_DELAY_REPORT_MS is set, and a bad value is a configuration error', () => {
  expect(readLoopDelayReportMs({})).toBe(0);
  expect(readLoopDelayReportMs({ LOOP_DELAY_REPORT_MS: '250' })).toBe(250);
  expect(() => readLoopDelayReportMs({ LOOP_DELAY_REPORT_MS: 'soon' })).toThrow(/LOOP_DELAY_REPORT_MS/);
  expect(() => readLoopDelayReportMs({ LOOP_DELAY_REPORT_MS: '-1' })).toThrow(/LOOP_DELAY_REPORT_MS/);
  // Not part of the server's own configuration: it changes nothing the server does.
  expect(Object.keys(readConfig({ LOOP_DELAY_REPORT_MS: '250' }, '/tmp'))).not.toContain('loopDelayReportMs');
});

it('[RELAY13] readLoopDelay keeps the lines of the window asked for and ignores the server’s other output', () => {
  const line = (at: number) => `${LOOP_DELAY_LINE}${JSON.stringify({ at, p50: 1, p99: 2, maxMs: 3, busy: 0.1 })}`;
  const output = [
    'Holoroom listening on http://127.0.0.1:1',
    line(1_000),
    line(2_000),
    'warn relay x',
    line(3_000),
  ].join('\n');
  expect(readLoopDelay(output, 1_500, 3_000).map((s) => s.at)).toEqual([2_000, 3_000]);
});
