/**
 * Checked reads of a glTF file's JSON, which is untrusted: every field is
 * read through these, so a wrong type, a reference out of range or a list
 * longer than its limit is a `GltfError` that names where it is, never a
 * TypeError deep in the loader.
 */

/** A malformed or unsupported glTF file: the message says what and where. */
export class GltfError extends Error {
  override name = 'GltfError';
}

export type Json = Readonly<Record<string, unknown>>;

const EMPTY: Json = Object.freeze({});

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as an object; `undefined` is an empty one. */
export function object(value: unknown, where: string): Json {
  if (value === undefined) return EMPTY;
  if (!isObject(value)) throw new GltfError(`${where} is not an object`);
  return value;
}

/** `json[key]` as a list of objects of at most `max` entries; missing is empty. */
export function objects(json: Json, key: string, where: string, max: number): Json[] {
  const value = json[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new GltfError(`${where}.${key} is not a list`);
  if (value.length > max) throw new GltfError(`${where}.${key} has ${value.length} entries; at most ${max} are read`);
  return value.map((entry, i) => object(entry, `${where}.${key}[${i}]`));
}

/** `json[key]` as an integer in [min, max], or `fallback` when missing (`undefined` fallback: required). */
export function integer(json: Json, key: string, where: string, min: number, max: number, fallback?: number): number {
  const value = json[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new GltfError(`${where}.${key} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`);
  }
  return value;
}

/** `json[key]` as an index into a list of `count`, or `undefined` when missing. */
export function reference(json: Json, key: string, where: string, count: number): number | undefined {
  if (json[key] === undefined) return undefined;
  if (count === 0) throw new GltfError(`${where}.${key} refers to an entry of an empty list`);
  return integer(json, key, where, 0, count - 1);
}

/** `json[key]` as a finite number, or `fallback` when missing. */
export function finite(json: Json, key: string, where: string, fallback: number): number {
  const value = json[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new GltfError(`${where}.${key} is not a number`);
  return value;
}

/** `json[key]` as exactly `length` finite numbers, or `fallback` when missing. */
export function numbers(json: Json, key: string, where: string, length: number, fallback: readonly number[]): number[] {
  const value = json[key];
  if (value === undefined) return [...fallback];
  if (
    !Array.isArray(value) ||
    value.length !== length ||
    !value.every((n) => typeof n === 'number' && Number.isFinite(n))
  ) {
    throw new GltfError(`${where}.${key} must be ${length} numbers`);
  }
  return value as number[];
}

/** `json[key]` as a list of indices into a list of `count`, at most `max` of them. */
export function references(json: Json, key: string, where: string, count: number, max: number): number[] {
  const value = json[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new GltfError(`${where}.${key} is not a list`);
  if (value.length > max) throw new GltfError(`${where}.${key} has ${value.length} entries; at most ${max} are read`);
  return value.map((entry: unknown, i) => {
    if (typeof entry !== 'number' || !Number.isInteger(entry) || entry < 0 || entry >= count) {
      throw new GltfError(`${where}.${key}[${i}] must be an index below ${count}, not ${JSON.stringify(entry)}`);
    }
    return entry;
  });
}

/** `json[key]` as a string, or `fallback` when missing. */
export function text(json: Json, key: string, where: string, fallback: string): string {
  const value = json[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new GltfError(`${where}.${key} is not a string`);
  return value;
}

/** `json[key]` as a list of strings (extension names), at most `max`. */
export function strings(json: Json, key: string, where: string, max: number): string[] {
  const value = json[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > max || !value.every((s) => typeof s === 'string')) {
    throw new GltfError(`${where}.${key} must be a list of at most ${max} strings`);
  }
  return value as string[];
}

/** An extension's object in `json.extensions`, or `undefined` when it is not there. */
export function extension(json: Json, name: string, where: string): Json | undefined {
  const extensions = object(json.extensions, `${where}.extensions`);
  return extensions[name] === undefined ? undefined : object(extensions[name], `${where}.extensions.${name}`);
}
