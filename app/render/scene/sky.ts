/** Sky backgrounds (ENV1): a vertical gradient texture; the daylight sky is `sky-dome.ts`. */
import { CanvasTexture, EquirectangularReflectionMapping, SRGBColorSpace } from 'three';

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
