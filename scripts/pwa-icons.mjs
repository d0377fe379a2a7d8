#!/usr/bin/env node
// The app's icon, drawn by this script and nothing else: one vector design
// (a ring floating over its shadow on a dark tile) written out as the SVG
// favicon and rasterised to the PNG icons the web app manifest lists.
// Node built-ins only: a tiny supersampling rasteriser for three shape kinds
// and a PNG encoder on top of zlib.
//
//   node scripts/pwa-icons.mjs [OUT_DIR]   writes the icons (default build/icons)
//
// The build does not need this CLI: vite.config.ts calls `generateIcons()` and
// emits the files into build/app/icons/.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

/** Theme colours, shared with the web app manifest (vite.config.ts). */
export const THEME_COLOR = '#0f1720';
export const ACCENT_COLOR = '#1fb5c9';

/** Design units: the icon is a VIEWBOX x VIEWBOX square. */
const VIEWBOX = 64;

/**
 * @typedef {{ kind: 'roundedRect', x: number, y: number, w: number, h: number, r: number }
 *   | { kind: 'ring', cx: number, cy: number, r: number, width: number }
 *   | { kind: 'ellipse', cx: number, cy: number, rx: number, ry: number }} Geometry
 * @typedef {Geometry & { color: string, opacity: number }} Shape
 */

/** The foreground, in design units. */
const FOREGROUND = /** @type {Shape[]} */ ([
  { kind: 'ring', cx: 32, cy: 30, r: 16, width: 5, color: ACCENT_COLOR, opacity: 1 },
  { kind: 'ellipse', cx: 32, cy: 48, rx: 20, ry: 5, color: ACCENT_COLOR, opacity: 0.45 },
]);

/**
 * Maskable icons are cropped by the platform to any shape inside the central
 * circle of radius 40 % (the "safe zone"), so the tile goes edge to edge and
 * the foreground shrinks around the centre to stay inside that circle.
 */
export const MASKABLE_SCALE = 0.72;
export const MASKABLE_SAFE_RADIUS = 0.4;

/**
 * @param {boolean} maskable
 * @returns {Shape[]}
 */
export function iconShapes(maskable) {
  if (!maskable) {
    return [{ kind: 'roundedRect', x: 0, y: 0, w: 64, h: 64, r: 14, color: THEME_COLOR, opacity: 1 }, ...FOREGROUND];
  }
  const c = VIEWBOX / 2;
  const s = MASKABLE_SCALE;
  /** @param {number} v */
  const at = (v) => c + (v - c) * s;
  /** @type {Shape[]} */
  const shrunk = FOREGROUND.map((shape) =>
    shape.kind === 'ring'
      ? { ...shape, cx: at(shape.cx), cy: at(shape.cy), r: shape.r * s, width: shape.width * s }
      : shape.kind === 'ellipse'
        ? { ...shape, cx: at(shape.cx), cy: at(shape.cy), rx: shape.rx * s, ry: shape.ry * s }
        : shape,
  );
  return [{ kind: 'roundedRect', x: 0, y: 0, w: 64, h: 64, r: 0, color: THEME_COLOR, opacity: 1 }, ...shrunk];
}

/** @param {Shape} shape */
function svgElement(shape) {
  const paint = shape.opacity === 1 ? '' : ` opacity="${shape.opacity}"`;
  switch (shape.kind) {
    case 'roundedRect':
      return `<rect width="${shape.w}" height="${shape.h}" rx="${shape.r}" fill="${shape.color}"${paint}/>`;
    case 'ring':
      return `<circle cx="${shape.cx}" cy="${shape.cy}" r="${shape.r}" fill="none" stroke="${shape.color}" stroke-width="${shape.width}"${paint}/>`;
    case 'ellipse':
      return `<ellipse cx="${shape.cx}" cy="${shape.cy}" rx="${shape.rx}" ry="${shape.ry}" fill="${shape.color}"${paint}/>`;
  }
}

/** The favicon (public/favicon.svg is this text; a test keeps them equal). */
export function iconSvg() {
  const body = iconShapes(false).map(svgElement).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${VIEWBOX} ${VIEWBOX}"><title>Holoroom</title>${body}</svg>\n`;
}

/**
 * Whether a point (design units) lies inside a shape's filled area.
 * @param {Geometry} g @param {number} x @param {number} y
 */
export function contains(g, x, y) {
  switch (g.kind) {
    case 'roundedRect': {
      if (x < g.x || y < g.y || x > g.x + g.w || y > g.y + g.h) return false;
      const dx = Math.max(g.x + g.r - x, 0, x - (g.x + g.w - g.r));
      const dy = Math.max(g.y + g.r - y, 0, y - (g.y + g.h - g.r));
      return dx * dx + dy * dy <= g.r * g.r;
    }
    case 'ring': {
      // Squared distances: Math.hypot is slow, and this runs millions of times.
      const dx = x - g.cx;
      const dy = y - g.cy;
      const d2 = dx * dx + dy * dy;
      const inner = g.r - g.width / 2;
      const outer = g.r + g.width / 2;
      return d2 >= inner * inner && d2 <= outer * outer;
    }
    case 'ellipse': {
      const nx = (x - g.cx) / g.rx;
      const ny = (y - g.cy) / g.ry;
      return nx * nx + ny * ny <= 1;
    }
  }
}

/** @param {string} hex `#rrggbb` @returns {[number, number, number]} */
function rgb(hex) {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** Samples per edge pixel along each axis (16 per pixel): smooth edges at 192 px. */
const SUPERSAMPLE = 4;

/** @param {Geometry} g @returns {[number, number, number, number]} left, top, right, bottom */
function bounds(g) {
  switch (g.kind) {
    case 'roundedRect':
      return [g.x, g.y, g.x + g.w, g.y + g.h];
    case 'ring': {
      const r = g.r + g.width / 2;
      return [g.cx - r, g.cy - r, g.cx + r, g.cy + r];
    }
    case 'ellipse':
      return [g.cx - g.rx, g.cy - g.ry, g.cx + g.rx, g.cy + g.ry];
  }
}

/**
 * Whether every shape treats the whole pixel alike (its four corners and its
 * centre fall on the same side of each edge): then one sample is exact, since
 * no feature of the design is thinner than a pixel.
 * @param {Geometry[]} shapes @param {[number, number, number, number][]} boxes their `bounds`
 * @param {number} x0 @param {number} y0 @param {number} unit
 */
function uniformPixel(shapes, boxes, x0, y0, unit) {
  for (let i = 0; i < shapes.length; i++) {
    const shape = /** @type {Geometry} */ (shapes[i]);
    const [left, top, right, bottom] = /** @type {[number, number, number, number]} */ (boxes[i]);
    // Wholly outside the shape's box: uniformly outside.
    if (x0 + unit < left || x0 > right || y0 + unit < top || y0 > bottom) continue;
    const inside = contains(shape, x0 + unit / 2, y0 + unit / 2);
    if (
      contains(shape, x0, y0) !== inside ||
      contains(shape, x0 + unit, y0) !== inside ||
      contains(shape, x0, y0 + unit) !== inside ||
      contains(shape, x0 + unit, y0 + unit) !== inside
    ) {
      return false;
    }
  }
  return true;
}

/**
 * Rasterises the icon to straight (non-premultiplied) RGBA, row by row.
 * @param {number} size pixels per side
 * @param {boolean} maskable
 * @returns {Uint8Array}
 */
export function renderIcon(size, maskable) {
  const layers = iconShapes(maskable).map((shape) => ({ shape, color: rgb(shape.color) }));
  const geometry = layers.map((layer) => layer.shape);
  const boxes = geometry.map(bounds);
  const out = new Uint8Array(size * size * 4);
  const unit = VIEWBOX / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const grid = uniformPixel(geometry, boxes, px * unit, py * unit, unit) ? 1 : SUPERSAMPLE;
      // Premultiplied accumulation of "source over" for each sample.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const x = (px + (sx + 0.5) / grid) * unit;
          const y = (py + (sy + 0.5) / grid) * unit;
          let sr = 0;
          let sg = 0;
          let sb = 0;
          let sa = 0;
          for (const { shape, color } of layers) {
            if (!contains(shape, x, y)) continue;
            const alpha = shape.opacity;
            sr = color[0] * alpha + sr * (1 - alpha);
            sg = color[1] * alpha + sg * (1 - alpha);
            sb = color[2] * alpha + sb * (1 - alpha);
            sa = alpha + sa * (1 - alpha);
          }
          r += sr;
          g += sg;
          b += sb;
          a += sa;
        }
      }
      const n = grid * grid;
      const i = (py * size + px) * 4;
      const alpha = a / n;
      out[i] = alpha > 0 ? Math.round(r / n / alpha) : 0;
      out[i + 1] = alpha > 0 ? Math.round(g / n / alpha) : 0;
      out[i + 2] = alpha > 0 ? Math.round(b / n / alpha) : 0;
      out[i + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}

/** @param {string} type @param {Uint8Array} data */
function pngChunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Encodes 8-bit RGBA as PNG (colour type 6, no interlace, filter 0 per row).
 * @param {number} width @param {number} height @param {Uint8Array} rgba
 * @returns {Buffer}
 */
export function encodePng(width, height, rgba) {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} RGBA bytes`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * The icons the manifest lists (paths relative to the app root).
 * @type {readonly { fileName: string, size: number, purpose: 'any' | 'maskable' }[]}
 */
export const PWA_ICONS = [
  { fileName: 'icons/icon-192.png', size: 192, purpose: 'any' },
  { fileName: 'icons/icon-512.png', size: 512, purpose: 'any' },
  { fileName: 'icons/icon-maskable-192.png', size: 192, purpose: 'maskable' },
  { fileName: 'icons/icon-maskable-512.png', size: 512, purpose: 'maskable' },
];

/** @returns {{ fileName: string, source: Buffer }[]} */
export function generateIcons() {
  return PWA_ICONS.map(({ fileName, size, purpose }) => ({
    fileName,
    source: encodePng(size, size, renderIcon(size, purpose === 'maskable')),
  }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = path.resolve(process.argv[2] ?? 'build/icons');
  for (const { fileName, source } of generateIcons()) {
    const file = path.join(outDir, path.basename(fileName));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, source);
    console.log(`${file} (${source.length} bytes)`);
  }
}
