/**
 * Materials: the material fields of the vocabulary (MAT1: `color`,
 * `roughness`, `metallic`, `emissive`, ..., in any of their spellings) in a
 * `material { }` block, a `material: { }` value or flat on the object, and
 * named presets (`material: "metal"`, MAT2). Later writes win field by field, so a template's
 * material and an object's override merge (TPL2).
 */
import type { JsonValue } from '../../sync/doc/object-state.ts';
import { propertyIn } from '../syntax/vocabulary.ts';
import { parseColor } from './color.ts';
import type { MaterialSpec } from './scene-model.ts';
import { finiteNumber, readBoolean, within } from './vectors.ts';

const DEFAULT_COLOR = '#d8dee4';

export function defaultMaterial(): MaterialSpec {
  return {
    color: DEFAULT_COLOR,
    roughness: 0.6,
    metallic: 0,
    emissive: '#000000',
    emissiveIntensity: 0,
    opacity: 1,
    wireframe: false,
    doubleSided: false,
  };
}

type Preset = Partial<MaterialSpec> & { emissiveFromColor?: boolean };

/** MAT2: preset words; `painted_metal` finds `metal`. */
const PRESETS: Readonly<Record<string, Preset>> = {
  metal: { metallic: 0.9, roughness: 0.3 },
  metallic: { metallic: 0.9, roughness: 0.3 },
  steel: { metallic: 0.9, roughness: 0.35 },
  chrome: { metallic: 1, roughness: 0.08 },
  gunmetal: { metallic: 0.85, roughness: 0.4 },
  reflective: { metallic: 1, roughness: 0.1 },
  plastic: { metallic: 0, roughness: 0.45 },
  polymer: { metallic: 0, roughness: 0.5 },
  glass: { metallic: 0, roughness: 0.05, opacity: 0.35 },
  wood: { metallic: 0, roughness: 0.8 },
  concrete: { metallic: 0, roughness: 0.95 },
  stone: { metallic: 0, roughness: 0.9 },
  rubber: { metallic: 0, roughness: 0.95 },
  fabric: { metallic: 0, roughness: 1 },
  matte: { metallic: 0, roughness: 1 },
  glossy: { metallic: 0, roughness: 0.15 },
  emissive: { emissiveFromColor: true, emissiveIntensity: 1 },
  neon: { emissiveFromColor: true, emissiveIntensity: 2 },
  wireframe: { wireframe: true },
  grid: { wireframe: true },
};

/** Applies a preset by name; false when no word of the name is a known preset. */
export function applyPreset(
  material: MaterialSpec,
  name: string,
  named: ReadonlyMap<string, ReadonlyMap<string, JsonValue>>,
): boolean {
  const custom = named.get(name);
  if (custom) {
    for (const [key, value] of custom) applyMaterialField(material, key, value);
    return true;
  }
  const word = name
    .toLowerCase()
    .split(/[^a-z]+/)
    .find((part) => Object.hasOwn(PRESETS, part));
  const preset = word === undefined ? undefined : PRESETS[word];
  if (!preset) return false;
  const { emissiveFromColor, ...fields } = preset;
  Object.assign(material, fields);
  if (emissiveFromColor) material.emissive = material.color;
  return true;
}

/**
 * One material field, in any spelling (MAT1); returns false when the key is
 * not a material field or its value is not valid for it.
 */
export function applyMaterialField(material: MaterialSpec, key: string, value: JsonValue): boolean {
  const property = propertyIn(['material'], key);
  switch (property?.name) {
    case 'color': {
      const color = parseColor(value);
      if (!color) return false;
      material.color = color.hex;
      if (color.alpha < 1) material.opacity = color.alpha;
      return true;
    }
    case 'roughness':
    case 'metallic':
    case 'opacity': {
      const n = finiteNumber(value);
      if (n === undefined) return false;
      material[property.name] = within(property, n);
      return true;
    }
    case 'emissive': {
      const color = parseColor(value);
      if (!color) return false;
      material.emissive = color.hex;
      if (material.emissiveIntensity === 0) material.emissiveIntensity = 1;
      return true;
    }
    case 'emissiveIntensity': {
      const n = finiteNumber(value);
      if (n === undefined) return false;
      material.emissiveIntensity = within(property, n);
      // `emissionIntensity` alone (no emissive colour) makes the object glow in its own colour.
      if (material.emissive === '#000000') material.emissive = material.color;
      return true;
    }
    case 'transparent': {
      const b = readBoolean(value);
      if (b === undefined) return false;
      if (b && material.opacity === 1) material.opacity = 0.6;
      return true;
    }
    case 'wireframe':
    case 'doubleSided': {
      const b = readBoolean(value);
      if (b === undefined) return false;
      material[property.name] = b;
      return true;
    }
    default:
      return false;
  }
}
