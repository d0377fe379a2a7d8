/**
 * A name tag texture: the name on a rounded plate in the person's colour.
 * Drawn once per name/colour on a canvas; not per frame.
 */
import { CanvasTexture, SRGBColorSpace } from 'three';

const WIDTH = 512;
const HEIGHT = 128;

export function createNameTagTexture(name: string, color: string): CanvasTexture {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.fillStyle = 'rgba(15, 23, 32, 0.78)';
    ctx.beginPath();
    ctx.roundRect(8, 16, WIDTH - 16, HEIGHT - 32, 40);
    ctx.fill();
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.arc(64, HEIGHT / 2, 22, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#e8eef3';
    ctx.font = '600 52px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.fillText(name || 'Guest', 104, HEIGHT / 2 + 2, WIDTH - 128);
  }
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  return texture;
}

/** World size of the tag plate (metres), keeping the canvas aspect ratio. */
export const NAME_TAG_SIZE: [number, number] = [0.5, 0.125];
