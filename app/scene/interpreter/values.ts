/**
 * Values inside the handler interpreter. They are not JavaScript objects a
 * script could reach through: records are Maps (so `__proto__` and
 * `constructor` are ordinary keys with no meaning), and objects, state and
 * built-ins are opaque references the interpreter alone knows how to use.
 */

import type { ObjectId } from '../../core/ids.ts';
import type { JsonValue } from '../../sync/doc/object-state.ts';
import type { FunctionValue } from '../syntax/ast.ts';
import { Fault } from './faults.ts';
import { MAX_ARRAY_LENGTH, MAX_STORED_PARTS, MAX_STRING_LENGTH } from './limits.ts';

export type Value = null | boolean | number | string | Value[] | RecordValue | ObjectRef | StateRef | Builtin | Closure;

export interface Local {
  value: Value;
  constant: boolean;
}

/**
 * Where names live while statements run: a handler's parameters and locals,
 * a loop body's, or a function's; `parent` is the scope it was made in, so a
 * function sees and changes the locals around it (`total += item.price`).
 */
export interface Frame {
  self: ObjectId;
  locals: Map<string, Local>;
  event: Value;
  parent: Frame | null;
}

/** The frame that holds local `name`, from `frame` outwards, or undefined. */
export function frameOf(frame: Frame, name: string): Frame | undefined {
  for (let scope: Frame | null = frame; scope !== null; scope = scope.parent) {
    if (scope.locals.has(name)) return scope;
  }
  return undefined;
}

/** A function written in the script (`(v) => v * 2`, SYN13) and the frame it was made in. */
export class Closure {
  constructor(
    readonly node: FunctionValue,
    readonly frame: Frame,
  ) {}
}

/** `{ key: value }` made in a handler or read from state. */
export class RecordValue {
  constructor(readonly entries: Map<string, Value> = new Map()) {}
}

/** An object of the scene: `this`, `find("Lamp")`. */
export class ObjectRef {
  constructor(readonly id: ObjectId) {}
}

/** An object's state (`state`, `this.state`) or the scene's (`scene`). */
export class StateRef {
  constructor(readonly id: ObjectId) {}
}

/** A function the interpreter provides (`Math.floor`, `find`, `console.log`) or a namespace of them. */
export class Builtin {
  constructor(
    readonly name: string,
    readonly call: ((args: Value[]) => Value) | null,
    readonly members: ReadonlyMap<string, Value> = new Map(),
  ) {}
}

/** Keys a record stored in the room document may not have: other programs give them meaning. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function typeName(value: Value): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof RecordValue) return 'a record';
  if (value instanceof ObjectRef) return 'an object';
  if (value instanceof StateRef) return 'a state';
  if (value instanceof Builtin || value instanceof Closure) return 'a function';
  return `a ${typeof value}`;
}

export function truthy(value: Value): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  if (typeof value === 'number' && Number.isNaN(value)) return false;
  return true;
}

export function equal(a: Value, b: Value): boolean {
  if (a instanceof ObjectRef && b instanceof ObjectRef) return a.id === b.id;
  if (a instanceof StateRef && b instanceof StateRef) return a.id === b.id;
  return a === b;
}

export function checkString(text: string): string {
  if (text.length > MAX_STRING_LENGTH) throw new Fault('LIMIT', `a string longer than ${MAX_STRING_LENGTH} characters`);
  return text;
}

/**
 * Text for `+` with strings and for logs; bounded in length. Built piece by
 * piece and stopped as soon as it passes MAX_STRING_LENGTH, so lists that
 * hold each other (`[a, a, a]` four deep) cost at most that many pieces, not
 * the millions they stand for (INT10).
 */
export function display(value: Value): string {
  if (typeof value === 'string') return value;
  const out: string[] = [];
  let length = 0;
  const put = (text: string) => {
    length += text.length;
    if (length > MAX_STRING_LENGTH) {
      throw new Fault('LIMIT', `a string longer than ${MAX_STRING_LENGTH} characters`);
    }
    out.push(text);
  };
  const walk = (item: Value, depth: number): void => {
    if (item === null) put('null');
    else if (typeof item === 'string') put(item);
    else if (typeof item === 'number' || typeof item === 'boolean') put(String(item));
    else if (depth > 4) put('…');
    else if (Array.isArray(item)) {
      put('[');
      item.forEach((part, i) => {
        if (i > 0) put(', ');
        walk(part, depth + 1);
      });
      put(']');
    } else if (item instanceof RecordValue) {
      put('{ ');
      let first = true;
      for (const [key, part] of item.entries) {
        if (!first) put(', ');
        first = false;
        put(`${key}: `);
        walk(part, depth + 1);
      }
      put(' }');
    } else if (item instanceof ObjectRef) put(`object ${item.id}`);
    else if (item instanceof StateRef) put(`state of ${item.id}`);
    else if (item instanceof Closure) put(`function ${item.node.name ?? ''}`.trimEnd());
    else put(`function ${item.name}`);
  };
  walk(value, 0);
  return out.join('');
}

/** What storing one value cost (INT10): its parts and its size as JSON. */
export class StoreMeter {
  parts = 0;
  bytes = 0;

  count(bytes: number): void {
    this.parts++;
    this.bytes += bytes;
    if (this.parts > MAX_STORED_PARTS) {
      throw new Fault('LIMIT', `a stored value may have at most ${MAX_STORED_PARTS} parts`);
    }
  }
}

/** A stored value as an interpreter value (a fresh copy: changing it changes nothing stored). */
export function fromJson(value: JsonValue): Value {
  if (Array.isArray(value)) return value.map(fromJson);
  if (value !== null && typeof value === 'object') {
    const record = new RecordValue();
    for (const [key, item] of Object.entries(value)) record.entries.set(key, fromJson(item));
    return record;
  }
  return value;
}

/**
 * A value to store in the room document; references and reserved keys are
 * refused. `meter` counts what it costs (INT10): a part per value, list item
 * and record entry, and its size as JSON.
 */
export function toJson(value: Value, depth = 0, meter = new StoreMeter()): JsonValue {
  if (depth > 8) throw new Fault('TYPE', 'a value nested more than 8 levels cannot be stored');
  if (value === null || typeof value === 'boolean') {
    meter.count(5);
    return value;
  }
  if (typeof value === 'string') {
    meter.count(value.length + 2);
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Fault('TYPE', 'a number that is not finite cannot be stored');
    meter.count(24);
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_ARRAY_LENGTH) throw new Fault('LIMIT', `a list longer than ${MAX_ARRAY_LENGTH}`);
    meter.count(2);
    return value.map((item) => toJson(item, depth + 1, meter));
  }
  if (value instanceof RecordValue) {
    meter.count(2);
    const out: Record<string, JsonValue> = Object.create(null);
    for (const [key, item] of value.entries) {
      if (RESERVED_KEYS.has(key)) throw new Fault('TYPE', `the key "${key}" cannot be stored`);
      meter.count(key.length + 3);
      out[key] = toJson(item, depth + 1, meter);
    }
    return out;
  }
  throw new Fault('TYPE', `${typeName(value)} cannot be stored in state`);
}
