/**
 * Who is speaking (docs/voice.md VOICE5): a voice's level (RMS of the latest
 * samples) over a threshold turns its indicator on at once; it turns off only
 * after the level stayed under for `SPEAKING_HOLD_MS`, so the indicator does
 * not flicker between words.
 *
 * @example
 *   const detector = new SpeakingDetector();
 *   if (detector.update(rms(samples), now)) store.update(...); // changed
 */

/** RMS over which a voice counts as speaking: about -36 dBFS. */
export const SPEAKING_THRESHOLD = 0.016;
/** How long a voice stays "speaking" after its level fell under the threshold. */
export const SPEAKING_HOLD_MS = 300;

/** Root mean square of `samples` (-1..1). */
export function rms(samples: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as number;
    sum += s * s;
  }
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
}

export class SpeakingDetector {
  speaking = false;
  level = 0;
  private lastLoud = Number.NEGATIVE_INFINITY;

  /** Takes this frame's level; returns true when `speaking` changed. */
  update(level: number, now: number): boolean {
    this.level = level;
    if (level >= SPEAKING_THRESHOLD) this.lastLoud = now;
    const speaking = now - this.lastLoud < SPEAKING_HOLD_MS;
    if (speaking === this.speaking) return false;
    this.speaking = speaking;
    return true;
  }

  reset(): boolean {
    this.lastLoud = Number.NEGATIVE_INFINITY;
    this.level = 0;
    if (!this.speaking) return false;
    this.speaking = false;
    return true;
  }
}
