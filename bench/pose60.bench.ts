/**
 * The pose path at 60 Hz with 8 senders, measured apart from the renderer
 * (docs/transports.md, "Measuring at 60 Hz"). The SENDERS are room members in
 * Node, each its own process (testing/room/node-pose-peer.ts): the page's own
 * room, PoseChannel, scheduler, codecs and transports, frames on the 60 Hz
 * timer of a `?render=off` page, a new head pose every frame; WebRTC over
 * node-datachannel (TRN12). One receiving Chromium page (its own context)
 * measures, for MEASURE_MS:
 *   pose.rate_hz_60, pose.rate_hz_60_min   distinct samples (batches) received
 *                                          per second per sender: mean, slowest
 *   pose.latency_{p50,p95}_ms_60           sample time to decoded at the receiver
 *                                          (clock offset from PING/PONG), over WebRTC,
 *                                          the receiver with `?render=off`
 *   pose.relay_*_60                        the same with `?webrtc=off` everywhere:
 *                                          the server relay
 *   pose.*_60_rendering                    the same over WebRTC, but the receiver
 *                                          draws the room (320x200, software GL):
 *                                          a message waits behind frames
 *   pose.fps_60_rendering                  the frames a second that page drew
 *   pose.*_60_rendering_gpu_compositing    the drawing steps again in a browser
 *                                          started without `--disable-gpu`, which
 *                                          composites on SwiftShader in its GPU
 *                                          process (the run fails if Chromium says
 *                                          otherwise): the receiver's main thread no
 *                                          longer reads each WebGL picture back
 *                                          (docs/performance.md, "The drawing page's
 *                                          main thread")
 *   pose.node_senders_cpu_pct_60,          what the 8 sender processes cost
 *   pose.relay_node_senders_cpu_pct_60     (their CPU time, % of one core)
 *   the figures above without `_rendering` are those of senders that have pose
 *   links only to the receiver (`mesh: false`: 8 people are 8 machines; here the
 *   senders' mesh would share the receiver's two cores); the same figures with
 *   the suffix `_mesh` come from senders that also send to each other (every
 *   member to every other, 56 links), in the same run. The drawing steps keep
 *   the full mesh.
 *   pose.*_60_one_sender                   one sender PAGE and one receiver page:
 *                                          the browser-to-browser path
 *   pose.*main_thread_wait_p95_ms_60*,     each step with Node senders, the receiving page's
 *   pose.*main_thread_busy_pct_60*,        main thread (bench/harness/main-thread-wait.ts): how
 *   pose.*drawn_pose_age_{p50,p95}_ms_60*  long a message from another thread waited for it, its
 *                                          busy share, the age of the newest pose in a frame
 *   pose.*server_loop_{delay_p99_ms,       the server's main thread in the not-drawing steps with
 *   delay_max_ms,busy_pct}_60*             Node senders (RELAY13, LOOP_DELAY_REPORT_MS): the worst
 *                                          250 ms interval's p99 event-loop delay, the longest
 *                                          delay, its busy share; a relayed pose waits that out
 * Every page uses `?seed=off` (an empty room: no lobby to parse and draw).
 */
import { loadavg } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import type { WebrtcAttemptReport } from '../app/pose/transports/webrtc-transport.ts';
import { expectCompositing, launchBrowser, newContext } from '../e2e/harness/browser.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import { readLoopDelay } from '../server/loop-delay.ts';
import type { NodePosePeerReport } from '../testing/room/node-pose-peer.ts';
import { type NodePosePeer, startNodePosePeers, stopNodePosePeers } from '../testing/room/node-pose-peers.ts';
import { type MainThreadWait, watchMainThread } from './harness/main-thread-wait.ts';
import { median, p95 } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';

const SENDERS = 8;
const MEASURE_MS = 5_000;
/** The server's event-loop delay lines (RELAY13): one per this many ms. */
const LOOP_DELAY_REPORT_MS = 250;
const CONNECT_TIMEOUT_MS = 90_000;

/** Moves the page's head on a circle every animation frame (the desktop view, which the frame copies). */
const MOVE_HEAD = () => {
  type View = { position: { set(x: number, y: number, z: number): void }; yaw: number; pitch: number };
  const handle = window as unknown as { __holoroom: { view?: View } };
  const view = handle.__holoroom.view;
  if (!view) throw new Error('benchmark: the page has no desktop view to move');
  const phase = Math.random() * 6;
  const step = () => {
    const t = performance.now() / 1000 + phase;
    view.position.set(Math.sin(t) * 3, 1.7, Math.cos(t) * 3);
    view.yaw = t;
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
};

/**
 * Counts each sender's batches on the receiving page (KIND_BATCH is byte 1) and starts the latency
 * log; the window is timed on the page's clock (`__countedFrom`): a round trip to the page under
 * load is tens of milliseconds, which timed from here would read as a lower rate.
 */
const COUNT_BATCHES = () => {
  type Link = { peerId: number };
  type Channel = { receive(bytes: Uint8Array, link: Link): unknown; latencyLog: number[] | null };
  type Seq = { expected: number; received: number };
  const w = window as unknown as {
    __holoroom: {
      pose: { channel: Channel & { peers: Map<number, { stats: { seq: Seq } }> } };
      frameStats: { frames: number };
    };
    __batches: Record<number, number>;
    __countedFrom: { at: number; frames: number; seq: Seq };
  };
  const channel = w.__holoroom.pose.channel;
  w.__batches = {};
  const seq = { expected: 0, received: 0 };
  for (const peer of channel.peers.values()) {
    seq.expected += peer.stats.seq.expected;
    seq.received += peer.stats.seq.received;
  }
  w.__countedFrom = { at: performance.now(), frames: w.__holoroom.frameStats.frames, seq };
  const receive = channel.receive.bind(channel);
  channel.receive = (bytes, link) => {
    if (bytes[1] === 1) w.__batches[link.peerId] = (w.__batches[link.peerId] ?? 0) + 1;
    return receive(bytes, link);
  };
  channel.latencyLog = [];
};

async function transports(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Channel = { stats(): { transport: string }[] };
    const channel = (window as unknown as { __holoroom?: { pose?: { channel: Channel } } }).__holoroom?.pose?.channel;
    return channel ? channel.stats().map((s) => s.transport) : [];
  });
}

/**
 * What a page has: per peer the link in use and the links there are, the channel's TRN8 counters,
 * and each WebRTC attempt that has no open pose channel (`only` 'waiting') with its states and
 * awake age, and how long the page stalled (TRN11).
 */
async function linkReport(page: Page, only: 'all' | 'waiting' = 'all'): Promise<string> {
  return page.evaluate((only) => {
    type Attempt = WebrtcAttemptReport;
    type Inspection = {
      pose?: {
        channel: {
          stats(): { transport: string; links: string[] }[];
          counters: { silentSwitches: number; recoveries: number; linkRestarts: number };
        };
        webrtc?: { report(): { stalledMs: number; attempts: Attempt[] }; state: { get(): { retries: number } } };
      };
    };
    const pose = (window as unknown as { __holoroom?: Inspection }).__holoroom?.pose;
    if (!pose) return 'no pose channel';
    const peers = pose.channel.stats().map((s) => `${s.transport}(${s.links.join('+')})`);
    const { silentSwitches, recoveries, linkRestarts } = pose.channel.counters;
    const lines = [
      `[${peers.join(', ')}] silentSwitches ${silentSwitches}, recoveries ${recoveries}, linkRestarts ${linkRestarts}`,
    ];
    const webrtc = pose.webrtc;
    if (webrtc) {
      const { stalledMs, attempts } = webrtc.report();
      const shown = attempts.filter((a) => only === 'all' || a.poseChannel !== 'open');
      lines.push(
        `  WebRTC: ${attempts.length} attempts, ${attempts.length - shown.length} not shown (pose channel open), ` +
          `${webrtc.state.get().retries} given up, page stalled ${stalledMs} ms in all`,
      );
      for (const a of shown) {
        lines.push(
          `    ${a.remoteId.slice(0, 8)} ${Math.round(a.ageMs / 1000)} s: y-webrtc ${a.connected ? 'up' : 'down'}, ` +
            `signaling ${a.signaling}, ice ${a.ice}, connection ${a.connection}, pose channel ${a.poseChannel}`,
        );
      }
    }
    return lines.join('\n');
  }, only);
}

/** Polls `check` for CONNECT_TIMEOUT_MS; a timeout says what `describe` saw last. */
async function waitFor(check: () => Promise<boolean>, what: string, describe: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`benchmark: timed out waiting for ${what}; seen: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The receiver's count of links it passed over as silent (TRN8, `PoseChannel.counters`). */
function silentSwitches(page: Page): Promise<number> {
  return page.evaluate(() => {
    type Channel = { counters: { silentSwitches: number } };
    return (window as unknown as { __holoroom: { pose: { channel: Channel } } }).__holoroom.pose.channel.counters
      .silentSwitches;
  });
}

async function openPage(browser: Browser, url: string, name: string): Promise<Page> {
  const context = await newContext(browser, { name });
  await context.addInitScript('window.__name = (fn) => fn;');
  const page = await context.newPage();
  await page.setViewportSize({ width: 320, height: 200 });
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __holoroom?: { view?: unknown } }).__holoroom?.view);
  return page;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

interface Measured {
  rates: number[];
  latencies: number[];
  /** Frames the page ran a second: drawn when it draws, its 60 Hz timer's when it does not. */
  framesPerSecond: number;
  /** The receiving page's main thread meanwhile (steps with Node senders only). */
  mainThread?: MainThreadWait;
  /** Links the receiver passed over as silent during the window (TRN8); a step that does not draw must end on its transport. */
  silentSwitches: number;
  /** The measuring window, ms since the epoch on this machine's clock (for the server's loop delay lines). */
  window: { from: number; to: number };
}

/** The senders as the receiver waits for them: how many, and what each says when it does not arrive in time. */
interface Senders {
  count: number;
  describe(): Promise<string[]>;
}

const pageSenders = (pages: readonly Page[]): Senders => ({
  count: pages.length,
  describe: () => Promise.all(pages.map(async (page, i) => `Sender ${i + 1}: ${await linkReport(page, 'waiting')}`)),
});

const nodeSenders = (peers: readonly NodePosePeer[]): Senders => ({
  count: peers.length,
  describe: () =>
    Promise.all(
      peers.map(async (peer) => {
        const { transports, batchesIn, frames } = await peer.report();
        const links = transports.map((t) => `${t.name}:${t.transport}`).join(', ');
        return `${peer.name} (Node, ${frames} frames): [${links}] batches in ${JSON.stringify(batchesIn)}`;
      }),
    ),
});

/** Opens a receiver, waits until every sender reaches it over `transport`, measures MEASURE_MS, closes it. */
async function receive(
  browser: Browser,
  url: string,
  transport: string,
  name: string,
  senders: Senders,
  during?: () => Promise<void>,
  watch = false,
): Promise<Measured> {
  // A drawing receiver may pass a WebRTC link over as silent (TRN8) when its frames hold the link's
  // PONGs back longer than the relay's: that is the product working, counted, not a failed run.
  const drawing = !url.includes('render=off');
  const page = await openPage(browser, url, name);
  try {
    const waitStart = Date.now();
    await waitFor(
      async () => {
        const seen = await transports(page);
        return seen.length === senders.count && seen.every((t) => t === transport);
      },
      `${senders.count} senders over ${transport} at ${name}`,
      // The receiver's view, then each sender's (the other end of each pair).
      async () => [`${name}: ${await linkReport(page)}`, ...(await senders.describe())].join('\n'),
    );
    const connectedAfter = Date.now() - waitStart;
    // How it got there: attempts given up on the way and the receiver's stalls (TRN11).
    const howConnected = (await linkReport(page, 'waiting')).split('\n')[1]?.trim() ?? 'no WebRTC';
    await page.evaluate(COUNT_BATCHES);
    const switchesBefore = await silentSwitches(page);
    const stopWatching = watch ? await watchMainThread(page) : undefined;
    const windowFrom = Date.now();
    await Promise.all([new Promise((resolve) => setTimeout(resolve, MEASURE_MS)), during?.()]);
    const { batches, latencies, elapsed, frames, lost } = await page.evaluate(() => {
      type Seq = { expected: number; received: number };
      const w = window as unknown as {
        __batches: Record<number, number>;
        __countedFrom: { at: number; frames: number; seq: Seq };
        __holoroom: {
          pose: { channel: { latencyLog: number[] | null; peers: Map<number, { stats: { seq: Seq } }> } };
          frameStats: { frames: number };
        };
      };
      const { latencyLog, peers } = w.__holoroom.pose.channel;
      const elapsed = (performance.now() - w.__countedFrom.at) / 1000;
      const frames = w.__holoroom.frameStats.frames - w.__countedFrom.frames;
      // Batches sent but not received: gaps in each sender's sequence numbers, over the window.
      let gaps = 0;
      for (const peer of peers.values()) gaps += peer.stats.seq.expected - peer.stats.seq.received;
      const lost = gaps - (w.__countedFrom.seq.expected - w.__countedFrom.seq.received);
      return { batches: { ...w.__batches }, latencies: latencyLog ?? [], elapsed, frames, lost };
    });
    const mainThread = await stopWatching?.();
    const after = await transports(page);
    const switches = (await silentSwitches(page)) - switchesBefore;
    if (!drawing && !after.every((t) => t === transport))
      throw new Error(`benchmark: a sender left ${transport} (${switches} silent switches): ${after}`);
    const rates = Object.values(batches).map((count) => count / elapsed);
    if (rates.length !== senders.count)
      throw new Error(`benchmark: batches from ${rates.length} of ${senders.count} senders`);
    // Each step's figures in the log as it ends: a later step that fails writes no metrics (BENCH1).
    console.log(
      `${name}: all ${senders.count} over ${transport} ${connectedAfter} ms after it opened; ` +
        `rate mean ${mean(rates).toFixed(1)} Hz, min ${Math.min(...rates).toFixed(1)} Hz; ` +
        `latency p50 ${median(latencies).toFixed(1)} ms, p95 ${p95(latencies).toFixed(1)} ms; ` +
        `${lost} batches lost on the way (sequence gaps); ` +
        `${(frames / elapsed).toFixed(1)} frames a second (drawn if it draws); ${howConnected}; ` +
        `${switches} links passed over as silent meanwhile (TRN8), now [${after.join(', ')}]; ` +
        // The machine is shared: its load says how far these figures are the path's.
        `load average ${loadavg()[0]?.toFixed(1)}`,
    );
    if (mainThread) {
      const m = mainThread;
      console.log(
        `${name}: main thread busy ${m.busyPct.toFixed(1)} %; a message's wait for it p50 ${m.waitP50Ms.toFixed(1)} ms, ` +
          `p95 ${m.waitP95Ms.toFixed(1)} ms; newest pose in a frame p50 ${m.drawnAgeP50Ms.toFixed(1)} ms, ` +
          `p95 ${m.drawnAgeP95Ms.toFixed(1)} ms old; long tasks ${m.longTasksPerSecond.toFixed(1)} a second, ` +
          `median ${m.longTaskP50Ms.toFixed(0)} ms, longest ${m.longTaskMaxMs.toFixed(0)} ms`,
      );
    }
    return {
      rates,
      latencies,
      framesPerSecond: frames / elapsed,
      mainThread,
      silentSwitches: switches,
      window: { from: windowFrom, to: Date.now() },
    };
  } finally {
    await page.context().close();
  }
}

/** One sender page (the pair steps), moving its head every animation frame. */
async function openSenderPage(browser: Browser, url: string): Promise<Page> {
  const page = await openPage(browser, url, 'Sender 1');
  await page.evaluate(MOVE_HEAD);
  return page;
}

/**
 * SENDERS Node members of `roomId`; over the relay only when `webrtc` is false; with pose links to
 * each other (`mesh`) or only to the receiver.
 */
function startSenders(
  server: { url: string },
  roomId: string,
  webrtc: boolean,
  mesh: boolean,
): Promise<NodePosePeer[]> {
  const names = Array.from({ length: SENDERS }, (_, i) => `Sender ${i + 1}`);
  return startNodePosePeers(server.url, roomId, names, { webrtc, mesh });
}

/**
 * Measures, while `during` runs, what the sender processes use (their CPU time, % of one core) and
 * the frames each ran per second (a frame missed for lack of CPU is a sample never sent); the log
 * adds, per second and sender, the ticks (send windows reached) and the batches its links took for
 * the receiver, the batches links refused and the gaps of more than 25 ms between frames, so a
 * received rate under 60 is traced to the end that lost it; and the p95 latency the senders see
 * from each other (Node to Node, the same machine and load; none without the mesh).
 */
function senderLoad(peers: readonly NodePosePeer[]): {
  during(): Promise<void>;
  cpuPercent: number;
  frameRates: number[];
  log(step: string): void;
} {
  const senderIds = new Set(peers.map((peer) => peer.peerId));
  const toReceiver = (report: NodePosePeerReport) =>
    report.batchesOut.filter((out) => !senderIds.has(out.peerId)).reduce((n, out) => n + out.batches, 0);
  const range = (xs: readonly number[]) => `mean ${mean(xs).toFixed(1)}, min ${Math.min(...xs).toFixed(1)}`;
  const load = {
    cpuPercent: Number.NaN,
    frameRates: [] as number[],
    tickRates: [] as number[],
    toReceiverRates: [] as number[],
    refused: 0,
    longFrameGaps: 0,
    betweenSendersP95: [] as number[],
    log(step: string) {
      const between = load.betweenSendersP95;
      console.log(
        `${step}: Node senders ${load.cpuPercent.toFixed(1)} % of one core for ${peers.length} processes; ` +
          `a second: frames ${range(load.frameRates)}, ticks ${range(load.tickRates)}, ` +
          `batches to the receiver ${range(load.toReceiverRates)}; ${load.refused} refused by a link; ` +
          `${load.longFrameGaps} gaps of more than 25 ms between frames; ` +
          (between.length
            ? `p95 latency between senders median ${median(between).toFixed(1)} ms, max ${Math.max(...between).toFixed(1)} ms`
            : 'no pose links between senders'),
      );
    },
    async during() {
      const before = await Promise.all(peers.map((peer) => peer.report()));
      await new Promise((resolve) => setTimeout(resolve, MEASURE_MS - 200));
      const after = await Promise.all(peers.map((peer) => peer.report()));
      // Each process's own clock: the reports' round trips do not count.
      const seconds = after.map((report, i) => (report.at - (before[i]?.at ?? 0)) / 1000);
      const cpuMs = after.reduce((sum, report, i) => sum + report.cpuMs - (before[i]?.cpuMs ?? 0), 0);
      load.cpuPercent = cpuMs / 10 / (seconds.reduce((a, b) => a + b, 0) / seconds.length);
      const perSecond = (count: (report: NodePosePeerReport) => number) =>
        after.map((report, i) => {
          const earlier = before[i];
          return (count(report) - (earlier ? count(earlier) : 0)) / (seconds[i] ?? 1);
        });
      load.frameRates = perSecond((report) => report.frames);
      load.tickRates = perSecond((report) => report.ticks);
      load.toReceiverRates = perSecond(toReceiver);
      const total = (count: (report: NodePosePeerReport) => number) =>
        after.reduce((sum, report, i) => {
          const earlier = before[i];
          return sum + count(report) - (earlier ? count(earlier) : 0);
        }, 0);
      load.refused = total((report) => report.batchesOut.reduce((n, out) => n + out.refused, 0));
      load.longFrameGaps = total((report) => report.longFrameGaps);
      load.betweenSendersP95 = after.flatMap((report) =>
        report.transports.filter((t) => t.name.startsWith('Sender')).map((t) => t.latencyP95Ms),
      );
    },
  };
  return load;
}

/** A receiving step from the Node senders `peers`, with what the senders cost during it (logged). */
async function receiveFromNodes(
  browser: Browser,
  url: string,
  transport: string,
  name: string,
  peers: readonly NodePosePeer[],
): Promise<Measured & { sendersCpuPercent: number }> {
  const load = senderLoad(peers);
  const measured = await receive(browser, url, transport, name, nodeSenders(peers), () => load.during(), true);
  load.log(name);
  return { ...measured, sendersCpuPercent: load.cpuPercent };
}

/** The figures of a step whose receiver draws the room, named `pose.<prefix>..._60_rendering<suffix>`. */
const drawingFigures = (prefix: '' | 'relay_', suffix: '' | '_gpu_compositing', m: Measured) => ({
  [`pose.${prefix}rate_hz_60_rendering${suffix}`]: mean(m.rates),
  [`pose.${prefix}latency_p50_ms_60_rendering${suffix}`]: median(m.latencies),
  [`pose.${prefix}latency_p95_ms_60_rendering${suffix}`]: p95(m.latencies),
  [`pose.${prefix}fps_60_rendering${suffix}`]: m.framesPerSecond,
  [`pose.${prefix}silent_switches_60_rendering${suffix}`]: m.silentSwitches,
});

/** The not-drawing figures of a step whose senders send to each other too, named `pose.<prefix>..._mesh`. */
const meshFigures = (prefix: '' | 'relay_', m: Measured & { sendersCpuPercent: number }) => ({
  [`pose.${prefix}rate_hz_60_mesh`]: mean(m.rates),
  [`pose.${prefix}rate_hz_60_min_mesh`]: Math.min(...m.rates),
  [`pose.${prefix}latency_p50_ms_60_mesh`]: median(m.latencies),
  [`pose.${prefix}latency_p95_ms_60_mesh`]: p95(m.latencies),
  [`pose.${prefix}node_senders_cpu_pct_60_mesh`]: m.sendersCpuPercent,
});

/**
 * The receiving page's main thread in a step (docs/transports.md, the drawing receiver): how long a
 * message waited for it (p95), its busy share, and how old the newest pose in a frame was.
 */
const mainThreadFigures = (prefix: '' | 'relay_', suffix: string, m: Measured) => ({
  [`pose.${prefix}main_thread_wait_p95_ms_60${suffix}`]: m.mainThread?.waitP95Ms ?? Number.NaN,
  [`pose.${prefix}main_thread_busy_pct_60${suffix}`]: m.mainThread?.busyPct ?? Number.NaN,
  [`pose.${prefix}drawn_pose_age_p50_ms_60${suffix}`]: m.mainThread?.drawnAgeP50Ms ?? Number.NaN,
  [`pose.${prefix}drawn_pose_age_p95_ms_60${suffix}`]: m.mainThread?.drawnAgeP95Ms ?? Number.NaN,
});

/**
 * The server's main thread during a step's window (RELAY13): the worst interval's p99 event-loop
 * delay and the longest delay. A relayed pose is read and forwarded on that thread.
 */
function serverLoopFigures(output: string, prefix: '' | 'relay_', suffix: '' | '_mesh', step: string, m: Measured) {
  const samples = readLoopDelay(output, m.window.from + LOOP_DELAY_REPORT_MS, m.window.to);
  const p99 = samples.length ? Math.max(...samples.map((s) => s.p99)) : Number.NaN;
  const max = samples.length ? Math.max(...samples.map((s) => s.maxMs)) : Number.NaN;
  const busy = samples.length ? mean(samples.map((s) => s.busy)) * 100 : Number.NaN;
  console.log(
    `${step}: the server's main thread: event-loop delay, worst ${LOOP_DELAY_REPORT_MS} ms p99 ${p99.toFixed(1)} ms, ` +
      `longest ${max.toFixed(1)} ms; busy ${busy.toFixed(1)} %; per interval ${samples.map((s) => s.maxMs.toFixed(0)).join(' ')}`,
  );
  return {
    [`pose.${prefix}server_loop_delay_p99_ms_60${suffix}`]: p99,
    [`pose.${prefix}server_loop_delay_max_ms_60${suffix}`]: max,
    [`pose.${prefix}server_loop_busy_pct_60${suffix}`]: busy,
  };
}

const GPU = { compositing: 'gpu' } as const;

const pose60: Benchmark = async () => {
  const server = await startServerProcess({
    env: {
      LOOP_DELAY_REPORT_MS: String(LOOP_DELAY_REPORT_MS),
    },
  });
  const browser = await launchBrowser();
  // Started for the drawing steps in GPU compositing, after the software ones.
  let gpuBrowser: Browser | undefined;
  let senders: NodePosePeer[] = [];
  try {
    await expectCompositing(browser);
    const stamp = Date.now().toString(36);
    // One sender page, one receiver page: the browser-to-browser path.
    const pairRoom = `${server.url}/r/benchsixtypair${stamp}?seed=off&render=off`;
    const pairSender = await openSenderPage(browser, pairRoom);
    const pair = await receive(browser, pairRoom, 'webrtc', 'Pair receiver', pageSenders([pairSender]));
    await pairSender.context().close();
    const relayPairRoom = `${server.url}/r/benchsixtyrelaypair${stamp}?seed=off&render=off&webrtc=off`;
    const relayPairSender = await openSenderPage(browser, relayPairRoom);
    const relayPair = await receive(
      browser,
      relayPairRoom,
      'relay',
      'Relay pair receiver',
      pageSenders([relayPairSender]),
    );
    await relayPairSender.context().close();

    // 8 Node senders over WebRTC, linked only to the receiver: the receiver without drawing.
    const soloRoomId = `benchsixtysolo${stamp}`;
    senders = await startSenders(server, soloRoomId, true, false);
    const soloRoom = `${server.url}/r/${soloRoomId}?seed=off&render=off`;
    const headless = await receiveFromNodes(browser, soloRoom, 'webrtc', 'Receiver', senders);
    await stopNodePosePeers(senders);

    // 8 Node senders over WebRTC in a full mesh: the receiver without drawing, then one that draws
    // (the senders' own frames are measured too: the page's GPU work shares the two cores with
    // them), then one that draws in a browser compositing on its GPU process.
    const roomId = `benchsixty${stamp}`;
    senders = await startSenders(server, roomId, true, true);
    const room = `${server.url}/r/${roomId}?seed=off`;
    const headlessMesh = await receiveFromNodes(browser, `${room}&render=off`, 'webrtc', 'Receiver, mesh', senders);
    const rendering = await receiveFromNodes(browser, room, 'webrtc', 'Drawing receiver', senders);
    gpuBrowser = await launchBrowser([], GPU);
    await expectCompositing(gpuBrowser, GPU);
    const gpuRendering = await receiveFromNodes(gpuBrowser, room, 'webrtc', 'GPU drawing receiver', senders);
    await stopNodePosePeers(senders);

    // Over the relay: senders linked only to the receiver, then the full mesh.
    const soloRelayRoomId = `benchsixtysolorelay${stamp}`;
    senders = await startSenders(server, soloRelayRoomId, false, false);
    const soloRelayRoom = `${server.url}/r/${soloRelayRoomId}?seed=off&webrtc=off&render=off`;
    const relay = await receiveFromNodes(browser, soloRelayRoom, 'relay', 'Relay receiver', senders);
    await stopNodePosePeers(senders);
    const relayRoomId = `benchsixtyrelay${stamp}`;
    senders = await startSenders(server, relayRoomId, false, true);
    const relayRoom = `${server.url}/r/${relayRoomId}?seed=off&webrtc=off`;
    const relayMesh = await receiveFromNodes(
      browser,
      `${relayRoom}&render=off`,
      'relay',
      'Relay receiver, mesh',
      senders,
    );
    const relayRendering = await receiveFromNodes(browser, relayRoom, 'relay', 'Drawing relay receiver', senders);
    const relayGpuRendering = await receiveFromNodes(
      gpuBrowser,
      relayRoom,
      'relay',
      'GPU drawing relay receiver',
      senders,
    );
    await stopNodePosePeers(senders);

    return {
      'pose.rate_hz_60_one_sender': mean(pair.rates),
      'pose.latency_p50_ms_60_one_sender': median(pair.latencies),
      'pose.latency_p95_ms_60_one_sender': p95(pair.latencies),
      'pose.relay_rate_hz_60_one_sender': mean(relayPair.rates),
      'pose.relay_latency_p50_ms_60_one_sender': median(relayPair.latencies),
      'pose.relay_latency_p95_ms_60_one_sender': p95(relayPair.latencies),
      'pose.rate_hz_60': mean(headless.rates),
      'pose.rate_hz_60_min': Math.min(...headless.rates),
      'pose.latency_p50_ms_60': median(headless.latencies),
      'pose.latency_p95_ms_60': p95(headless.latencies),
      'pose.node_senders_cpu_pct_60': headless.sendersCpuPercent,
      'pose.relay_node_senders_cpu_pct_60': relay.sendersCpuPercent,
      'pose.relay_rate_hz_60': mean(relay.rates),
      'pose.relay_rate_hz_60_min': Math.min(...relay.rates),
      'pose.relay_latency_p50_ms_60': median(relay.latencies),
      'pose.relay_latency_p95_ms_60': p95(relay.latencies),
      ...meshFigures('', headlessMesh),
      ...meshFigures('relay_', relayMesh),
      ...drawingFigures('', '', rendering),
      ...drawingFigures('', '_gpu_compositing', gpuRendering),
      ...drawingFigures('relay_', '', relayRendering),
      ...drawingFigures('relay_', '_gpu_compositing', relayGpuRendering),
      ...mainThreadFigures('', '', headless),
      ...mainThreadFigures('', '_rendering', rendering),
      ...mainThreadFigures('', '_rendering_gpu_compositing', gpuRendering),
      ...mainThreadFigures('relay_', '', relay),
      ...mainThreadFigures('relay_', '_rendering', relayRendering),
      ...mainThreadFigures('relay_', '_rendering_gpu_compositing', relayGpuRendering),
      ...serverLoopFigures(server.output(), '', '', 'Receiver', headless),
      ...serverLoopFigures(server.output(), '', '_mesh', 'Receiver, mesh', headlessMesh),
      ...serverLoopFigures(server.output(), 'relay_', '', 'Relay receiver', relay),
      ...serverLoopFigures(server.output(), 'relay_', '_mesh', 'Relay receiver, mesh', relayMesh),
    };
  } finally {
    await stopNodePosePeers(senders);
    await gpuBrowser?.close();
    await browser.close();
    await server.stop();
  }
};

export default pose60;
