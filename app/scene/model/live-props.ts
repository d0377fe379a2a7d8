/**
 * Properties a handler may change while the room runs (docs/scene-runtime.md
 * PROP1-PROP3). They live in the room document as `prop.<key>` on the
 * object's entry, so a change made by one person's click is seen by everyone.
 * Which properties, in which spellings, of which type and range, is the
 * vocabulary's (app/scene/syntax/vocabulary.ts: `writable`).
 *
 *   PROP1 writable: the vocabulary's writable properties, and trait_<name>
 *         (true/false) for its toggleable traits. Spellings fold as in scripts
 *         (`baseColor`, `diffuse` -> color; `emission` -> emissive).
 *   PROP2 a value is checked and normalized before it is written (colours to
 *         `#rrggbb`, numbers clamped); a bad value is refused with a message.
 *   PROP3 values read back from the document are checked again (a peer may
 *         write anything); bad ones are ignored.
 */
import type { JsonValue } from '../../sync/doc/object-state.ts';
import { TRAITS, writableNames, writableProperty } from '../syntax/vocabulary.ts';
import { parseColor } from './color.ts';
import { MAX_TEXT_CHARS } from './limits.ts';
import type { Traits } from './scene-model.ts';
import { within } from './vectors.ts';

export const TOGGLEABLE_TRAITS: readonly (keyof Traits)[] = TRAITS.filter((trait) => trait.toggleable).map(
  (trait) => trait.name as keyof Traits,
);
const TRAIT_PREFIX = 'trait_';

/** The stored key for a written property name, or undefined when handlers cannot change it. */
export function livePropKey(written: string): string | undefined {
  if (written.startsWith(TRAIT_PREFIX)) {
    const trait = written.slice(TRAIT_PREFIX.length) as keyof Traits;
    return TOGGLEABLE_TRAITS.includes(trait) ? written : undefined;
  }
  return writableProperty(written)?.name;
}

export function traitPropKey(trait: keyof Traits): string {
  return `${TRAIT_PREFIX}${trait}`;
}

/** The trait a `trait_<name>` key toggles. */
export function traitOfPropKey(key: string): keyof Traits | undefined {
  if (!key.startsWith(TRAIT_PREFIX)) return undefined;
  const trait = key.slice(TRAIT_PREFIX.length) as keyof Traits;
  return TOGGLEABLE_TRAITS.includes(trait) ? trait : undefined;
}

export const WRITABLE_PROPS_TEXT = `${writableNames().join(', ')}, trait_<name>`;

/** PROP2/PROP3: the normalized value for a stored key, or an error message. */
export function checkLiveProp(
  key: string,
  value: JsonValue,
): { ok: true; value: JsonValue } | { ok: false; error: string } {
  if (key.startsWith(TRAIT_PREFIX)) {
    return typeof value === 'boolean' ? { ok: true, value } : { ok: false, error: `${key} needs true or false` };
  }
  const property = writableProperty(key);
  switch (property?.name === key ? property.type : undefined) {
    case 'colour': {
      const color = parseColor(value);
      return color ? { ok: true, value: color.hex } : { ok: false, error: `${key} needs a colour such as "#ff8800"` };
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, error: `${key} needs a number` };
      return { ok: true, value: within(property ?? {}, value) };
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, error: `${key} needs true or false` };
    case 'text':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        return { ok: true, value: String(value).slice(0, MAX_TEXT_CHARS) };
      }
      return { ok: false, error: `${key} needs a string` };
    case 'text or null':
      if (value === null) return { ok: true, value: null };
      if (typeof value === 'string' || typeof value === 'number') {
        return { ok: true, value: String(value).slice(0, MAX_TEXT_CHARS) };
      }
      return { ok: false, error: `${key} needs a string or null` };
    default:
      return {
        ok: false,
        error: `${key} is not a property handlers can change (they can change ${WRITABLE_PROPS_TEXT})`,
      };
  }
}
