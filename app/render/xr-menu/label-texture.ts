/**
 * Text for the in-world menu: drawn once per label on a canvas (not per
 * frame), large and high-contrast for headset displays (MENU3): light text at
 * 64 px on a dark plate, about 2.5 cm tall letters at arm's length.
 */
import { CanvasTexture, SRGBColorSpace } from 'three';

const WIDTH = 512;
const HEIGHT = 128;

export type LabelStyle = 'button' | 'active' | 'text' | 'danger';

const FILL: Record<LabelStyle, string> = {
  button: '#1f3a5c',
  active: '#2f7d4a',
  text: '#0f1720',
  danger: '#8a2431',
};

export function createLabelTexture(text: string, style: LabelStyle): CanvasTexture {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.fillStyle = FILL[style];
    ctx.beginPath();
    ctx.roundRect(4, 4, WIDTH - 8, HEIGHT - 8, 28);
    ctx.fill();
    ctx.fillStyle = '#f4f7fa';
    ctx.font = '600 60px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, WIDTH / 2, HEIGHT / 2 + 2, WIDTH - 32);
  }
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  return texture;
}
