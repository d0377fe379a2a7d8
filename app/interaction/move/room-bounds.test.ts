import { describe, expect, it } from 'vitest';
import { modelOf } from '../../../testing/scene/parsed-scenes.ts';
import { DEFAULT_BOUNDS, roomBounds } from './room-bounds.ts';

describe('room bounds', () => {
  it('[LOCO4][LOCO6] come from the scene’s environment (ENV7), else the default room', async () => {
    expect(roomBounds(undefined)).toEqual(DEFAULT_BOUNDS);
    expect(roomBounds((await modelOf('object "A" {}')).environment)).toEqual(DEFAULT_BOUNDS);
    const model = await modelOf('environment { skybox: "night"; size: 16; scale: 1.5 }');
    expect(roomBounds(model.environment)).toEqual({ floorRadius: 8, scale: 1.5 });
  });
});
