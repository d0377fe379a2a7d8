/** Known microphone signals for Chromium's fake capture device (`--use-file-for-fake-audio-capture`). */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const RATE = 48_000;

/** Writes `samples` (-1..1) as 48 kHz mono 16-bit PCM to a temporary file; returns its path. */
function writeWav(name: string, samples: Float32Array): string {
  const file = path.join(tmpdir(), `holoroom-${name}-${process.pid}.wav`);
  const data = Buffer.alloc(44 + samples.length * 2);
  data.write('RIFF', 0);
  data.writeUInt32LE(36 + samples.length * 2, 4);
  data.write('WAVEfmt ', 8);
  data.writeUInt32LE(16, 16);
  data.writeUInt16LE(1, 20); // PCM
  data.writeUInt16LE(1, 22); // mono
  data.writeUInt32LE(RATE, 24);
  data.writeUInt32LE(RATE * 2, 28);
  data.writeUInt16LE(2, 32);
  data.writeUInt16LE(16, 34);
  data.write('data', 36);
  data.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) {
    data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i] ?? 0)) * 32767), 44 + i * 2);
  }
  writeFileSync(file, data);
  return file;
}

/** Writes a 440 Hz tone at half scale (Chromium loops the file); returns its path. */
export function writeToneWav(name: string, seconds = 4): string {
  const samples = new Float32Array(RATE * seconds);
  for (let i = 0; i < samples.length; i++) samples[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / RATE);
  return writeWav(name, samples);
}

/**
 * Where the clicks of `writeClickTrackWav` start, seconds into its 4 s loop: unevenly spaced, so the
 * track matches a delayed copy of itself at one lag only (within half a loop).
 */
const CLICK_TIMES_S = [0.1, 0.47, 1.08, 1.53, 2.36, 2.88, 3.41];

/** A click track: 20 ms bursts of 1 kHz under a Hann window at CLICK_TIMES_S, silence between; its path. */
export function writeClickTrackWav(name: string): string {
  const samples = new Float32Array(RATE * 4);
  const length = Math.round(0.02 * RATE);
  for (const at of CLICK_TIMES_S) {
    const start = Math.round(at * RATE);
    for (let i = 0; i < length; i++) {
      const window = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (length - 1));
      samples[start + i] = 0.7 * window * Math.sin((2 * Math.PI * 1_000 * i) / RATE);
    }
  }
  return writeWav(name, samples);
}

/** Chromium flags for a fake microphone that plays `wavFile`, allowed without a prompt. */
export function fakeMicrophoneFlags(wavFile: string): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wavFile}`,
  ];
}
