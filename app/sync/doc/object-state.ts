/**
 * Per-object runtime state in the room document: what happened to an object
 * since the script created it (moved by a hand, changed by a handler, held by
 * someone). One Y.Map per object, keyed by the object's stable id, so
 * concurrent changes to different fields of one object merge.
 *
 * Entry fields (docs/room-doc.md, "Object state"):
 *   transform      { position: [x,y,z], rotation: [x,y,z] (degrees), scale: [x,y,z] }
 *   owner          awareness client id of whoever holds the object, or null
 *   state.<key>    a handler `state` value (JSON)
 *   prop.<key>     a property a handler overrode (JSON)
 *   updatedAt      ms since epoch of the last local write (for pruning orphans)
 *
 * Everything read back is validated: entries come from peers.
 */
import type * as Y from 'yjs';
import type { PeerId } from '../../core/ids.ts';

type Vec3 = [number, number, number];

export interface Transform {
  position: Vec3;
  rotation: Vec3;
  scale: Vec3;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface ObjectState {
  transform?: Transform;
  owner: PeerId | null;
  state: Map<string, JsonValue>;
  props: Map<string, JsonValue>;
  updatedAt: number;
}

export const FIELD_TRANSFORM = 'transform';
export const FIELD_OWNER = 'owner';
export const FIELD_UPDATED_AT = 'updatedAt';
export const STATE_PREFIX = 'state.';
export const PROP_PREFIX = 'prop.';

/** Object ids: 1-256 characters, no control characters (docs/room-doc.md OBJ1). */
export function isValidObjectId(id: unknown): id is string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  return typeof id === 'string' && id.length > 0 && id.length <= 256 && !/[\u0000-\u001f\u007f]/.test(id);
}

/** State and property keys: identifiers as the scene language writes them. */
export function isValidFieldKey(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key);
}

function isVec3(value: unknown): value is Vec3 {
  return Array.isArray(value) && value.length === 3 && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}

/** A transform as a grab writes it: position, rotation and scale, three finite numbers each. */
export function isTransformValue(value: unknown): value is Transform {
  return parseTransform(value) !== undefined;
}

function parseTransform(value: unknown): Transform | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { position, rotation, scale } = value as Record<string, unknown>;
  if (!isVec3(position) || !isVec3(rotation) || !isVec3(scale)) return undefined;
  return { position: [...position], rotation: [...rotation], scale: [...scale] };
}

const MAX_JSON_DEPTH = 8;

/** A JSON value as Yjs stores it (ContentAny); rejects functions, NaN and deep nesting. */
export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > MAX_JSON_DEPTH) return false;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (typeof value === 'object') {
    return Object.values(value as Record<string, unknown>).every((item) => isJsonValue(item, depth + 1));
  }
  return false;
}

/** An `owner` field: a client id, or null for anything else. */
export function readOwner(value: unknown): PeerId | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? (value as PeerId) : null;
}

/** Reads one object's entry; malformed fields are skipped, never thrown. */
export function readObjectState(entry: Y.Map<unknown>): ObjectState {
  const result: ObjectState = { owner: null, state: new Map(), props: new Map(), updatedAt: 0 };
  for (const [key, value] of entry.entries()) {
    if (key === FIELD_TRANSFORM) {
      const transform = parseTransform(value);
      if (transform) result.transform = transform;
    } else if (key === FIELD_OWNER) {
      result.owner = readOwner(value);
    } else if (key === FIELD_UPDATED_AT) {
      result.updatedAt = typeof value === 'number' && Number.isFinite(value) ? value : 0;
    } else if (key.startsWith(STATE_PREFIX)) {
      const name = key.slice(STATE_PREFIX.length);
      if (isValidFieldKey(name) && isJsonValue(value)) result.state.set(name, value);
    } else if (key.startsWith(PROP_PREFIX)) {
      const name = key.slice(PROP_PREFIX.length);
      if (isValidFieldKey(name) && isJsonValue(value)) result.props.set(name, value);
    }
  }
  return result;
}
