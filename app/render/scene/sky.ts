/** Sky backgrounds (ENV1): a vertical gradient texture, and the daylight sky shader. */
import { CanvasTexture, EquirectangularReflectionMapping, SRGBColorSpace, Vector3 } from 'three';
import { Sky } from 'three/examples/jsm/objects/Sky.js';

/** Direction of the default sun (also the default key light's). */
export const SUN_DIRECTION: [number, number, number] = [0.4, 0.8, 0.3];

/** An equirectangular background: `top` overhead blending to `bottom` at and below the horizon. */
export function gradientTexture(top: string, bottom: string): CanvasTexture {
  const canvas = document.createElement('canvas');
  canvas.width = 4;
  canvas.height = 256;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const gradient = ctx.createLinearGradient(0, 0, 0, canvas.height);
    gradient.addColorStop(0, top);
    gradient.addColorStop(0.5, bottom);
    gradient.addColorStop(1, bottom);
    ctx.fillStyle = gradient;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  }
  const texture = new CanvasTexture(canvas);
  texture.mapping = EquirectangularReflectionMapping;
  texture.colorSpace = SRGBColorSpace;
  return texture;
}

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
