/**
 * The daylight sky (ENV1): three's `Sky` shader on a large dome. Its own chunk,
 * loaded once the room is interactive (docs/performance.md LOAD11).
 */
import { Vector3 } from 'three';
import { Sky } from 'three/examples/jsm/objects/Sky.js';
import { SUN_DIRECTION } from './sky.ts';

export function createSkyDome(): Sky {
  const dome = new Sky();
  dome.scale.setScalar(450);
  const uniforms = dome.material.uniforms as Record<string, { value: unknown }>;
  const set = (name: string, value: unknown) => {
    const uniform = uniforms[name];
    if (uniform) uniform.value = value;
  };
  set('turbidity', 4);
  set('rayleigh', 1.2);
  set('mieCoefficient', 0.004);
  set('mieDirectionalG', 0.8);
  set('sunPosition', new Vector3(...SUN_DIRECTION));
  return dome;
}
