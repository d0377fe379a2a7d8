/**
 * Properties a handler may change while the room runs (docs/scene-runtime.md
 * PROP1-PROP3). They live in the room document as `prop.<key>` on the
 * object's entry, so a change made by one person's click is seen by everyone.
 *
 *   PROP1 writable: color, emissive, emissiveIntensity, opacity, roughness,
 *         metallic, visible, text, label, intensity (lights), and
 *         trait_<name> (true/false) for glowing, animated, clickable, hoverable,
 *         grabbable. Spellings fold as in scripts: `baseColor`, `base_color`
 *         -> color; `metalness` -> metallic; `content` -> text.
 *   PROP2 a value is checked and normalized before it is written (colours to
 *         `#rrggbb`, numbers clamped); a bad value is refused with a message.
 *   PROP3 values read back from the document are checked again (a peer may
 *         write anything); bad ones are ignored.
 */
import type { JsonValue } from '../../sync/doc/object-state.ts';
import { parseColor } from './color.ts';
import { MAX_TEXT_CHARS } from './limits.ts';
import { normalizeKey } from './materials.ts';
import { own } from './own.ts';
import type { Traits } from './scene-model.ts';

type Kind = 'color' | 'unit' | 'intensity' | 'lightIntensity' | 'boolean' | 'text' | 'label';

const PROPS: Readonly<Record<string, Kind>> = {
  color: 'color',
  emissive: 'color',
  emissiveIntensity: 'intensity',
  opacity: 'unit',
  roughness: 'unit',
  metallic: 'unit',
  visible: 'boolean',
  text: 'text',
  label: 'label',
  intensity: 'lightIntensity',
};

const SPELLINGS: Readonly<Record<string, string>> = {
  color: 'color',
  basecolor: 'color',
  albedo: 'color',
  emissive: 'emissive',
  emissivecolor: 'emissive',
  emissiveintensity: 'emissiveIntensity',
  emissionintensity: 'emissiveIntensity',
  opacity: 'opacity',
  alpha: 'opacity',
  roughness: 'roughness',
  metallic: 'metallic',
  metalness: 'metallic',
  visible: 'visible',
  text: 'text',
  content: 'text',
  label: 'label',
  intensity: 'intensity',
};

export const TOGGLEABLE_TRAITS: readonly (keyof Traits)[] = [
  'glowing',
  'animated',
  'clickable',
  'hoverable',
  'grabbable',
];
const TRAIT_PREFIX = 'trait_';

/** The stored key for a written property name, or undefined when handlers cannot change it. */
export function livePropKey(written: string): string | undefined {
  if (written.startsWith(TRAIT_PREFIX)) {
    const trait = written.slice(TRAIT_PREFIX.length) as keyof Traits;
    return TOGGLEABLE_TRAITS.includes(trait) ? written : undefined;
  }
  return own(SPELLINGS, normalizeKey(written));
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

export const WRITABLE_PROPS_TEXT = `${Object.keys(PROPS).join(', ')}, trait_<name>`;

/** PROP2/PROP3: the normalized value for a stored key, or an error message. */
export function checkLiveProp(
  key: string,
  value: JsonValue,
): { ok: true; value: JsonValue } | { ok: false; error: string } {
  const kind: Kind | undefined = key.startsWith(TRAIT_PREFIX) ? 'boolean' : own(PROPS, key);
  switch (kind) {
    case 'color': {
      const color = parseColor(value);
      return color ? { ok: true, value: color.hex } : { ok: false, error: `${key} needs a colour such as "#ff8800"` };
    }
    case 'unit':
    case 'intensity':
    case 'lightIntensity': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, error: `${key} needs a number` };
      const max = kind === 'unit' ? 1 : kind === 'intensity' ? 20 : 100;
      return { ok: true, value: Math.min(max, Math.max(0, value)) };
    }
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, error: `${key} needs true or false` };
    case 'text':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        return { ok: true, value: String(value).slice(0, MAX_TEXT_CHARS) };
      }
      return { ok: false, error: `${key} needs a string` };
    case 'label':
      if (value === null) return { ok: true, value: null };
      if (typeof value === 'string' || typeof value === 'number') {
        return { ok: true, value: String(value).slice(0, MAX_TEXT_CHARS) };
      }
      return { ok: false, error: `${key} needs a string or null` };
    case undefined:
      return {
        ok: false,
        error: `${key} is not a property handlers can change (they can change ${WRITABLE_PROPS_TEXT})`,
      };
  }
}
