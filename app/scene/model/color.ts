/**
 * Colours as scripts write them, normalized to `#rrggbb` plus an alpha:
 * `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa` (bare or quoted), CSS names
 * ("teal"), `rgb(...)`/`rgba(...)` strings, and arrays `[r, g, b(, a)]` of
 * 0..1 floats (or 0..255 when any component is above 1).
 */
import type { JsonValue } from '../../sync/doc/object-state.ts';
import { own } from './own.ts';

export interface Rgba {
  hex: string;
  alpha: number;
}

const NAMED: Readonly<Record<string, string>> = {
  black: '#000000',
  white: '#ffffff',
  red: '#ff0000',
  green: '#008000',
  lime: '#00ff00',
  blue: '#0000ff',
  yellow: '#ffff00',
  cyan: '#00ffff',
  aqua: '#00ffff',
  magenta: '#ff00ff',
  fuchsia: '#ff00ff',
  gray: '#808080',
  grey: '#808080',
  silver: '#c0c0c0',
  maroon: '#800000',
  olive: '#808000',
  navy: '#000080',
  purple: '#800080',
  teal: '#008080',
  orange: '#ffa500',
  pink: '#ffc0cb',
  brown: '#a52a2a',
  gold: '#ffd700',
  indigo: '#4b0082',
  violet: '#ee82ee',
  coral: '#ff7f50',
  salmon: '#fa8072',
  turquoise: '#40e0d0',
  skyblue: '#87ceeb',
  beige: '#f5f5dc',
  ivory: '#fffff0',
  crimson: '#dc143c',
  chocolate: '#d2691e',
  tan: '#d2b48c',
  khaki: '#f0e68c',
  lavender: '#e6e6fa',
  mint: '#98ff98',
};

const byte = (n: number) =>
  Math.round(Math.min(255, Math.max(0, n)))
    .toString(16)
    .padStart(2, '0');

function fromHex(text: string): Rgba | undefined {
  const digits = text.slice(1);
  if (!/^[0-9a-f]+$/i.test(digits)) return undefined;
  if (digits.length === 3 || digits.length === 4) {
    const [r, g, b, a] = [...digits].map((d) => Number.parseInt(d + d, 16));
    return { hex: `#${byte(r ?? 0)}${byte(g ?? 0)}${byte(b ?? 0)}`, alpha: a === undefined ? 1 : a / 255 };
  }
  if (digits.length === 6 || digits.length === 8) {
    const alpha = digits.length === 8 ? Number.parseInt(digits.slice(6), 16) / 255 : 1;
    return { hex: `#${digits.slice(0, 6).toLowerCase()}`, alpha };
  }
  return undefined;
}

function fromComponents(parts: readonly number[], scale255: boolean): Rgba | undefined {
  if (parts.length < 3 || parts.length > 4 || !parts.every(Number.isFinite)) return undefined;
  const [r, g, b, a] = parts as [number, number, number, number | undefined];
  const k = scale255 ? 1 : 255;
  return { hex: `#${byte(r * k)}${byte(g * k)}${byte(b * k)}`, alpha: Math.min(1, Math.max(0, a ?? 1)) };
}

/** The colour a value names, or undefined when it names none. */
export function parseColor(value: JsonValue | undefined): Rgba | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('#')) return fromHex(text);
    if (/^0x[0-9a-f]{6}$/i.test(text)) return { hex: `#${text.slice(2).toLowerCase()}`, alpha: 1 };
    const named = own(NAMED, text.toLowerCase());
    if (named) return { hex: named, alpha: 1 };
    const fn = /^rgba?\(([^)]*)\)$/i.exec(text);
    if (fn) {
      const parts = (fn[1] ?? '').split(',').map((part) => Number(part.trim()));
      return fromComponents(parts, true);
    }
    return undefined;
  }
  if (Array.isArray(value) && value.every((part) => typeof part === 'number')) {
    const parts = value as number[];
    const rgbAbove1 = parts.slice(0, 3).some((part) => part > 1);
    return fromComponents(parts, rgbAbove1);
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffff) {
    return { hex: `#${value.toString(16).padStart(6, '0')}`, alpha: 1 };
  }
  return undefined;
}
