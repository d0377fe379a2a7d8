/**
 * LOOP_DELAY_REPORT_MS (off unless set; a measuring aid, docs/transports.md
 * "Measuring at 60 Hz"): the main thread's event-loop delay, one line per
 * interval on stdout. This thread reads and forwards every relayed pose frame
 * (server/relay.ts), beside HTTP, signaling and the sync sockets' traffic, so
 * a relayed pose waits out whatever delay this line shows.
 *
 * Rule (id cited by server/loop-delay.test.ts):
 *   RELAY13 with LOOP_DELAY_REPORT_MS set, every interval prints
 *           `loop delay {"at":<epoch ms>,"p50":..,"p99":..,"maxMs":..,"busy":..}`: the delay's
 *           percentiles and maximum in ms over that interval, and the share of it the loop was busy.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export const LOOP_DELAY_LINE = 'loop delay ';

export interface LoopDelaySample {
  /** End of the interval, ms since the epoch. */
  at: number;
  p50: number;
  p99: number;
  maxMs: number;
  /** Event-loop utilization over the interval, 0-1. */
  busy: number;
}

/** Starts the reporter; `write` gets one line per interval. Returns a stop. */
export function reportLoopDelay(intervalMs: number, write: (line: string) => void): () => void {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let utilization = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const sample: LoopDelaySample = {
      at: Date.now(),
      p50: round(histogram.percentile(50) / 1e6),
      p99: round(histogram.percentile(99) / 1e6),
      maxMs: round(histogram.max / 1e6),
      busy: round(performance.eventLoopUtilization(now, utilization).utilization),
    };
    utilization = now;
    histogram.reset();
    write(`${LOOP_DELAY_LINE}${JSON.stringify(sample)}\n`);
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    histogram.disable();
  };
}

/** The samples in `output` (a server's stdout) whose interval ended in [from, to] (ms since the epoch). */
export function readLoopDelay(output: string, from: number, to: number): LoopDelaySample[] {
  const samples: LoopDelaySample[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith(LOOP_DELAY_LINE)) continue;
    const sample = JSON.parse(line.slice(LOOP_DELAY_LINE.length)) as LoopDelaySample;
    if (sample.at >= from && sample.at <= to) samples.push(sample);
  }
  return samples;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
