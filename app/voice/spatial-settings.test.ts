import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VOICE_SPATIAL,
  distanceGain,
  HRTF_MAX_VOICES,
  HRTF_MIN_CORES,
  panningModelFor,
  voiceSpatialSettings,
} from './spatial-settings.ts';

describe('voice range', () => {
  it('[VOICE8] inverse distance, reference distance and rolloff 5: full volume within 5 m, half at 6 m', () => {
    const settings = voiceSpatialSettings(undefined);
    expect(settings).toEqual(DEFAULT_VOICE_SPATIAL);
    expect(settings).toMatchObject({ distanceModel: 'inverse', refDistance: 5, rolloffFactor: 5 });
    expect(distanceGain(settings, 1)).toBe(1);
    expect(distanceGain(settings, 5)).toBe(1);
    expect(distanceGain(settings, 6)).toBeCloseTo(0.5);
    expect(distanceGain(settings, 15)).toBeCloseTo(5 / 55);
  });

  it('[VOICE8] the scene environment overrides what it sets and keeps the rest (ENV8)', () => {
    const settings = voiceSpatialSettings({ distanceModel: 'linear', refDistance: 2, maxDistance: 12 });
    expect(settings).toMatchObject({ distanceModel: 'linear', refDistance: 2, rolloffFactor: 5, maxDistance: 12 });
    expect(distanceGain(settings, 2)).toBe(1);
    expect(distanceGain(settings, 7)).toBeCloseTo(0.5);
    expect(distanceGain(settings, 50)).toBeCloseTo(0);
    // A maximum inside the reference distance would make WebAudio throw: it is moved past it.
    expect(voiceSpatialSettings({ refDistance: 20, maxDistance: 10 }).maxDistance).toBe(21);
    expect(voiceSpatialSettings({ distanceModel: 'exponential', rolloffFactor: 1 })).toMatchObject({
      distanceModel: 'exponential',
      refDistance: 5,
    });
  });

  it('[VOICE9] HRTF only on devices with enough cores and for few voices; equal-power otherwise', () => {
    expect(panningModelFor(1, HRTF_MIN_CORES)).toBe('HRTF');
    expect(panningModelFor(HRTF_MAX_VOICES, 8)).toBe('HRTF');
    expect(panningModelFor(HRTF_MAX_VOICES + 1, 8)).toBe('equalpower');
    expect(panningModelFor(1, HRTF_MIN_CORES - 1)).toBe('equalpower');
    expect(panningModelFor(1, undefined)).toBe('equalpower');
  });
});
