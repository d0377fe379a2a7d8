/**
 * Voice (docs/voice.md) between two Chromium pages on this machine;
 * `npm run bench -- voice`.
 *   - `voice.mic_on_to_heard_ms` (median of ROUNDS, and the p95): from the
 *     click on A's "Turn on microphone" to A's tone (440 Hz) at B's output
 *     (RMS over HEARD_LEVEL after B's panner). The connection is up before the
 *     click, as it is in a room people have been in for a while. Both ends read
 *     the machine's one clock (`performance.timeOrigin + performance.now()`); B
 *     reads its level every POLL_MS on its main thread, so the number includes
 *     that wait. Its phases (medians): `voice.mic_on_phase_getusermedia_ms`
 *     (the click to `getUserMedia` resolving in A), `..._to_sending_ms` (then
 *     to the first `replaceTrack` with the microphone resolving),
 *     `..._to_first_sound_ms` (then to the first sample of the tone leaving B's
 *     panner, timed on B's audio thread: encoding, the network, B's jitter
 *     buffer filling, decoding) and `..._poll_ms` (then to B's main thread
 *     seeing it). `voice.mic_on_jitter_buffer_ms`: B's average jitter-buffer
 *     delay for A's audio while A talks in a round (inbound-rtp
 *     `jitterBufferDelay` / `jitterBufferEmittedCount`, median of the rounds).
 *   - `voice.mouth_to_ear_ms`: with A's microphone on and steady, A's fake
 *     microphone playing a click track (CLICK_TIMES_S, uneven, looping every
 *     4 s), the delay from the track entering A's audio graph (A's microphone
 *     node) to it leaving B's panner, both recorded on their audio threads on
 *     the machine's clock and cross-correlated (median of MOUTH_WINDOWS
 *     windows of 4 s); `voice.mouth_to_ear_jitter_buffer_ms`: B's jitter
 *     buffer over the same time, the part of it that waits in B's buffer. Not
 *     in it: the capture device's and the speakers' own buffers (a fake device
 *     here has neither).
 *   - `voice.kbps_per_speaker`: opus bytes B receives from A over KBPS_MS.
 *   - `voice.render_8_voices_{hrtf,equalpower,unpanned}_ms_per_s`: time to
 *     render one second of 8 voices through 8 panners of each model, and
 *     without panners (OfflineAudioContext, on the graph's own thread; median
 *     of RENDER_RUNS renders of RENDER_SECONDS): what spatialising costs is the
 *     difference to the unpanned render.
 *   - `voice.panner_update_us_per_frame_8`: main-thread time of one frame's
 *     placement writes for 8 voices (position and orientation AudioParams),
 *     as VOICE10's step does them.
 * Bounded: every wait has a timeout, every loop a count.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newContext, waitUntil } from '../e2e/harness/browser.ts';
import { type ServerProcess, startServerProcess } from '../e2e/harness/server.ts';
import { fakeMicrophoneFlags, writeClickTrackWav, writeToneWav } from '../testing/audio/tone-wav.ts';
import { envelopeDelay } from './harness/click-delay.ts';
import {
  envelopeOf,
  firstLouder,
  installPageAudio,
  marksAfter,
  startRecording,
  stopRecording,
} from './harness/page-audio.ts';
import { median, p95 } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';

const ROUNDS = 6;
const HEARD_LEVEL = 0.01;
const POLL_MS = 5;
const KBPS_MS = 5_000;
const VOICES = 8;
const RENDER_SECONDS = 10;
const RENDER_RUNS = 3;
const UPDATE_FRAMES = 5_000;
/** A sample of A's tone leaving B's panner louder than this is the first sound (voice.mic_on_phase_*). */
const FIRST_SOUND = 0.01;
const MOUTH_WINDOWS = 3;
const MOUTH_WINDOW_MS = 4_000;
const MOUTH_MAX_LAG_MS = 1_500;
/** A window whose best match is weaker than this (normalized correlation) is left out of the median. */
const MIN_MATCH = 0.3;
/** After B first hears A in rounds 2.., how long A keeps talking (the jitter buffer is read over it). */
const LISTEN_MS = 1_000;

interface VoiceHandle {
  selfId: number;
  voices(): { peerId: number; peerConnectionState: string; hasAudio: boolean }[];
  outputLevels(peerId: number): [number, number] | undefined;
  inboundAudio(peerId: number): Promise<{ bytesReceived: number } | undefined>;
  taps(): { microphone(): unknown } | undefined;
}
type Handle = { __holoroom?: { voice?: VoiceHandle } };

const now = () => performance.timeOrigin + performance.now();

/** B's level for A over `HEARD_LEVEL`, or under `quiet`: the machine-clock time it first was, polled in B. */
function whenLevel(page: Page, peerId: number, above: boolean): Promise<number> {
  return page.evaluate(
    ([id, level, pollMs, wantAbove]) =>
      new Promise<number>((resolve, reject) => {
        const voice = (window as unknown as Handle).__holoroom?.voice;
        const started = performance.now();
        const timer = setInterval(() => {
          const levels = voice?.outputLevels(id as number) ?? [0, 0];
          const loud = Math.max(...levels) > (level as number);
          if (loud === wantAbove) {
            clearInterval(timer);
            resolve(performance.timeOrigin + performance.now());
          } else if (performance.now() - started > 20_000) {
            clearInterval(timer);
            reject(new Error(`level never went ${wantAbove ? 'over' : 'under'} ${level}`));
          }
        }, pollMs as number);
      }),
    [peerId, above ? HEARD_LEVEL : HEARD_LEVEL / 10, POLL_MS, above] as const,
  );
}

async function bytesFrom(page: Page, peerId: number): Promise<number> {
  const inbound = await page.evaluate(
    (id) => (window as unknown as Handle).__holoroom?.voice?.inboundAudio(id),
    peerId,
  );
  return inbound?.bytesReceived ?? 0;
}

/** Milliseconds of one run of rendering RENDER_SECONDS of VOICES voices, with or without panners. */
function renderTime(page: Page, panning: PanningModelType | 'none'): Promise<number> {
  return page.evaluate(
    async ([model, voices, seconds]) => {
      const rate = 48_000;
      const context = new OfflineAudioContext(2, rate * (seconds as number), rate);
      for (let i = 0; i < (voices as number); i++) {
        const voice = context.createOscillator();
        voice.frequency.value = 200 + 50 * i;
        if (model === 'none') voice.connect(context.destination);
        else {
          const panner = context.createPanner();
          panner.panningModel = model as PanningModelType;
          panner.distanceModel = 'inverse';
          panner.refDistance = 5;
          panner.rolloffFactor = 5;
          panner.positionX.value = Math.cos(i) * 3;
          panner.positionZ.value = Math.sin(i) * 3;
          voice.connect(panner).connect(context.destination);
        }
        voice.start();
      }
      const t0 = performance.now();
      await context.startRendering();
      return performance.now() - t0;
    },
    [panning, VOICES, RENDER_SECONDS] as const,
  );
}

/** Microseconds per frame of writing VOICES panners' position and orientation, over UPDATE_FRAMES frames. */
function updateTime(page: Page): Promise<number> {
  return page.evaluate(
    ([voices, frames]) => {
      const context = new AudioContext();
      const panners = Array.from({ length: voices as number }, () => {
        const panner = context.createPanner();
        panner.connect(context.destination);
        return panner;
      });
      const t0 = performance.now();
      for (let f = 0; f < (frames as number); f++) {
        const angle = f * 0.01;
        for (const p of panners) {
          p.positionX.value = Math.cos(angle);
          p.positionY.value = 1.6;
          p.positionZ.value = Math.sin(angle);
          p.orientationX.value = -Math.sin(angle);
          p.orientationY.value = 0;
          p.orientationZ.value = Math.cos(angle);
        }
      }
      const us = ((performance.now() - t0) * 1000) / (frames as number);
      void context.close();
      return us;
    },
    [VOICES, UPDATE_FRAMES] as const,
  );
}

/** Two pages (A, B) in a new room, each in a context of its own, with A's voice connected at B; A's peer id. */
async function connectedPair(
  server: ServerProcess,
  browser: Browser,
): Promise<{ pageA: Page; pageB: Page; a: number }> {
  const roomUrl = `${server.url}/r/benchvoice${Date.now().toString(36)}?seed=off`;
  const pages: Page[] = [];
  for (const name of ['Alice', 'Bob']) {
    const context = await newContext(browser, { name, bypassCSP: true });
    await context.addInitScript('globalThis.__name ??= (fn) => fn;');
    await installPageAudio(context);
    const page = await context.newPage();
    await page.setViewportSize({ width: 640, height: 400 });
    await page.goto(roomUrl);
    pages.push(page);
  }
  const [pageA, pageB] = pages as [Page, Page];
  const idOf = (page: Page) =>
    waitUntil(
      () => page.evaluate(() => (window as unknown as Handle).__holoroom?.voice !== undefined),
      60_000,
      () => 'no voice on the page',
    ).then(() => page.evaluate(() => (window as unknown as Handle).__holoroom?.voice?.selfId ?? 0));
  const a = await idOf(pageA);
  await idOf(pageB);
  await waitUntil(
    () =>
      pageB.evaluate((id) => {
        const v = (window as unknown as Handle).__holoroom?.voice?.voices().find((x) => x.peerId === id);
        return v?.peerConnectionState === 'connected' && v.hasAudio;
      }, a),
    60_000,
    () => 'the voice connection did not connect',
  );
  return { pageA, pageB, a };
}

interface JitterTotals {
  /** Seconds of delay summed over every emitted sample, and the samples (inbound-rtp, cumulative). */
  delay: number;
  target: number;
  emitted: number;
}

/** B's jitter-buffer totals for incoming audio so far (inbound-rtp stats of its RTCPeerConnections). */
function jitterTotals(page: Page): Promise<JitterTotals> {
  return page.evaluate(async () => {
    const totals = { delay: 0, target: 0, emitted: 0 };
    const connections = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
    for (const pc of connections) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach(
        (stat: {
          type: string;
          kind?: string;
          jitterBufferDelay?: number;
          jitterBufferTargetDelay?: number;
          jitterBufferEmittedCount?: number;
        }) => {
          if (stat.type !== 'inbound-rtp' || stat.kind !== 'audio') return;
          totals.delay += stat.jitterBufferDelay ?? 0;
          totals.target += stat.jitterBufferTargetDelay ?? 0;
          totals.emitted += stat.jitterBufferEmittedCount ?? 0;
        },
      );
    }
    return totals;
  });
}

/** Average jitter-buffer delay and target (ms) of the samples emitted between two readings. */
function jitterBetween(before: JitterTotals, after: JitterTotals): { delay: number; target: number } {
  const emitted = after.emitted - before.emitted;
  if (emitted <= 0) return { delay: Number.NaN, target: Number.NaN };
  return {
    delay: ((after.delay - before.delay) / emitted) * 1000,
    target: ((after.target - before.target) / emitted) * 1000,
  };
}

/** ROUNDS of microphone on (a click in A) until B hears the tone, then off; the times and their phases. */
async function micOnRounds(pageA: Page, pageB: Page, a: number) {
  const heardMs: number[] = [];
  const phases = {
    getUserMedia: [] as number[],
    toSending: [] as number[],
    toFirstSound: [] as number[],
    poll: [] as number[],
  };
  let kbps = 0;
  const jitterMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await pageA.evaluate(() => {
      const w = window as unknown as { clickedAt?: number };
      w.clickedAt = undefined;
      document.addEventListener('click', () => (w.clickedAt = performance.timeOrigin + performance.now()), {
        capture: true,
        once: true,
      });
    });
    await startRecording(pageB, 'heard', a);
    const jitterBefore = await jitterTotals(pageB);
    const heard = whenLevel(pageB, a, true);
    await pageA.getByTestId('mic-on').click();
    const heardAt = await heard;
    const clickedAt = await pageA.evaluate(() => (window as unknown as { clickedAt?: number }).clickedAt ?? 0);
    heardMs.push(heardAt - clickedAt);
    const marks = await marksAfter(pageA, clickedAt);
    const firstSound = await firstLouder(pageB, 'heard', FIRST_SOUND, clickedAt);
    await stopRecording(pageB, 'heard');
    const { getUserMedia, replaceTrack } = marks;
    if (getUserMedia !== undefined && replaceTrack !== undefined && firstSound !== undefined) {
      phases.getUserMedia.push(getUserMedia - clickedAt);
      phases.toSending.push(replaceTrack - getUserMedia);
      phases.toFirstSound.push(firstSound - replaceTrack);
      phases.poll.push(heardAt - firstSound);
    }
    if (round === 0) {
      // While A talks: what one speaker costs each listener.
      const before = await bytesFrom(pageB, a);
      const t0 = now();
      await new Promise((resolve) => setTimeout(resolve, KBPS_MS));
      const after = await bytesFrom(pageB, a);
      kbps = ((after - before) * 8) / (now() - t0);
    } else await new Promise((resolve) => setTimeout(resolve, LISTEN_MS));
    const jitter = jitterBetween(jitterBefore, await jitterTotals(pageB));
    jitterMs.push(jitter.delay);
    await pageA.getByRole('button', { name: 'Microphone off' }).click();
    await whenLevel(pageB, a, false);
    const f = (v: number | undefined) => (v === undefined ? '?' : v.toFixed(0));
    console.log(
      `round ${round + 1}: heard ${f(heardMs[heardMs.length - 1])} ms after the click: getUserMedia ${f(
        getUserMedia === undefined ? undefined : getUserMedia - clickedAt,
      )}, replaceTrack +${f(replaceTrack === undefined || getUserMedia === undefined ? undefined : replaceTrack - getUserMedia)}, first sound at B +${f(
        firstSound === undefined || replaceTrack === undefined ? undefined : firstSound - replaceTrack,
      )}, B's poll +${f(firstSound === undefined ? undefined : heardAt - firstSound)}; B's jitter buffer ${f(
        jitter.delay,
      )} ms (target ${f(jitter.target)})`,
    );
  }
  return { heardMs, phases, kbps, jitterMs };
}

/** voice.mouth_to_ear_ms: A's click track recorded at A's microphone node and at B's panner, cross-correlated. */
async function mouthToEar(server: ServerProcess): Promise<{ lags: number[]; jitterBuffer: number }> {
  const browser = await launchBrowser(fakeMicrophoneFlags(writeClickTrackWav('bench-voice-clicks')));
  try {
    const { pageA, pageB, a } = await connectedPair(server, browser);
    await pageA.getByTestId('mic-on').click();
    await waitUntil(
      () => pageA.evaluate(() => (window as unknown as Handle).__holoroom?.voice?.taps()?.microphone() !== undefined),
      20_000,
      () => 'A’s microphone did not open',
    );
    // Let the connection carry audio for a moment before measuring what is steady.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await startRecording(pageA, 'sent', 'microphone');
    await startRecording(pageB, 'heard', a);
    const jitterBefore = await jitterTotals(pageB);
    const from = now() + 500;
    const total = MOUTH_WINDOWS * MOUTH_WINDOW_MS + MOUTH_MAX_LAG_MS;
    await new Promise((resolve) => setTimeout(resolve, total + 1_000));
    const jitter = jitterBetween(jitterBefore, await jitterTotals(pageB));
    console.log(`mouth to ear: B's jitter buffer ${jitter.delay.toFixed(1)} ms (target ${jitter.target.toFixed(1)})`);
    const lags: number[] = [];
    for (let w = 0; w < MOUTH_WINDOWS; w++) {
      const start = from + w * MOUTH_WINDOW_MS;
      const sent = await envelopeOf(pageA, 'sent', start, start + MOUTH_WINDOW_MS);
      const heard = await envelopeOf(pageB, 'heard', start, start + MOUTH_WINDOW_MS + MOUTH_MAX_LAG_MS);
      const found = envelopeDelay(sent, heard, MOUTH_MAX_LAG_MS);
      console.log(`mouth to ear, window ${w + 1}: ${found?.lagMs.toFixed(1)} ms (match ${found?.score.toFixed(2)})`);
      if (found && found.score > MIN_MATCH) lags.push(found.lagMs);
    }
    await stopRecording(pageA, 'sent');
    await stopRecording(pageB, 'heard');
    return { lags, jitterBuffer: jitter.delay };
  } finally {
    await browser.close();
  }
}

const voice: Benchmark = async () => {
  const server = await startServerProcess();
  try {
    const browser = await launchBrowser(fakeMicrophoneFlags(writeToneWav('bench-voice-tone')));
    let rounds: Awaited<ReturnType<typeof micOnRounds>>;
    let render: Record<string, number>;
    try {
      const { pageA, pageB, a } = await connectedPair(server, browser);
      rounds = await micOnRounds(pageA, pageB, a);
      const blank = await (await newContext(browser)).newPage();
      const renderOf = async (model: PanningModelType | 'none') => {
        const runs: number[] = [];
        for (let i = 0; i < RENDER_RUNS; i++) runs.push(await renderTime(blank, model));
        return median(runs) / RENDER_SECONDS;
      };
      render = {
        'voice.render_8_voices_unpanned_ms_per_s': await renderOf('none'),
        'voice.render_8_voices_hrtf_ms_per_s': await renderOf('HRTF'),
        'voice.render_8_voices_equalpower_ms_per_s': await renderOf('equalpower'),
        'voice.panner_update_us_per_frame_8': await updateTime(blank),
      };
    } finally {
      await browser.close();
    }
    const mouth = await mouthToEar(server);
    const { heardMs, phases } = rounds;
    return {
      'voice.mic_on_to_heard_ms': median(heardMs),
      'voice.mic_on_to_heard_ms_p95': p95(heardMs),
      'voice.mic_on_phase_getusermedia_ms': median(phases.getUserMedia),
      'voice.mic_on_phase_to_sending_ms': median(phases.toSending),
      'voice.mic_on_phase_to_first_sound_ms': median(phases.toFirstSound),
      'voice.mic_on_phase_poll_ms': median(phases.poll),
      'voice.mic_on_jitter_buffer_ms': median(rounds.jitterMs),
      ...(mouth.lags.length > 0 ? { 'voice.mouth_to_ear_ms': median(mouth.lags) } : {}),
      'voice.mouth_to_ear_jitter_buffer_ms': mouth.jitterBuffer,
      'voice.kbps_per_speaker': rounds.kbps,
      ...render,
    };
  } finally {
    await server.stop();
  }
};

export default voice;
