/**
 * Text labels drawn on a canvas once per text (no font download: the
 * device's own sans-serif, which the page's `font-src 'self'` allows), used as
 * a sprite or plane texture. Multi-line; long text shrinks to fit the canvas.
 *
 * LIMIT8: all text textures alive at once (a scene's labels) share a budget of
 * TEXT_PIXEL_BUDGET pixels. A label drawn past it is drawn at a lower
 * resolution (blurrier, same size in the room), down to a tiny placeholder, so
 * a script with two thousand long labels cannot take the GPU's memory.
 */
import { CanvasTexture, LinearFilter, SRGBColorSpace } from 'three';

const FONT_PX = 64;
const LINE_PX = 80;
const PADDING_PX = 28;
const MAX_CANVAS_PX = 2048;
const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** LIMIT8: pixels of all text textures alive at once (64 MB of RGBA; 4 labels of the largest size). */
export const TEXT_PIXEL_BUDGET = 16 * 1024 * 1024;

/** The share of the text-texture budget in use, and what a new label may have of it. */
export class TextPixelBudget {
  used = 0;

  constructor(readonly total = TEXT_PIXEL_BUDGET) {}

  /**
   * Reserves room for a `width` x `height` canvas; returns the scale (at most 1)
   * to draw it at so it fits what is left, and the pixels reserved. Release
   * them when the texture goes.
   */
  reserve(width: number, height: number): { scale: number; pixels: number } {
    const wanted = Math.max(1, width * height);
    const left = Math.max(0, this.total - this.used);
    // Past the budget a label still gets a 4x4 placeholder, so it shows where the text is.
    const scale = Math.max(Math.min(1, Math.sqrt(left / wanted)), 4 / Math.max(width, height, 4));
    const pixels = Math.ceil(width * scale) * Math.ceil(height * scale);
    this.used += pixels;
    return { scale, pixels };
  }

  release(pixels: number): void {
    this.used = Math.max(0, this.used - pixels);
  }
}

/** The page's budget: one scene is shown at a time. */
const textPixelBudget = new TextPixelBudget();

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
  const fullWidth = Math.ceil(widest + PADDING_PX * 2);
  const fullHeight = Math.min(MAX_CANVAS_PX, Math.ceil(lines.length * linePx + PADDING_PX * 2));
  // LIMIT8: drawn smaller when the scene's labels have used up the budget.
  const { scale, pixels } = textPixelBudget.reserve(fullWidth, fullHeight);
  canvas.width = Math.ceil(fullWidth * scale);
  canvas.height = Math.ceil(fullHeight * scale);
  if (ctx) {
    ctx.scale(scale, scale);
    if (background) {
      ctx.fillStyle = background;
      ctx.globalAlpha = 0.82;
      ctx.beginPath();
      ctx.roundRect(0, 0, fullWidth, fullHeight, Math.min(36, fullHeight / 3));
      ctx.fill();
      ctx.globalAlpha = 1;
    }
    ctx.font = `600 ${fontPx}px ${FONT_FAMILY}`;
    ctx.fillStyle = color;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    lines.forEach((line, i) => {
      ctx.fillText(line, fullWidth / 2, PADDING_PX + linePx * (i + 0.5));
    });
  }
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  texture.minFilter = LinearFilter;
  texture.generateMipmaps = false;
  texture.addEventListener('dispose', () => textPixelBudget.release(pixels));
  return { texture, width: fullWidth / linePx, height: fullHeight / linePx };
}
