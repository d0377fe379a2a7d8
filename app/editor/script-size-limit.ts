/**
 * CAP1 on edit: a local edit that would make the script longer than the cap is
 * refused (and reported); edits that shrink it always pass, so an over-cap
 * script received from peers can be brought back under. Remote changes are
 * never filtered: they are already in the shared document.
 */
import { SCRIPT_MAX_CHARS } from '../sync/doc/limits.ts';

/** Why a local edit from `beforeLength` to `afterLength` characters is refused, or undefined when it may go in. */
export function refuseOverLimit(
  beforeLength: number,
  afterLength: number,
  maxChars = SCRIPT_MAX_CHARS,
): string | undefined {
  if (afterLength <= maxChars || afterLength <= beforeLength) return undefined;
  return `The script can be at most ${maxChars.toLocaleString('en')} characters; this edit would make it ${afterLength.toLocaleString('en')}.`;
}
