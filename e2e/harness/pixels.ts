/**
 * Pixel statistics of a PNG screenshot, decoded by Chromium itself in a blank
 * page (no PNG decoder of our own): how much of the image differs from a
 * background colour, and how many distinct colours it has (a rendered, lit 3D
 * scene has many; a blank or failed canvas has one or two).
 */
import type { Browser } from 'playwright-core';

export interface PixelStats {
  width: number;
  height: number;
  /** Fraction of pixels farther than a small tolerance from `background`. */
  nonBackground: number;
  /** Distinct colours after quantising each channel to 5 bits. */
  distinctColors: number;
}

export async function pixelStats(
  browser: Browser,
  png: Buffer,
  background: [number, number, number],
): Promise<PixelStats> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ dataUrl, bg }) => {
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
        return {
          width: image.width,
          height: image.height,
          nonBackground: differing / pixels,
          distinctColors: colors.size,
        };
      },
      { dataUrl: `data:image/png;base64,${png.toString('base64')}`, bg: background },
    );
  } finally {
    await page.close();
  }
}
