/**
 * What a drawing page's main thread does to the messages it receives, measured in the receiving
 * page while a benchmark step runs (docs/transports.md, "Measured", the drawing receiver):
 *   wait      a dedicated worker posts its clock every PROBE_EVERY_MS; the page records how long
 *             each message waited for the main thread to run its handler (the browser had it at
 *             once: the worker's thread is free). A data channel message or a WebSocket frame is
 *             such a task from another thread too, so this is the queueing a pose batch meets.
 *   drawnAge  in every frame the room runs, for each peer, the age of the newest pose batch
 *             received from it (its one-way latency when it was handled plus the time since): what
 *             a person sees is at least that old.
 *   busy      the main thread's share of time running tasks (DevTools `Performance.getMetrics`,
 *             TaskDuration).
 */
import type { Page } from 'playwright-core';
import { median, p95 } from './stats.ts';

/** How often the probe worker posts (a message every 4 ms: 250 a second, half the 8 senders' rate). */
const PROBE_EVERY_MS = 4;

/** Installed in the page (no named functions inside: the page gets this function's source as it is). */
const START = (probeEveryMs: number) => {
  type Link = { peerId: number };
  type Channel = { receive(bytes: Uint8Array, link: Link): unknown; latencyLog: number[] | null };
  type Stats = { frames: number };
  const w = window as unknown as {
    __holoroom: { pose: { channel: Channel }; frameStats: Stats };
    __mainThreadWait: { waits: number[]; ages: number[]; longTasks: number[]; stop(): void };
  };
  const clock = () => performance.timeOrigin + performance.now();
  const waits: number[] = [];
  const ages: number[] = [];
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (longTasks.length < 100_000) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  const source = `setInterval(() => postMessage(performance.timeOrigin + performance.now()), ${probeEveryMs});`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url);
  worker.onmessage = (event: MessageEvent<number>) => {
    if (waits.length < 100_000) waits.push(clock() - event.data);
  };
  // The newest batch per peer: its latency when handled and when that was.
  const newest = new Map<number, { latency: number; at: number }>();
  const channel = w.__holoroom.pose.channel;
  const receive = channel.receive.bind(channel);
  channel.receive = (bytes, link) => {
    const log = channel.latencyLog;
    const before = log?.length ?? 0;
    const result = receive(bytes, link);
    const latency = log && log.length > before ? log[log.length - 1] : undefined;
    if (latency !== undefined) newest.set(link.peerId, { latency, at: performance.now() });
    return result;
  };
  // A frame counts itself (step 10 of the room's frame) after sampling the avatars: their age then.
  const stats = w.__holoroom.frameStats;
  let frames = stats.frames;
  Object.defineProperty(stats, 'frames', {
    configurable: true,
    get: () => frames,
    set: (value: number) => {
      frames = value;
      const now = performance.now();
      for (const { latency, at } of newest.values()) if (ages.length < 100_000) ages.push(latency + now - at);
    },
  });
  w.__mainThreadWait = {
    waits,
    ages,
    longTasks,
    stop: () => {
      observer.disconnect();
      worker.terminate();
      URL.revokeObjectURL(url);
      Object.defineProperty(stats, 'frames', { configurable: true, writable: true, value: frames });
    },
  };
};

export interface MainThreadWait {
  /** A message's wait for the main thread, p50 / p95 (ms). */
  waitP50Ms: number;
  waitP95Ms: number;
  /** Age of the newest pose in a frame, p50 / p95 (ms). */
  drawnAgeP50Ms: number;
  drawnAgeP95Ms: number;
  /** Percent of the time the main thread ran tasks. */
  busyPct: number;
  /** Tasks of 50 ms or more (the page's long tasks): how many a second, their median and longest (ms). */
  longTasksPerSecond: number;
  longTaskP50Ms: number;
  longTaskMaxMs: number;
}

/**
 * A reader of the seconds `page`'s main thread has spent running tasks so far (DevTools
 * `Performance.getMetrics` TaskDuration); the difference of two readings over the time between
 * them is the thread's busy share.
 */
export async function mainThreadTaskSeconds(page: Page): Promise<{ read(): Promise<number>; detach(): Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return {
    async read() {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN;
    },
    detach: () => cdp.detach(),
  };
}

/**
 * Starts measuring in `page` (its room open, its pose channel's `latencyLog` an array); the
 * returned function stops and reads the figures.
 */
export async function watchMainThread(page: Page): Promise<() => Promise<MainThreadWait>> {
  const tasks = await mainThreadTaskSeconds(page);
  const busyBefore = await tasks.read();
  const startedAt = performance.now();
  await page.evaluate(START, PROBE_EVERY_MS);
  return async () => {
    const busy = (await tasks.read()) - busyBefore;
    const seconds = (performance.now() - startedAt) / 1000;
    const { waits, ages, longTasks } = await page.evaluate(() => {
      type Watch = { waits: number[]; ages: number[]; longTasks: number[]; stop(): void };
      const watch = (window as unknown as { __mainThreadWait: Watch }).__mainThreadWait;
      watch.stop();
      return { waits: watch.waits, ages: watch.ages, longTasks: watch.longTasks };
    });
    await tasks.detach();
    return {
      waitP50Ms: median(waits),
      waitP95Ms: p95(waits),
      drawnAgeP50Ms: median(ages),
      drawnAgeP95Ms: p95(ages),
      busyPct: (busy / seconds) * 100,
      longTasksPerSecond: longTasks.length / seconds,
      longTaskP50Ms: median(longTasks),
      longTaskMaxMs: Math.max(0, ...longTasks),
    };
  };
}
