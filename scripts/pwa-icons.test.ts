import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  encodePng,
  generateIcons,
  iconShapes,
  iconSvg,
  MASKABLE_SAFE_RADIUS,
  PWA_ICONS,
  renderIcon,
  THEME_COLOR,
} from './pwa-icons.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface DecodedPng {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** A strict reader for what encodePng writes: checks signature, every CRC and the row filters. */
function decodePng(png: Buffer): DecodedPng {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    const crc = png.readUInt32BE(offset + 8 + length);
    expect(crc, `CRC of ${type}`).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)) >>> 0);
    types.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  expect(raw.length).toBe((stride + 1) * height);
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (stride + 1)]).toBe(0);
    rgba.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, rgba };
}

const pixel = (img: DecodedPng, x: number, y: number) => [
  ...img.rgba.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4),
];
const theme = [1, 3, 5].map((i) => Number.parseInt(THEME_COLOR.slice(i, i + 2), 16));

describe('project-made PWA icons', () => {
  it('lists 192 and 512 pixel icons for both "any" and "maskable"', () => {
    for (const purpose of ['any', 'maskable']) {
      expect(PWA_ICONS.filter((icon) => icon.purpose === purpose).map((icon) => icon.size)).toEqual([192, 512]);
    }
  });

  it('writes valid PNGs of the listed size that decode to the rendered pixels', () => {
    const icons = generateIcons();
    expect(icons.map((icon) => icon.fileName)).toEqual(PWA_ICONS.map((icon) => icon.fileName));
    for (const [index, { source }] of icons.entries()) {
      const spec = PWA_ICONS[index];
      if (!spec) throw new Error('icon list mismatch');
      const img = decodePng(source);
      expect([img.width, img.height]).toEqual([spec.size, spec.size]);
      expect(Buffer.from(img.rgba).equals(Buffer.from(renderIcon(spec.size, spec.purpose === 'maskable')))).toBe(true);
    }
  });

  it('rejects pixel data of the wrong length', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow(/16 RGBA bytes/);
  });

  it('rounds the corners of the regular icon and fills the maskable one edge to edge', () => {
    const regular = decodePng(encodePng(192, 192, renderIcon(192, false)));
    const maskable = decodePng(encodePng(192, 192, renderIcon(192, true)));
    expect(pixel(regular, 0, 0)[3]).toBe(0);
    expect(pixel(regular, 96, 2)).toEqual([...theme, 255]);
    expect(pixel(maskable, 0, 0)).toEqual([...theme, 255]);
    expect(pixel(maskable, 191, 191)).toEqual([...theme, 255]);
  });

  it('keeps the maskable foreground inside the safe-zone circle', () => {
    const size = 192;
    const img = decodePng(encodePng(size, size, renderIcon(size, true)));
    let foreground = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const [r, g, b] = pixel(img, x, y);
        if (r === theme[0] && g === theme[1] && b === theme[2]) continue;
        foreground++;
        const distance = Math.hypot(x + 0.5 - size / 2, y + 0.5 - size / 2);
        expect(distance, `pixel ${x},${y}`).toBeLessThanOrEqual(size * MASKABLE_SAFE_RADIUS);
      }
    }
    expect(foreground).toBeGreaterThan(size * 4);
  });

  it('draws the same design as the SVG favicon (public/favicon.svg is generated)', () => {
    expect(readFileSync(path.join(ROOT, 'public', 'favicon.svg'), 'utf8')).toBe(iconSvg());
    expect(iconShapes(false).length).toBe(iconSvg().match(/<(rect|circle|ellipse) /g)?.length);
  });
});
