/**
 * How many open microphones a listener hears at most (docs/voice.md VOICE14),
 * and a page's `?voice-nearest=N`. Apart from `nearest-speakers.ts` because the
 * page reads it before voice's own code has loaded (docs/performance.md LOAD9).
 */

/** VOICE14: above this many open microphones (others'), each listener hears only this many, the nearest. */
export const NEAREST_SPEAKERS = 8;

/**
 * The limit a page's `?voice-nearest=N` asks for (tests use it to show the
 * rule with few browsers): a whole number 1..32, else the default.
 */
export function nearestLimitFrom(param: string | null): number {
  if (param === null || !/^[0-9]{1,2}$/.test(param)) return NEAREST_SPEAKERS;
  const n = Number(param);
  return n >= 1 && n <= 32 ? n : NEAREST_SPEAKERS;
}
