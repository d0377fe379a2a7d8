/**
 * Pixel checks on PNG screenshots, decoded by Chromium itself in a blank page
 * (no PNG decoder of our own). `analyzePng` decodes once and runs an analysis
 * function in that page; `pixelStats` is the generic one: how much of the
 * image differs from a background colour, and how many distinct colours it has
 * (a rendered, lit 3D scene has many; a blank or failed canvas has one or two).
 */
import type { Browser } from 'playwright-core';

interface DecodedImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Where an analysis function finds the decoded image in its page: `(window as DecodedPage).__decoded`. */
export interface DecodedPage {
  __decoded: DecodedImage;
}

/**
 * Decodes `png` in a blank page, then evaluates `analyze(arg)` there; `analyze`
 * runs in the browser, so it reads the pixels from `window.__decoded`.
 */
export async function analyzePng<A, R>(browser: Browser, png: Buffer, analyze: (arg: A) => R, arg: A): Promise<R> {
  const page = await browser.newPage();
  try {
    await page.evaluate(
      async (dataUrl) => {
        const image = new Image();
        image.src = dataUrl;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2d context');
        ctx.drawImage(image, 0, 0);
        const { data } = ctx.getImageData(0, 0, image.width, image.height);
        (window as unknown as DecodedPage).__decoded = { data, width: image.width, height: image.height };
      },
      `data:image/png;base64,${png.toString('base64')}`,
    );
    // Arguments cross to the page as JSON: `arg` arrives as the same plain value.
    return await page.evaluate(analyze as (arg: unknown) => R, arg);
  } finally {
    await page.close();
  }
}

export interface PixelStats {
  width: number;
  height: number;
  /** Fraction of pixels farther than a small tolerance from `background`. */
  nonBackground: number;
  /** Distinct colours after quantising each channel to 5 bits. */
  distinctColors: number;
}

export function pixelStats(browser: Browser, png: Buffer, background: [number, number, number]): Promise<PixelStats> {
  return analyzePng(
    browser,
    png,
    (bg) => {
      const { data, width, height } = (window as unknown as DecodedPage).__decoded;
      let differing = 0;
      const colors = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i] ?? 0;
        const g = data[i + 1] ?? 0;
        const b = data[i + 2] ?? 0;
        if (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) > 24) differing++;
        colors.add(((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3));
      }
      const pixels = data.length / 4;
      return { width, height, nonBackground: differing / pixels, distinctColors: colors.size };
    },
    background,
  );
}
