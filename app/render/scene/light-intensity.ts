/**
 * The intensity three.js is given for a scene light (docs/scene-runtime.md
 * LIGHT1). three.js point and spot lights are physical (candela,
 * inverse-square); scripts write intensities around 1 meaning "a lamp". This
 * factor makes `intensity: 1` light a few metres around it visibly.
 * Directional, ambient and hemisphere intensities are used as given.
 */
import type { LightSpec } from '../../scene/model/scene-model.ts';

const LOCAL_LIGHT_SCALE = 8;

export function drawnIntensity(light: Pick<LightSpec, 'type' | 'intensity'>): number {
  return light.type === 'point' || light.type === 'spot' ? light.intensity * LOCAL_LIGHT_SCALE : light.intensity;
}
