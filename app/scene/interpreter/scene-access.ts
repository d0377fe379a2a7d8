/**
 * How handler code reaches the scene (docs/scene-runtime.md INT2, INT7,
 * PROP1): what an assignment target means (a local, object state, a property
 * override, a transform component, a record field, a list item), reading and
 * writing it through the run's pending changes, objects' members and methods,
 * and finding objects by name. The evaluator (run.ts) decides what code
 * means; this file decides what it may touch.
 */

import { type ObjectId, objectId } from '../../core/ids.ts';
import type { JsonValue, Transform } from '../../sync/doc/object-state.ts';
import { isValidFieldKey } from '../../sync/doc/object-state.ts';
import { checkLiveProp, livePropKey, WRITABLE_PROPS_TEXT } from '../model/live-props.ts';
import { SCENE_STATE_ID } from '../model/object-ids.ts';
import { own } from '../model/own.ts';
import type { SceneNode, Vec3 } from '../model/scene-model.ts';
import type { Expression, Handler, Identifier, Index, Member, Span } from '../syntax/ast.ts';
import { commandOf } from '../syntax/command-words.ts';
import { Fault } from './faults.ts';
import { MAX_ARRAY_LENGTH } from './limits.ts';
import {
  display,
  type Frame,
  frameOf,
  fromJson,
  ObjectRef,
  RecordValue,
  StateRef,
  typeName,
  type Value,
} from './values.ts';
import type { Pending, World } from './world.ts';

/** Where an assignment writes. */
export type Place =
  | { kind: 'local'; frame: Frame; name: string }
  | { kind: 'state'; id: ObjectId; key: string }
  | { kind: 'prop'; id: ObjectId; key: string }
  | { kind: 'transform'; id: ObjectId; field: 'position' | 'rotation' | 'scale'; component: number | null }
  | { kind: 'record'; record: RecordValue; key: string }
  | { kind: 'array'; array: Value[]; index: number };

/** What this file needs from the evaluator. */
export interface Evaluator {
  readonly world: World;
  readonly pending: Pending;
  eval(expression: Expression, frame: Frame): Value;
  spend(n: number, span?: Span): void;
  checkWrites(span: Span): void;
  /** A value as the JSON the room document stores, paid for (INT10). */
  stored(value: Value, span: Span): JsonValue;
  warn(message: string, span: Span): void;
  sound(url: string, span: Span): void;
  callHandler(handler: Handler, self: ObjectId, args: Value[], event: Value, span: Span): Value;
  /** Calls a script function or a built-in (SYN13). */
  callValue(fn: Value, args: Value[], span: Span): Value;
  /** The method or scene action `name` for object `id` (INT7). */
  findMethod(id: ObjectId, name: string): { handler: Handler; owner: ObjectId } | undefined;
}

/** Names a handler cannot assign or declare (INT2). */
export const NAMES_NOT_ASSIGNABLE: ReadonlySet<string> = new Set([
  'this',
  'state',
  'scene',
  'event',
  'Math',
  'console',
]);
const TRANSFORM_FIELDS: ReadonlySet<string> = new Set(['position', 'rotation', 'scale']);
const AXES: Readonly<Record<string, number>> = { x: 0, y: 1, z: 2 };

export class SceneAccess {
  constructor(private readonly run: Evaluator) {}

  place(target: Expression, frame: Frame): Place {
    this.run.spend(1, target);
    switch (target.kind) {
      case 'Identifier':
        return this.identifierPlace(target, frame);
      case 'Member':
        return this.memberPlace(target, frame);
      case 'Index':
        return this.indexPlace(target, frame);
      case 'String':
        return this.statePlace(frame.self, target.value, target);
      default:
        throw new Fault('TYPE', 'this cannot be assigned to', target);
    }
  }

  private identifierPlace(target: Identifier, frame: Frame): Place {
    const owner = frameOf(frame, target.name);
    if (owner) return { kind: 'local', frame: owner, name: target.name };
    if (NAMES_NOT_ASSIGNABLE.has(target.name)) {
      throw new Fault('READONLY', `\`${target.name}\` cannot be assigned to`, target);
    }
    // A bare name that is not a local is the object's state (`set grabbed true`).
    return this.statePlace(frame.self, target.name, target);
  }

  private statePlace(id: ObjectId, key: string, span: Span): Place {
    if (!isValidFieldKey(key)) throw new Fault('NAME', `"${key}" is not a valid state name`, span);
    return { kind: 'state', id, key };
  }

  private objectPlace(id: ObjectId, property: string, span: Span): Place {
    if (TRANSFORM_FIELDS.has(property)) {
      return { kind: 'transform', id, field: property as 'position', component: null };
    }
    const key = livePropKey(property);
    if (!key) {
      throw new Fault(
        'READONLY',
        `\`${property}\` is not a property handlers can change (${WRITABLE_PROPS_TEXT})`,
        span,
      );
    }
    return { kind: 'prop', id, key };
  }

  private memberPlace(target: Member, frame: Frame): Place {
    // `this.position.y = 2`: one component of a transform vector.
    const inner = target.object;
    const axis = own(AXES, target.property);
    if (inner.kind === 'Member' && TRANSFORM_FIELDS.has(inner.property) && axis !== undefined) {
      const owner = this.run.eval(inner.object, frame);
      if (owner instanceof ObjectRef) {
        return {
          kind: 'transform',
          id: owner.id,
          field: inner.property as 'position',
          component: axis,
        };
      }
    }
    const object = this.run.eval(inner, frame);
    return this.propertyPlace(object, target.property, target);
  }

  private propertyPlace(object: Value, property: string, span: Span): Place {
    if (object instanceof StateRef) return this.statePlace(object.id, property, span);
    if (object instanceof ObjectRef) {
      if (property === 'state') throw new Fault('READONLY', 'assign to `state.<name>` instead', span);
      return this.objectPlace(object.id, property, span);
    }
    if (object instanceof RecordValue) return { kind: 'record', record: object, key: property };
    throw new Fault('TYPE', `cannot set .${property} on ${typeName(object)}`, span);
  }

  private indexPlace(target: Index, frame: Frame): Place {
    const inner = target.object;
    if (inner.kind === 'Member' && TRANSFORM_FIELDS.has(inner.property)) {
      const owner = this.run.eval(inner.object, frame);
      const index = this.run.eval(target.index, frame);
      if (owner instanceof ObjectRef && typeof index === 'number' && [0, 1, 2].includes(index)) {
        return { kind: 'transform', id: owner.id, field: inner.property as 'position', component: index };
      }
    }
    const object = this.run.eval(inner, frame);
    const index = this.run.eval(target.index, frame);
    if (Array.isArray(object)) {
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > object.length) {
        throw new Fault('TYPE', `list index ${display(index)} is outside the list`, target);
      }
      if (index >= MAX_ARRAY_LENGTH) throw new Fault('LIMIT', `a list longer than ${MAX_ARRAY_LENGTH}`, target);
      return { kind: 'array', array: object, index };
    }
    if (typeof index !== 'string') throw new Fault('TYPE', `${typeName(object)} needs a string key`, target);
    return this.propertyPlace(object, index, target);
  }

  read(place: Place, span: Span): Value {
    switch (place.kind) {
      case 'local':
        return place.frame.locals.get(place.name)?.value ?? null;
      case 'state': {
        const value = this.run.pending.readState(place.id, place.key);
        return value === undefined ? null : fromJson(value);
      }
      case 'prop': {
        const value = this.run.pending.readProp(place.id, place.key);
        return value === undefined ? null : fromJson(value);
      }
      case 'transform': {
        const transform = this.transformOf(place.id, span);
        const vector = transform[place.field];
        return place.component === null ? [...vector] : (vector[place.component] as number);
      }
      case 'record':
        return place.record.entries.get(place.key) ?? null;
      case 'array':
        return place.array[place.index] ?? null;
    }
  }

  write(place: Place, value: Value, span: Span): void {
    switch (place.kind) {
      case 'local': {
        const local = place.frame.locals.get(place.name);
        if (local?.constant) throw new Fault('READONLY', `\`${place.name}\` is a constant`, span);
        place.frame.locals.set(place.name, { value, constant: false });
        return;
      }
      case 'state':
        this.run.checkWrites(span);
        if (place.id !== SCENE_STATE_ID) this.node(place.id, span);
        this.run.pending.setState(place.id, place.key, this.run.stored(value, span));
        return;
      case 'prop': {
        this.run.checkWrites(span);
        this.node(place.id, span);
        const checked = checkLiveProp(place.key, this.run.stored(value, span));
        if (!checked.ok) throw new Fault('TYPE', checked.error, span);
        this.run.pending.setProp(place.id, place.key, checked.value);
        return;
      }
      case 'transform': {
        this.run.checkWrites(span);
        const transform = this.transformOf(place.id, span);
        const next: Transform = {
          position: [...transform.position],
          rotation: [...transform.rotation],
          scale: [...transform.scale],
        };
        if (place.component === null) next[place.field] = this.vector(value, place.field === 'scale', span);
        else {
          if (typeof value !== 'number' || !Number.isFinite(value)) throw new Fault('TYPE', 'needs a number', span);
          next[place.field][place.component] = value;
        }
        this.run.pending.setTransform(place.id, next);
        return;
      }
      case 'record':
        place.record.entries.set(place.key, value);
        return;
      case 'array':
        place.array[place.index] = value;
        return;
    }
  }

  transformOf(id: ObjectId, span: Span): Transform {
    const transform = this.run.pending.readTransform(id);
    if (!transform) throw new Fault('NAME', `object ${id} is not in the scene`, span);
    return transform;
  }

  vector(value: Value, uniform: boolean, span: Span): Vec3 {
    if (typeof value === 'number' && uniform && Number.isFinite(value)) return [value, value, value];
    if (Array.isArray(value) && value.length === 3 && value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      return value as Vec3;
    }
    throw new Fault('TYPE', 'needs [x, y, z]', span);
  }

  findObject(name: string): ObjectRef | null {
    for (const node of this.run.world.current.byId.values()) {
      if (node.name === name) return new ObjectRef(node.id);
    }
    // A name that is an id (`find("Shelf/Lamp")`) finds that object.
    const id = objectId(name);
    return this.run.world.current.byId.has(id) ? new ObjectRef(id) : null;
  }

  node(id: ObjectId, span: Span): SceneNode {
    const node = this.run.pending.node(id);
    if (!node) throw new Fault('NAME', `object ${id} is not in the scene`, span);
    return node;
  }

  objectMember(id: ObjectId, property: string, span: Span): Value {
    const node = this.node(id, span);
    switch (property) {
      case 'state':
        return new StateRef(id);
      case 'id':
        return id;
      case 'name':
        return node.name;
      case 'kind':
        return node.kind;
      case 'position':
      case 'rotation':
      case 'scale':
        return [...this.transformOf(id, span)[property]];
    }
    const key = livePropKey(property);
    if (key) {
      const value = this.run.pending.readProp(id, key);
      return value === undefined ? null : fromJson(value);
    }
    return null;
  }

  /**
   * INT7: the method `name` for object `id`: its own, else the nearest
   * enclosing object's or group's, else the scene's action of that name.
   */
  findMethod(id: ObjectId, name: string): { handler: Handler; owner: ObjectId } | undefined {
    let owner: ObjectId | undefined = id;
    for (let hops = 0; owner !== undefined && hops < 64; hops++) {
      const handler = this.run.pending.node(owner)?.handlers.methods.get(name);
      if (handler) return { handler, owner };
      owner = this.run.world.current.parentOf.get(owner);
    }
    const action = this.run.world.current.actions.get(name);
    return action ? { handler: action, owner: id } : undefined;
  }

  callMethod(id: ObjectId, name: string, args: Value[], frame: Frame, span: Span): Value {
    const node = this.node(id, span);
    const method = this.findMethod(id, name);
    if (method) return this.run.callHandler(method.handler, method.owner, args, frame.event, span);
    // Commands that are also methods (`this.playSound("x")`, INT7), in every spelling the vocabulary knows.
    if (commandOf(name)?.method) {
      if (typeof args[0] === 'string') this.run.sound(args[0], span);
      else this.run.warn(`${name} needs a sound file name`, span);
      return null;
    }
    this.run.warn(`\`${name}()\` is not a method of ${node.name ?? id}; it does nothing`, span);
    return null;
  }
}
