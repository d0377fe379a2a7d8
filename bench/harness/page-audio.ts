/**
 * Recording audio inside a benchmark's page, on the audio thread, on the
 * machine's one clock: an AudioWorklet taps a node of the page's voice graph
 * (`room.inspect().voice.taps()`) and posts every 128-frame block with its
 * context time; the page keeps the blocks and the smallest offset seen between
 * a block's end and its arrival on the main thread, which maps context time to
 * the machine clock (the main thread is late sometimes, never early). Also
 * marks, on A's main thread, when `getUserMedia` and `replaceTrack` resolve.
 * Pages need a context made with `bypassCSP` (the worklet is a blob URL).
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { Envelope } from './click-delay.ts';

/** At most this many blocks per recording (about 60 s at 48 kHz). */
const MAX_BLOCKS = 22_500;

const TAP_WORKLET = `
class BenchTap extends AudioWorkletProcessor {
  process(inputs) {
    const input = inputs[0];
    if (input && input.length > 0 && input[0]) {
      const out = new Float32Array(input[0].length);
      for (const channel of input) for (let i = 0; i < out.length; i++) out[i] += channel[i];
      this.port.postMessage({ t: currentTime, data: out }, [out.buffer]);
    }
    return true;
  }
}
registerProcessor('bench-tap', BenchTap);
`;

interface Recording {
  rate: number;
  offset: number;
  blocks: { t: number; data: Float32Array }[];
  stop(): void;
}

interface BenchWindow {
  __benchTapSource: string;
  __benchMaxBlocks: number;
  __benchMarks: [string, number][];
  __benchRecordings: Map<string, Recording>;
  __benchTapLoaded: WeakSet<BaseAudioContext>;
  __holoroom?: {
    voice?: {
      taps():
        | { context: AudioContext; microphone(): AudioNode | undefined; voice(peerId: number): AudioNode | undefined }
        | undefined;
    };
  };
}

/** Installs the marks and the recorder's pieces in every page of `context`. */
export async function installPageAudio(context: BrowserContext): Promise<void> {
  await context.addInitScript(
    ({ source, maxBlocks }) => {
      const w = window as unknown as BenchWindow;
      w.__benchTapSource = source;
      w.__benchMaxBlocks = maxBlocks;
      w.__benchMarks = [];
      w.__benchRecordings = new Map();
      w.__benchTapLoaded = new WeakSet();
      const now = () => performance.timeOrigin + performance.now();
      const getUserMedia = MediaDevices.prototype.getUserMedia;
      MediaDevices.prototype.getUserMedia = async function (constraints) {
        const stream = await getUserMedia.call(this, constraints);
        w.__benchMarks.push(['getUserMedia', now()]);
        return stream;
      };
      const replaceTrack = RTCRtpSender.prototype.replaceTrack;
      RTCRtpSender.prototype.replaceTrack = async function (track) {
        await replaceTrack.call(this, track);
        if (track) w.__benchMarks.push(['replaceTrack', now()]);
      };
    },
    { source: TAP_WORKLET, maxBlocks: MAX_BLOCKS },
  );
}

/** The page's marks since `afterMs` (machine clock): the first of each name. */
export function marksAfter(page: Page, afterMs: number): Promise<Record<string, number>> {
  return page.evaluate((after) => {
    const marks: Record<string, number> = {};
    for (const [name, at] of (window as unknown as BenchWindow).__benchMarks) {
      if (at >= after && marks[name] === undefined) marks[name] = at;
    }
    return marks;
  }, afterMs);
}

/** Starts recording `name` from my microphone's node, or from the voice of `peerId`. */
export async function startRecording(page: Page, name: string, from: 'microphone' | number): Promise<void> {
  await page.evaluate(
    async ([recordingName, source]) => {
      const w = window as unknown as BenchWindow;
      const taps = w.__holoroom?.voice?.taps();
      const node = source === 'microphone' ? taps?.microphone() : taps?.voice(source as number);
      if (!taps || !node) throw new Error(`nothing to record from: ${source}`);
      const { context } = taps;
      if (!w.__benchTapLoaded.has(context)) {
        const url = URL.createObjectURL(new Blob([w.__benchTapSource], { type: 'application/javascript' }));
        await context.audioWorklet.addModule(url);
        w.__benchTapLoaded.add(context);
      }
      const tap = new AudioWorkletNode(context, 'bench-tap');
      const sink = context.createGain();
      sink.gain.value = 0;
      node.connect(tap);
      tap.connect(sink).connect(context.destination);
      const recording: Recording = {
        rate: context.sampleRate,
        offset: Number.POSITIVE_INFINITY,
        blocks: [],
        stop: () => {
          node.disconnect(tap);
          tap.disconnect();
          tap.port.onmessage = null;
        },
      };
      tap.port.onmessage = (event: MessageEvent<{ t: number; data: Float32Array }>) => {
        const { t, data } = event.data;
        const end = t * 1000 + (data.length / recording.rate) * 1000;
        recording.offset = Math.min(recording.offset, performance.timeOrigin + performance.now() - end);
        if (recording.blocks.length < w.__benchMaxBlocks) recording.blocks.push({ t, data });
      };
      w.__benchRecordings.get(recordingName as string)?.stop();
      w.__benchRecordings.set(recordingName as string, recording);
    },
    [name, from] as const,
  );
}

export async function stopRecording(page: Page, name: string): Promise<void> {
  await page.evaluate((n) => {
    const w = window as unknown as BenchWindow;
    w.__benchRecordings.get(n)?.stop();
    w.__benchRecordings.delete(n);
  }, name);
}

/** Machine-clock time of the first recorded sample louder than `level` after `afterMs`, if any. */
export function firstLouder(page: Page, name: string, level: number, afterMs: number): Promise<number | undefined> {
  return page.evaluate(
    ([n, threshold, after]) => {
      const r = (window as unknown as BenchWindow).__benchRecordings.get(n as string);
      if (!r) return undefined;
      for (const { t, data } of r.blocks) {
        const start = t * 1000 + r.offset;
        for (let i = 0; i < data.length; i++) {
          const at = start + (i / r.rate) * 1000;
          if (at >= (after as number) && Math.abs(data[i] as number) > (threshold as number)) return at;
        }
      }
      return undefined;
    },
    [name, level, afterMs] as const,
  );
}

/** RMS in 1 ms bins of the recording between two machine-clock times (missing blocks are silence). */
export function envelopeOf(page: Page, name: string, fromMs: number, toMs: number): Promise<Envelope> {
  return page.evaluate(
    ([n, from, to]) => {
      const r = (window as unknown as BenchWindow).__benchRecordings.get(n as string);
      const startMs = Math.floor(from as number);
      const bins = Math.max(0, Math.ceil((to as number) - startMs));
      const sums = new Array<number>(bins).fill(0);
      const counts = new Array<number>(bins).fill(0);
      for (const { t, data } of r?.blocks ?? []) {
        const start = t * 1000 + (r?.offset ?? 0);
        for (let i = 0; i < data.length; i++) {
          const k = Math.floor(start + (i / (r?.rate ?? 48_000)) * 1000) - startMs;
          if (k < 0 || k >= bins) continue;
          sums[k] = (sums[k] as number) + (data[i] as number) ** 2;
          counts[k] = (counts[k] as number) + 1;
        }
      }
      return { startMs, values: sums.map((s, k) => Math.sqrt(s / Math.max(1, counts[k] as number))) };
    },
    [name, fromMs, toMs] as const,
  );
}
