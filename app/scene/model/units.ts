/**
 * Numbers with units (`20m`, `100ms`, `45deg`, `50%`; scene-language.md LEX4)
 * as the plain numbers the scene uses (docs/scene-runtime.md UNIT1): lengths in
 * metres, times in seconds, angles in degrees, percentages as fractions.
 */

import { own } from './own.ts';

const FACTORS: Readonly<Record<string, number>> = {
  m: 1,
  cm: 0.01,
  mm: 0.001,
  km: 1000,
  s: 1,
  ms: 0.001,
  deg: 1,
  '°': 1,
  rad: 180 / Math.PI,
  '%': 0.01,
};

export type UnitResult = { ok: true; value: number } | { ok: false; message: string };

/** `value` in `unit` as the scene's number, or why it is not one. */
export function fromUnit(value: number, unit: string): UnitResult {
  const factor = own(FACTORS, unit);
  if (factor === undefined) {
    return {
      ok: false,
      message: `the unit \`${unit}\` is not one Holoroom knows (${Object.keys(FACTORS).join(', ')})`,
    };
  }
  const result = value * factor;
  return Number.isFinite(result) ? { ok: true, value: result } : { ok: false, message: 'not a finite number' };
}
