import { describe, expect, it } from 'vitest';
import { rms, SPEAKING_HOLD_MS, SPEAKING_THRESHOLD, SpeakingDetector } from './speaking.ts';

describe('speaking indicator', () => {
  it('[VOICE5] turns on at once over the threshold and off only after the hold time under it', () => {
    const detector = new SpeakingDetector();
    expect(detector.update(SPEAKING_THRESHOLD / 2, 0)).toBe(false);
    expect(detector.update(SPEAKING_THRESHOLD * 2, 16)).toBe(true);
    expect(detector.speaking).toBe(true);
    expect(detector.update(0, 16 + SPEAKING_HOLD_MS - 1)).toBe(false);
    expect(detector.speaking).toBe(true);
    expect(detector.update(0, 16 + SPEAKING_HOLD_MS)).toBe(true);
    expect(detector.speaking).toBe(false);
    detector.update(1, 1000);
    expect(detector.reset()).toBe(true);
    expect(detector.speaking).toBe(false);
  });

  it('[VOICE5] the level is the RMS of the samples', () => {
    expect(rms(new Float32Array([0.5, -0.5, 0.5, -0.5]))).toBeCloseTo(0.5);
    expect(rms(new Float32Array(0))).toBe(0);
    const sine = Float32Array.from({ length: 480 }, (_, i) => Math.sin((2 * Math.PI * i) / 48));
    expect(rms(sine)).toBeCloseTo(Math.SQRT1_2, 3);
  });
});
