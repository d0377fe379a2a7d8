/**
 * Voice (docs/voice.md) between two Chromium pages on this machine, A's fake
 * microphone playing a 440 Hz tone; `npm run bench -- voice`.
 *   - `voice.mic_on_to_heard_ms` (median of ROUNDS, and the p95): from the
 *     click on A's "Turn on microphone" to A's tone at B's output (RMS over
 *     HEARD_LEVEL after B's panner). The connection is up before the click, as
 *     it is in a room people have been in for a while. Both ends read the
 *     machine's one clock (`performance.timeOrigin + performance.now()`); B
 *     reads its level every POLL_MS on a main thread that also draws the room,
 *     so the number includes that wait.
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
import type { Page } from 'playwright-core';
import { launchBrowser, newContext, waitUntil } from '../e2e/harness/browser.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import { fakeMicrophoneFlags, writeToneWav } from '../testing/audio/tone-wav.ts';
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

interface VoiceHandle {
  selfId: number;
  voices(): { peerId: number; peerConnectionState: string }[];
  outputLevels(peerId: number): [number, number] | undefined;
  inboundAudio(peerId: number): Promise<{ bytesReceived: number } | undefined>;
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

const voice: Benchmark = async () => {
  const server = await startServerProcess();
  const browser = await launchBrowser(fakeMicrophoneFlags(writeToneWav('bench-voice-tone')));
  try {
    const roomUrl = `${server.url}/r/benchvoice${Date.now().toString(36)}?seed=off`;
    const pages: Page[] = [];
    for (const name of ['Alice', 'Bob']) {
      const context = await newContext(browser, { name });
      await context.addInitScript('globalThis.__name ??= (fn) => fn;');
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
        pageB.evaluate(
          (id) =>
            (window as unknown as Handle).__holoroom?.voice?.voices().find((v) => v.peerId === id)
              ?.peerConnectionState === 'connected',
          a,
        ),
      60_000,
      () => 'the voice connection did not connect',
    );

    const heardMs: number[] = [];
    let kbps = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await pageA.evaluate(() => {
        const w = window as unknown as { clickedAt?: number };
        w.clickedAt = undefined;
        document.addEventListener('click', () => (w.clickedAt = performance.timeOrigin + performance.now()), {
          capture: true,
          once: true,
        });
      });
      const heard = whenLevel(pageB, a, true);
      await pageA.getByTestId('mic-on').click();
      const heardAt = await heard;
      const clickedAt = await pageA.evaluate(() => (window as unknown as { clickedAt?: number }).clickedAt ?? 0);
      heardMs.push(heardAt - clickedAt);
      if (round === 0) {
        // While A talks: what one speaker costs each listener.
        const before = await bytesFrom(pageB, a);
        const t0 = now();
        await new Promise((resolve) => setTimeout(resolve, KBPS_MS));
        const after = await bytesFrom(pageB, a);
        kbps = ((after - before) * 8) / (now() - t0);
      }
      await pageA.getByRole('button', { name: 'Microphone off' }).click();
      await whenLevel(pageB, a, false);
      console.log(`round ${round + 1}: heard ${heardMs[heardMs.length - 1]?.toFixed(1)} ms after the click`);
    }

    const blank = await (await newContext(browser)).newPage();
    const render = async (model: PanningModelType | 'none') => {
      const runs: number[] = [];
      for (let i = 0; i < RENDER_RUNS; i++) runs.push(await renderTime(blank, model));
      return median(runs);
    };
    const unpanned = await render('none');
    const hrtf = await render('HRTF');
    const equalpower = await render('equalpower');
    const update = await updateTime(blank);
    return {
      'voice.mic_on_to_heard_ms': median(heardMs),
      'voice.mic_on_to_heard_ms_p95': p95(heardMs),
      'voice.kbps_per_speaker': kbps,
      'voice.render_8_voices_hrtf_ms_per_s': hrtf / RENDER_SECONDS,
      'voice.render_8_voices_equalpower_ms_per_s': equalpower / RENDER_SECONDS,
      'voice.render_8_voices_unpanned_ms_per_s': unpanned / RENDER_SECONDS,
      'voice.panner_update_us_per_frame_8': update,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
};

export default voice;
