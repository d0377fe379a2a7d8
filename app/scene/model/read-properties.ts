/**
 * Reads a node's properties (already folded to data) into its fields. Which
 * spellings mean which property, where each applies and the ranges values are
 * clamped to come from the vocabulary (app/scene/syntax/vocabulary.ts); this
 * file says what each property does to a node of each kind (KIND1-KIND4). A
 * key the node's kind does not use is an UNSUPPORTED_PROPERTY warning; a value
 * of the wrong shape is BAD_VALUE; both leave the default in place (RT1).
 */
import type { JsonValue } from '../../sync/doc/object-state.ts';
import { normalizeKey, type Property, propertyIn, type Scope } from '../syntax/vocabulary.ts';
import { parseColor } from './color.ts';
import { MAX_TEXT_CHARS } from './limits.ts';
import { applyMaterialField, applyPreset } from './materials.ts';
import { lightTypeOf, primitiveOf } from './node-kind.ts';
import type {
  LightSpec,
  LocalTransform,
  MaterialSpec,
  Primitive,
  SceneNodeKind,
  TextSpec,
  Vec3,
} from './scene-model.ts';
import { directionFromRotation, finiteNumber, normalize, readBoolean, readVec3, within } from './vectors.ts';

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
  /** Rigid body settings written on the object (`mass: 2`, `physics: { ... }`), read with `@physics` (PHYS1). */
  physics: Record<string, JsonValue>;
}

export type Report = (code: 'UNSUPPORTED_PROPERTY' | 'BAD_VALUE', message: string) => void;

export interface ReadContext {
  namedMaterials: ReadonlyMap<string, ReadonlyMap<string, JsonValue>>;
  report: Report;
}

/** Where each kind of node looks a key up, first match wins. */
const SCOPES: Readonly<Record<SceneNodeKind, readonly Scope[]>> = {
  mesh: ['node', 'mesh', 'material', 'physics'],
  model: ['node', 'model', 'physics'],
  text: ['node', 'text'],
  light: ['node', 'light'],
  group: ['node'],
};

const MESH_SIZES: ReadonlySet<string> = new Set(['size', 'radius', 'width', 'height', 'depth']);

const badValue = (key: string, expected: string) => `\`${key}\` needs ${expected}.`;

const isRecord = (value: JsonValue): value is { [key: string]: JsonValue } =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function readTransformProperty(draft: NodeDraft, name: string, key: string, value: JsonValue, report: Report): boolean {
  switch (name) {
    case 'position':
    case 'rotation': {
      const v = readVec3(value, false);
      if (v) draft.transform[name] = v;
      else report('BAD_VALUE', badValue(key, '[x, y, z]'));
      return true;
    }
    case 'scale': {
      const v = readVec3(value, true);
      if (v) draft.transform.scale = v;
      else report('BAD_VALUE', badValue(key, 'a number or [x, y, z]'));
      return true;
    }
    default:
      return false;
  }
}

/** Properties every drawn node reads (position, visibility, label, shadows, state, `type`). */
function readNodeProperty(draft: NodeDraft, property: Property, key: string, value: JsonValue, report: Report): void {
  if (readTransformProperty(draft, property.name, key, value, report)) return;
  switch (property.name) {
    case 'transform':
      if (isRecord(value)) {
        for (const [inner, innerValue] of Object.entries(value)) {
          const field = propertyIn(['node'], inner)?.name ?? '';
          if (!readTransformProperty(draft, field, inner, innerValue, report)) {
            report('UNSUPPORTED_PROPERTY', `\`transform.${inner}\` is not supported.`);
          }
        }
      } else report('BAD_VALUE', badValue(key, '{ position, rotation, scale }'));
      return;
    case 'visible':
    case 'hidden': {
      const b = readBoolean(value);
      if (b === undefined) report('BAD_VALUE', badValue(key, 'true or false'));
      else draft.visible = property.name === 'visible' ? b : !b;
      return;
    }
    case 'label':
      if (typeof value === 'string') draft.label = value.slice(0, MAX_TEXT_CHARS);
      else report('BAD_VALUE', badValue(key, 'a string'));
      return;
    case 'castShadow':
    case 'receiveShadow':
    case 'shadows': {
      const b = readBoolean(value);
      if (b === undefined) report('BAD_VALUE', badValue(key, 'true or false'));
      else {
        if (property.name !== 'receiveShadow') draft.castShadow = b;
        if (property.name !== 'castShadow') draft.receiveShadow = b;
      }
      return;
    }
    case 'state':
      if (isRecord(value)) {
        for (const [name, entry] of Object.entries(value)) draft.state.set(name, entry);
      } else report('BAD_VALUE', badValue(key, '{ name: value, ... }'));
      return;
    case 'type':
      // `type` chose the kind (node-kind.ts); a mesh reads its geometry from it, a light its type.
      if (draft.kind === 'mesh') {
        const primitive = typeof value === 'string' ? primitiveOf(value) : undefined;
        if (primitive) draft.geometry = primitive;
      } else if (draft.kind === 'light') {
        const type = typeof value === 'string' ? lightTypeOf(value) : undefined;
        if (type) draft.light.type = type;
      }
      return;
    default:
      // Names that document a block (`name`, `id`, `description`, ...) mean nothing to the renderer.
      return;
  }
}

function readMeshProperty(
  draft: NodeDraft,
  property: Property,
  key: string,
  value: JsonValue,
  context: ReadContext,
): void {
  const n = finiteNumber(value);
  switch (property.name) {
    case 'size': {
      const v = readVec3(value, true);
      if (v) draft.size = v.map((part) => within(property, Math.abs(part))) as Vec3;
      else context.report('BAD_VALUE', badValue(key, 'a number or [x, y, z]'));
      return;
    }
    case 'radius':
      if (n === undefined) context.report('BAD_VALUE', badValue(key, 'a number'));
      else {
        const d = 2 * within(property, Math.abs(n));
        draft.size = draft.geometry === 'sphere' ? [d, d, d] : [d, draft.size[1], d];
      }
      return;
    case 'width':
    case 'height':
    case 'depth':
      if (n === undefined) context.report('BAD_VALUE', badValue(key, 'a number'));
      else {
        const axis = property.name === 'width' ? 0 : property.name === 'height' ? 1 : 2;
        draft.size[axis] = within(property, Math.abs(n));
      }
      return;
    case 'geometry': {
      const primitive = typeof value === 'string' ? primitiveOf(value) : undefined;
      if (primitive) draft.geometry = primitive;
      else
        context.report('UNSUPPORTED_PROPERTY', `Geometry ${JSON.stringify(value)} is not supported; drawn as a box.`);
      return;
    }
    case 'mesh':
      if (isRecord(value)) {
        for (const [inner, innerValue] of Object.entries(value)) {
          // `type` names the geometry here; the sizes read as on the mesh; nothing else.
          const isType = normalizeKey(inner) === 'type';
          const innerProperty = propertyIn(['mesh'], isType ? 'geometry' : inner);
          if (innerProperty && (isType || MESH_SIZES.has(innerProperty.name)))
            readMeshProperty(draft, innerProperty, inner, innerValue, context);
          else context.report('UNSUPPORTED_PROPERTY', `\`mesh.${inner}\` is not supported.`);
        }
      } else context.report('BAD_VALUE', badValue(key, '{ type, radius, ... }'));
      return;
    case 'material':
      readMaterialValue(draft, key, value, context);
      return;
    case 'glow': {
      const b = readBoolean(value);
      if (b === undefined) context.report('BAD_VALUE', badValue(key, 'true or false'));
      else draft.glow = b;
      return;
    }
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
  if (isRecord(value)) {
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
    if (propertyIn(['material'], field)) report('BAD_VALUE', `\`${where}.${field}\` has a value it cannot use.`);
    else report('UNSUPPORTED_PROPERTY', `\`${where}.${field}\` is not a material field Holoroom draws.`);
  }
}

function readModelProperty(draft: NodeDraft, property: Property, key: string, value: JsonValue, context: ReadContext) {
  if (property.name === 'model') {
    if (typeof value === 'string') draft.url = value;
    else context.report('BAD_VALUE', badValue(key, 'a URL string'));
    return;
  }
  // `mesh: { type: "model", model_path: "..." }`
  if (isRecord(value)) {
    for (const [inner, innerValue] of Object.entries(value)) {
      if (propertyIn(['model'], inner)?.name === 'model' && typeof innerValue === 'string') draft.url = innerValue;
    }
  }
}

function readTextProperty(draft: NodeDraft, property: Property, key: string, value: JsonValue, context: ReadContext) {
  switch (property.name) {
    case 'text':
      if (typeof value === 'string' || typeof value === 'number')
        draft.text.text = String(value).slice(0, MAX_TEXT_CHARS);
      else context.report('BAD_VALUE', badValue(key, 'a string'));
      return;
    case 'color': {
      const color = parseColor(value);
      if (color) draft.text.color = color.hex;
      else context.report('BAD_VALUE', badValue(key, 'a colour'));
      return;
    }
    case 'font_size': {
      const n = finiteNumber(value);
      // Scripts write font sizes in points (48) or metres (0.2): above 4 it is points at 1 pt = 5 mm.
      if (n !== undefined && n > 0) draft.text.size = within(property, n > 4 ? n * 0.005 : n);
      else context.report('BAD_VALUE', badValue(key, 'a positive number'));
      return;
    }
    case 'background': {
      const color = value === null || value === false ? null : parseColor(value);
      if (color === undefined) context.report('BAD_VALUE', badValue(key, 'a colour or null'));
      else draft.text.background = color === null ? null : color.hex;
      return;
    }
    case 'billboard': {
      const b = readBoolean(value);
      if (b === undefined) context.report('BAD_VALUE', badValue(key, 'true or false'));
      else draft.text.billboard = b;
      return;
    }
  }
}

function readLightProperty(draft: NodeDraft, property: Property, key: string, value: JsonValue, context: ReadContext) {
  const n = finiteNumber(value);
  const light = draft.light;
  switch (property.name) {
    case 'color':
    case 'groundColor': {
      const color = parseColor(value);
      if (!color) context.report('BAD_VALUE', badValue(key, 'a colour'));
      else if (property.name === 'color') light.color = color.hex;
      else light.groundColor = color.hex;
      return;
    }
    case 'intensity':
    case 'distance':
    case 'decay':
    case 'angle':
    case 'penumbra':
      if (n === undefined) context.report('BAD_VALUE', badValue(key, 'a number'));
      else light[property.name] = within(property, n);
      return;
    case 'target': {
      const v = readVec3(value, false);
      if (v) light.target = v;
      else context.report('BAD_VALUE', badValue(key, '[x, y, z]'));
      return;
    }
    case 'direction': {
      const v = readVec3(value, false);
      const unit = v && normalize(v);
      if (unit) draft.direction = unit;
      else context.report('BAD_VALUE', badValue(key, 'a non-zero [x, y, z]'));
      return;
    }
  }
}

/** Reads one property into the draft; reports keys the kind does not use. */
export function readProperty(draft: NodeDraft, rawKey: string, value: JsonValue, context: ReadContext): void {
  const property = propertyIn(SCOPES[draft.kind], rawKey);
  if (!property) {
    context.report('UNSUPPORTED_PROPERTY', `\`${rawKey}\` is not a property Holoroom uses on a ${draft.kind}.`);
    return;
  }
  if (property.name === 'rotation' && draft.kind === 'light' && draft.direction === null) {
    // A rotated directional light points where the rotation turns -Z.
    const v = readVec3(value, false);
    if (v) draft.direction = directionFromRotation(v);
  }
  switch (property.scope) {
    case 'node':
      readNodeProperty(draft, property, rawKey, value, context.report);
      return;
    case 'mesh':
      readMeshProperty(draft, property, rawKey, value, context);
      return;
    case 'material':
      if (!applyMaterialField(draft.material, rawKey, value))
        context.report('BAD_VALUE', badValue(rawKey, 'a valid value'));
      return;
    case 'model':
      readModelProperty(draft, property, rawKey, value, context);
      return;
    case 'text':
      readTextProperty(draft, property, rawKey, value, context);
      return;
    case 'light':
      readLightProperty(draft, property, rawKey, value, context);
      return;
    case 'physics':
      if (property.name !== 'physics') draft.physics[rawKey] = value;
      else if (isRecord(value)) Object.assign(draft.physics, value);
      else context.report('BAD_VALUE', badValue(rawKey, 'a record of @physics settings'));
      return;
  }
}
