import { describe, expect, it } from 'vitest';
import { drawnIntensity } from './light-intensity.ts';

describe('light intensities', () => {
  it('[LIGHT1] point and spot intensities are multiplied by 8; directional, ambient and hemisphere are as given', () => {
    expect(drawnIntensity({ type: 'point', intensity: 1 })).toBe(8);
    expect(drawnIntensity({ type: 'spot', intensity: 0.5 })).toBe(4);
    for (const type of ['directional', 'ambient', 'hemisphere'] as const) {
      expect(drawnIntensity({ type, intensity: 1.2 })).toBe(1.2);
    }
  });
});
