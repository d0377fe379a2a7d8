/**
 * Reads a node's properties (already folded to data) into its fields, one
 * table per kind (KIND1-KIND4). A key the node's kind does not use is an
 * UNSUPPORTED_PROPERTY warning; a value of the wrong shape is BAD_VALUE; both
 * leave the default in place (RT1).
 */
import type { JsonValue } from '../../sync/doc/object-state.ts';
import { parseColor } from './color.ts';
import { MAX_TEXT_CHARS } from './limits.ts';
import { applyMaterialField, applyPreset, MATERIAL_KEYS, normalizeKey } from './materials.ts';
import { lightTypeOf, MODEL_KEYS, primitiveOf } from './node-kind.ts';
import type {
  LightSpec,
  LocalTransform,
  MaterialSpec,
  Primitive,
  SceneNodeKind,
  TextSpec,
  Vec3,
} from './scene-model.ts';
import { clamp, directionFromRotation, finiteNumber, normalize, readBoolean, readVec3 } from './vectors.ts';

export interface NodeDraft {
  kind: SceneNodeKind;
  transform: LocalTransform;
  visible: boolean;
  label: string | null;
  castShadow: boolean | null;
  receiveShadow: boolean | null;
  state: Map<string, JsonValue>;
  glow: boolean;
  geometry: Primitive;
  size: Vec3;
  material: MaterialSpec;
  url: string | null;
  text: TextSpec;
  light: LightSpec;
  /** Directional lights: where the light points, if the script said. */
  direction: Vec3 | null;
}

export type Report = (code: 'UNSUPPORTED_PROPERTY' | 'BAD_VALUE', message: string) => void;

export interface ReadContext {
  namedMaterials: ReadonlyMap<string, ReadonlyMap<string, JsonValue>>;
  report: Report;
}

/** Keys that document a block and mean nothing to the renderer (accepted silently). */
const DOC_KEYS: ReadonlySet<string> = new Set(['name', 'id', 'description', 'tags', 'comment', 'note']);

const badValue = (key: string, expected: string) => `\`${key}\` needs ${expected}.`;

function readTransformKey(draft: NodeDraft, key: string, value: JsonValue, report: Report): boolean {
  switch (key) {
    case 'position':
    case 'rotation': {
      const v = readVec3(value, false);
      if (v) draft.transform[key] = v;
      else report('BAD_VALUE', badValue(key, '[x, y, z]'));
      return true;
    }
    case 'scale': {
      const v = readVec3(value, true);
      if (v) draft.transform.scale = v;
      else report('BAD_VALUE', badValue(key, 'a number or [x, y, z]'));
      return true;
    }
    case 'transform':
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const [inner, innerValue] of Object.entries(value)) {
          if (!readTransformKey(draft, normalizeKey(inner), innerValue, report)) {
            report('UNSUPPORTED_PROPERTY', `\`transform.${inner}\` is not supported.`);
          }
        }
      } else report('BAD_VALUE', badValue(key, '{ position, rotation, scale }'));
      return true;
    default:
      return false;
  }
}

function readCommonKey(draft: NodeDraft, key: string, value: JsonValue, report: Report): boolean {
  if (readTransformKey(draft, key, value, report)) return true;
  switch (key) {
    case 'visible':
    case 'hidden': {
      const b = readBoolean(value);
      if (b === undefined) report('BAD_VALUE', badValue(key, 'true or false'));
      else draft.visible = key === 'visible' ? b : !b;
      return true;
    }
    case 'label':
      if (typeof value === 'string') draft.label = value.slice(0, MAX_TEXT_CHARS);
      else report('BAD_VALUE', badValue(key, 'a string'));
      return true;
    case 'castshadow':
    case 'castshadows':
    case 'receiveshadow':
    case 'receiveshadows':
    case 'shadows': {
      const b = readBoolean(value);
      if (b === undefined) report('BAD_VALUE', badValue(key, 'true or false'));
      else {
        if (key.startsWith('cast') || key === 'shadows') draft.castShadow = b;
        if (key.startsWith('receive') || key === 'shadows') draft.receiveShadow = b;
      }
      return true;
    }
    case 'state':
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const [name, entry] of Object.entries(value)) draft.state.set(name, entry);
      } else report('BAD_VALUE', badValue(key, '{ name: value, ... }'));
      return true;
    default:
      return DOC_KEYS.has(key);
  }
}

function readSizeKey(draft: NodeDraft, key: string, value: JsonValue, report: Report): boolean {
  const n = finiteNumber(value);
  switch (key) {
    case 'size': {
      const v = readVec3(value, true);
      if (v) draft.size = v.map((part) => clamp(Math.abs(part), 0, 1000)) as Vec3;
      else report('BAD_VALUE', badValue(key, 'a number or [x, y, z]'));
      return true;
    }
    case 'radius':
      if (n === undefined) report('BAD_VALUE', badValue(key, 'a number'));
      else {
        const d = clamp(Math.abs(n) * 2, 0, 1000);
        draft.size = draft.geometry === 'sphere' ? [d, d, d] : [d, draft.size[1], d];
      }
      return true;
    case 'width':
    case 'height':
    case 'depth':
      if (n === undefined) report('BAD_VALUE', badValue(key, 'a number'));
      else draft.size[key === 'width' ? 0 : key === 'height' ? 1 : 2] = clamp(Math.abs(n), 0, 1000);
      return true;
    default:
      return false;
  }
}

function readMaterialValue(draft: NodeDraft, key: string, value: JsonValue, context: ReadContext): void {
  if (typeof value === 'string') {
    if (!applyPreset(draft.material, value, context.namedMaterials)) {
      context.report(
        'UNSUPPORTED_PROPERTY',
        `Material "${value}" is not a known preset; the default material is used.`,
      );
    }
    return;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    applyMaterialRecord(draft.material, value, key, context.report);
    return;
  }
  context.report('BAD_VALUE', badValue(key, 'a preset name or { baseColor, roughness, ... }'));
}

export function applyMaterialRecord(
  material: MaterialSpec,
  record: Readonly<Record<string, JsonValue>>,
  where: string,
  report: Report,
): void {
  for (const [field, fieldValue] of Object.entries(record)) {
    if (applyMaterialField(material, field, fieldValue)) continue;
    if (MATERIAL_KEYS.has(normalizeKey(field))) report('BAD_VALUE', `\`${where}.${field}\` has a value it cannot use.`);
    else report('UNSUPPORTED_PROPERTY', `\`${where}.${field}\` is not a material field Holoroom draws.`);
  }
}

function readMeshKey(draft: NodeDraft, key: string, value: JsonValue, context: ReadContext): boolean {
  if (readSizeKey(draft, key, value, context.report)) return true;
  if (MATERIAL_KEYS.has(key)) {
    if (!applyMaterialField(draft.material, key, value)) context.report('BAD_VALUE', badValue(key, 'a valid value'));
    return true;
  }
  switch (key) {
    case 'geometry':
    case 'shape':
    case 'primitive': {
      const primitive = typeof value === 'string' ? primitiveOf(value) : undefined;
      if (primitive) draft.geometry = primitive;
      else
        context.report('UNSUPPORTED_PROPERTY', `Geometry ${JSON.stringify(value)} is not supported; drawn as a box.`);
      return true;
    }
    case 'mesh':
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const [inner, innerValue] of Object.entries(value)) {
          const innerKey = normalizeKey(inner);
          if (innerKey === 'type') readMeshKey(draft, 'geometry', innerValue, context);
          else if (!readSizeKey(draft, innerKey, innerValue, context.report)) {
            context.report('UNSUPPORTED_PROPERTY', `\`mesh.${inner}\` is not supported.`);
          }
        }
      } else context.report('BAD_VALUE', badValue(key, '{ type, radius, ... }'));
      return true;
    case 'material':
    case 'advancedpbr':
    case 'pbr':
      readMaterialValue(draft, key, value, context);
      return true;
    case 'glow': {
      const b = readBoolean(value);
      if (b === undefined) context.report('BAD_VALUE', badValue(key, 'true or false'));
      else draft.glow = b;
      return true;
    }
    case 'type': {
      const primitive = typeof value === 'string' ? primitiveOf(value) : undefined;
      if (primitive) draft.geometry = primitive;
      return true;
    }
    default:
      return false;
  }
}

function readModelKey(draft: NodeDraft, key: string, value: JsonValue, context: ReadContext): boolean {
  if (MODEL_KEYS.has(key)) {
    if (typeof value === 'string') draft.url = value;
    else context.report('BAD_VALUE', badValue(key, 'a URL string'));
    return true;
  }
  if (key === 'mesh' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [inner, innerValue] of Object.entries(value)) {
      if (MODEL_KEYS.has(normalizeKey(inner)) && typeof innerValue === 'string') draft.url = innerValue;
    }
    return true;
  }
  return false;
}

function readTextKey(draft: NodeDraft, key: string, value: JsonValue, context: ReadContext): boolean {
  switch (key) {
    case 'text':
    case 'content':
    case 'value':
      if (typeof value === 'string' || typeof value === 'number')
        draft.text.text = String(value).slice(0, MAX_TEXT_CHARS);
      else context.report('BAD_VALUE', badValue(key, 'a string'));
      return true;
    case 'color':
    case 'textcolor':
    case 'fontcolor': {
      const color = parseColor(value);
      if (color) draft.text.color = color.hex;
      else context.report('BAD_VALUE', badValue(key, 'a colour'));
      return true;
    }
    case 'fontsize':
    case 'textsize':
    case 'size': {
      const n = finiteNumber(value);
      // Scripts write font sizes in points (48) or metres (0.2): above 4 it is points at 1 pt = 5 mm.
      if (n !== undefined && n > 0) draft.text.size = clamp(n > 4 ? n * 0.005 : n, 0.01, 10);
      else context.report('BAD_VALUE', badValue(key, 'a positive number'));
      return true;
    }
    case 'background':
    case 'backgroundcolor': {
      const color = value === null || value === false ? null : parseColor(value);
      if (color === undefined) context.report('BAD_VALUE', badValue(key, 'a colour or null'));
      else draft.text.background = color === null ? null : color.hex;
      return true;
    }
    case 'billboard': {
      const b = readBoolean(value);
      if (b === undefined) context.report('BAD_VALUE', badValue(key, 'true or false'));
      else draft.text.billboard = b;
      return true;
    }
    default:
      return false;
  }
}

function readLightKey(draft: NodeDraft, key: string, value: JsonValue, context: ReadContext): boolean {
  const n = finiteNumber(value);
  const light = draft.light;
  const needNumber = () => context.report('BAD_VALUE', badValue(key, 'a number'));
  switch (key) {
    case 'type': {
      const type = typeof value === 'string' ? lightTypeOf(value) : undefined;
      if (type) light.type = type;
      return true;
    }
    case 'color':
    case 'skycolor': {
      const color = parseColor(value);
      if (color) light.color = color.hex;
      else context.report('BAD_VALUE', badValue(key, 'a colour'));
      return true;
    }
    case 'groundcolor': {
      const color = parseColor(value);
      if (color) light.groundColor = color.hex;
      else context.report('BAD_VALUE', badValue(key, 'a colour'));
      return true;
    }
    case 'intensity':
      if (n === undefined) needNumber();
      else light.intensity = clamp(n, 0, 100);
      return true;
    case 'distance':
    case 'range':
      if (n === undefined) needNumber();
      else light.distance = clamp(n, 0, 1000);
      return true;
    case 'decay':
      if (n === undefined) needNumber();
      else light.decay = clamp(n, 0, 4);
      return true;
    case 'angle':
    case 'spotangle':
      if (n === undefined) needNumber();
      else light.angle = clamp(n, 1, 89);
      return true;
    case 'penumbra':
      if (n === undefined) needNumber();
      else light.penumbra = clamp(n, 0, 1);
      return true;
    case 'target':
    case 'lookat': {
      const v = readVec3(value, false);
      if (v) light.target = v;
      else context.report('BAD_VALUE', badValue(key, '[x, y, z]'));
      return true;
    }
    case 'direction': {
      const v = readVec3(value, false);
      const unit = v && normalize(v);
      if (unit) draft.direction = unit;
      else context.report('BAD_VALUE', badValue(key, 'a non-zero [x, y, z]'));
      return true;
    }
    default:
      return false;
  }
}

/** Reads one property into the draft; reports keys the kind does not use. */
export function readProperty(draft: NodeDraft, rawKey: string, value: JsonValue, context: ReadContext): void {
  const key = normalizeKey(rawKey);
  if (key === 'rotation' && draft.kind === 'light' && draft.direction === null) {
    // A rotated directional light points where the rotation turns -Z (after the common read below).
    const v = readVec3(value, false);
    if (v) draft.direction = directionFromRotation(v);
  }
  if (readCommonKey(draft, key, value, context.report)) return;
  // `type` chose the kind (node-kind.ts); meshes and lights read it again below.
  if (key === 'type' && (draft.kind === 'text' || draft.kind === 'model' || draft.kind === 'group')) return;
  let known = false;
  switch (draft.kind) {
    case 'mesh':
      known = readMeshKey(draft, key, value, context);
      break;
    case 'model':
      known = readModelKey(draft, key, value, context);
      break;
    case 'text':
      known = readTextKey(draft, key, value, context);
      break;
    case 'light':
      known = readLightKey(draft, key, value, context);
      break;
    case 'group':
      break;
  }
  if (!known) {
    context.report('UNSUPPORTED_PROPERTY', `\`${rawKey}\` is not a property Holoroom uses on a ${draft.kind}.`);
  }
}
