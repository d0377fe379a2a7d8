/**
 * Text labels drawn on a canvas once per text (no font download: the
 * device's own sans-serif, which the page's `font-src 'self'` allows), used as
 * a sprite or plane texture. Multi-line; long text shrinks to fit the canvas.
 */
import { CanvasTexture, LinearFilter, SRGBColorSpace } from 'three';

const FONT_PX = 64;
const LINE_PX = 80;
const PADDING_PX = 28;
const MAX_CANVAS_PX = 2048;
const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export interface TextTexture {
  texture: CanvasTexture;
  /** World width and height for a line height of 1 m. */
  width: number;
  height: number;
}

export function createTextTexture(text: string, color: string, background: string | null): TextTexture {
  const lines = text.split('\n');
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  let fontPx = FONT_PX;
  let widest = 1;
  if (ctx) {
    ctx.font = `600 ${fontPx}px ${FONT_FAMILY}`;
    widest = Math.max(1, ...lines.map((line) => ctx.measureText(line).width));
    // Shrink a very long line rather than cut it.
    if (widest + PADDING_PX * 2 > MAX_CANVAS_PX) {
      fontPx = Math.max(12, Math.floor((fontPx * (MAX_CANVAS_PX - PADDING_PX * 2)) / widest));
      widest = MAX_CANVAS_PX - PADDING_PX * 2;
    }
  }
  const linePx = (LINE_PX * fontPx) / FONT_PX;
  canvas.width = Math.ceil(widest + PADDING_PX * 2);
  canvas.height = Math.min(MAX_CANVAS_PX, Math.ceil(lines.length * linePx + PADDING_PX * 2));
  if (ctx) {
    if (background) {
      ctx.fillStyle = background;
      ctx.globalAlpha = 0.82;
      ctx.beginPath();
      ctx.roundRect(0, 0, canvas.width, canvas.height, Math.min(36, canvas.height / 3));
      ctx.fill();
      ctx.globalAlpha = 1;
    }
    ctx.font = `600 ${fontPx}px ${FONT_FAMILY}`;
    ctx.fillStyle = color;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    lines.forEach((line, i) => {
      ctx.fillText(line, canvas.width / 2, PADDING_PX + linePx * (i + 0.5));
    });
  }
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  texture.minFilter = LinearFilter;
  texture.generateMipmaps = false;
  return { texture, width: canvas.width / linePx, height: canvas.height / linePx };
}
