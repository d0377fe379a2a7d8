/**
 * The tree-walking evaluator (docs/scene-runtime.md INT1-INT12). It reads the
 * parser's statement and expression nodes and nothing else: there is no
 * `eval`, no `Function`, no property lookup on JavaScript objects, so a
 * script can only reach what this file hands it (its object, other objects
 * by name, state, the event, a few maths and text helpers).
 */

import type { JsonValue, Transform } from '../../sync/object-state.ts';
import { isValidFieldKey } from '../../sync/object-state.ts';
import type { Call, Expression, Handler, Identifier, Index, Member, Span, Statement } from '../ast.ts';
import { checkLiveProp, livePropKey, WRITABLE_PROPS_TEXT } from '../model/live-props.ts';
import { SCENE_STATE_ID } from '../model/object-ids.ts';
import { own } from '../model/own.ts';
import type { SceneNode, Vec3 } from '../model/scene-model.ts';
import { fromUnit } from '../model/units.ts';
import { createBuiltins } from './builtins.ts';
import { runCommand } from './commands.ts';
import { Fault } from './faults.ts';
import { runFields } from './fields.ts';
import {
  MAX_ARRAY_LENGTH,
  MAX_CALL_DEPTH,
  MAX_EFFECT_BYTES,
  MAX_LOGS,
  MAX_SOUNDS,
  MAX_WRITES,
  STEP_BUDGET,
} from './limits.ts';
import { valueMethod } from './methods.ts';
import {
  Builtin,
  Closure,
  checkString,
  display,
  equal,
  type Frame,
  frameOf,
  fromJson,
  ObjectRef,
  RecordValue,
  StateRef,
  StoreMeter,
  toJson,
  truthy,
  typeName,
  type Value,
} from './values.ts';
import { Pending, type World } from './world.ts';

export type { Frame } from './values.ts';

export interface RuntimeWarning {
  message: string;
  span: Span;
}

/** An optional link (`?.`) met null: the rest of the chain is null too (SYN11). */
const SHORT: unique symbol = Symbol('short-circuit');
type Link = Value | typeof SHORT;

/** Where an assignment writes. */
export type Place =
  | { kind: 'local'; frame: Frame; name: string }
  | { kind: 'state'; id: string; key: string }
  | { kind: 'prop'; id: string; key: string }
  | { kind: 'transform'; id: string; field: 'position' | 'rotation' | 'scale'; component: number | null }
  | { kind: 'record'; record: RecordValue; key: string }
  | { kind: 'array'; array: Value[]; index: number };

const NAMES_NOT_ASSIGNABLE: ReadonlySet<string> = new Set(['this', 'state', 'scene', 'event', 'Math', 'console']);
const TRANSFORM_FIELDS: ReadonlySet<string> = new Set(['position', 'rotation', 'scale']);
const AXES: Readonly<Record<string, number>> = { x: 0, y: 1, z: 2 };

class ReturnSignal {
  constructor(readonly value: Value) {}
}

export interface RunOptions {
  stepBudget?: number;
  /** Makes ids for `spawn` (random in the app, fixed in tests). */
  spawnId?: () => string;
  random?: () => number;
}

export class Run {
  readonly pending: Pending;
  readonly warnings: RuntimeWarning[] = [];
  readonly logs: string[] = [];
  steps = 0;
  private depth = 0;
  private sounds = 0;
  /** INT10: bytes (JSON) this event writes to the room document. */
  private effectBytes = 0;
  private readonly stepBudget: number;
  private readonly builtins: ReadonlyMap<string, Value>;
  private readonly warned = new Set<string>();

  constructor(
    readonly world: World,
    readonly options: RunOptions = {},
  ) {
    this.pending = new Pending(world);
    this.stepBudget = options.stepBudget ?? STEP_BUDGET;
    this.builtins = createBuiltins({
      find: (name) => this.findObject(name),
      log: (text) => this.log(text),
      random: options.random ?? Math.random,
      spend: (n) => this.spend(n),
    });
  }

  spend(n: number, span?: Span): void {
    this.steps += n;
    if (this.steps > this.stepBudget) {
      throw new Fault('BUDGET', `the handler took more than ${this.stepBudget} steps and was stopped`, span);
    }
  }

  warn(message: string, span: Span): void {
    const key = `${span.from}:${message}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    if (this.warnings.length < 50) this.warnings.push({ message, span });
  }

  log(text: string): void {
    if (this.logs.length < MAX_LOGS) {
      this.logs.push(text);
      this.pending.effects.push({ kind: 'log', message: text });
    }
  }

  sound(url: string, span: Span): void {
    if (this.sounds >= MAX_SOUNDS) {
      this.warn(`only ${MAX_SOUNDS} sounds start per event`, span);
      return;
    }
    this.sounds++;
    this.pending.effects.push({ kind: 'sound', url });
  }

  checkWrites(span: Span): void {
    if (this.pending.writes >= MAX_WRITES) {
      throw new Fault('LIMIT', `a handler may make at most ${MAX_WRITES} changes per event`, span);
    }
  }

  /**
   * INT10: `value` as stored JSON, paid for: a step per part (lists that hold
   * each other stand for far more than the steps that built them) and its
   * bytes against the event's MAX_EFFECT_BYTES.
   */
  stored(value: Value, span: Span): JsonValue {
    const meter = new StoreMeter();
    let json: JsonValue;
    try {
      json = toJson(value, 0, meter);
    } catch (fault) {
      if (fault instanceof Fault && fault.span === undefined) fault.span = span;
      throw fault;
    }
    this.spend(meter.parts, span);
    this.chargeEffect(meter.bytes, span);
    return json;
  }

  /** INT10: counts `bytes` of room-document writes against MAX_EFFECT_BYTES. */
  chargeEffect(bytes: number, span: Span): void {
    this.effectBytes += bytes;
    if (this.effectBytes > MAX_EFFECT_BYTES) {
      throw new Fault('LIMIT', `a handler may write at most ${MAX_EFFECT_BYTES / 1024} KB per event`, span);
    }
  }

  findObject(name: string): ObjectRef | null {
    for (const node of this.world.current.byId.values()) {
      if (node.name === name) return new ObjectRef(node.id);
    }
    return this.world.current.byId.has(name) ? new ObjectRef(name) : null;
  }

  node(id: string, span: Span): SceneNode {
    const node = this.pending.node(id);
    if (!node) throw new Fault('NAME', `object ${id} is not in the scene`, span);
    return node;
  }

  // ---- handlers and statements ----

  /** Runs a handler's body for object `self`; arguments bind to its parameters in order. */
  callHandler(handler: Handler, self: string, args: Value[], event: Value, span: Span): Value {
    if (this.depth >= MAX_CALL_DEPTH) {
      throw new Fault('DEPTH', `calls nested more than ${MAX_CALL_DEPTH} deep (endless recursion?)`, span);
    }
    this.spend(1, span);
    const frame: Frame = { self, locals: new Map(), event, parent: null };
    handler.params.forEach((name, i) => {
      frame.locals.set(name, { value: args[i] ?? (i === 0 && args.length === 0 ? event : null), constant: false });
    });
    return this.runBody(handler.body, frame);
  }

  /** Calls a function written in the script (SYN13): its own frame, inside the one it was made in. */
  callClosure(closure: Closure, args: Value[], span: Span): Value {
    if (this.depth >= MAX_CALL_DEPTH) {
      throw new Fault('DEPTH', `calls nested more than ${MAX_CALL_DEPTH} deep (endless recursion?)`, span);
    }
    this.spend(1, span);
    const outer = closure.frame;
    const frame: Frame = { self: outer.self, locals: new Map(), event: outer.event, parent: outer };
    closure.node.params.forEach((name, i) => {
      frame.locals.set(name, { value: args[i] ?? null, constant: false });
    });
    return this.runBody(closure.node.body, frame);
  }

  /** A function-like value called with `args`: a script function or a built-in. */
  callValue(fn: Value, args: Value[], span: Span): Value {
    if (fn instanceof Closure) return this.callClosure(fn, args, span);
    if (fn instanceof Builtin && fn.call) return this.invoke(fn, args, span);
    throw new Fault('TYPE', `${typeName(fn)} cannot be called`, span);
  }

  private runBody(body: readonly Statement[], frame: Frame): Value {
    this.depth++;
    try {
      this.execBlock(body, frame);
      return null;
    } catch (signal) {
      if (signal instanceof ReturnSignal) return signal.value;
      throw signal;
    } finally {
      this.depth--;
    }
  }

  execBlock(statements: readonly Statement[], frame: Frame): void {
    for (const statement of statements) {
      // Fields (`action: "select" args: { ... }`) are read together (INT11).
      if (statement.kind === 'Property') {
        this.spend(1, statement);
        runFields(this, statement, statements, frame);
      } else this.exec(statement, frame);
    }
  }

  private exec(statement: Statement, frame: Frame): void {
    this.spend(1, statement);
    switch (statement.kind) {
      case 'Assign': {
        const place = this.place(statement.target, frame);
        let value = this.eval(statement.value, frame);
        if (statement.op !== '=') {
          const current = this.read(place, statement);
          value = this.arithmetic(statement.op.slice(0, 1), current, value, statement);
        }
        this.write(place, value, statement);
        return;
      }
      case 'Let': {
        const value = statement.value ? this.eval(statement.value, frame) : null;
        if (NAMES_NOT_ASSIGNABLE.has(statement.name)) {
          throw new Fault('READONLY', `\`${statement.name}\` cannot be declared`, statement);
        }
        frame.locals.set(statement.name, { value, constant: statement.declaration === 'const' });
        return;
      }
      case 'If':
        if (truthy(this.eval(statement.test, frame))) this.execBlock(statement.then, frame);
        else if (statement.else) this.execBlock(statement.else, frame);
        return;
      case 'ExprStatement':
        this.eval(statement.expression, frame);
        return;
      case 'Command':
        runCommand(this, statement, frame);
        return;
      case 'Return':
        throw new ReturnSignal(statement.value ? this.eval(statement.value, frame) : null);
      case 'For': {
        // INT12: a list's items one by one, each in a scope of its own; steps bound the loop.
        const list = this.eval(statement.list, frame);
        if (!Array.isArray(list))
          throw new Fault('TYPE', `\`for ... of\` needs a list, not ${typeName(list)}`, statement);
        for (const item of [...list]) {
          const scope: Frame = { self: frame.self, locals: new Map(), event: frame.event, parent: frame };
          scope.locals.set(statement.name, { value: item, constant: statement.declaration === 'const' });
          this.execBlock(statement.body, scope);
        }
        return;
      }
      case 'Property':
        runFields(this, statement, [statement], frame);
        return;
    }
  }

  // ---- places (assignment targets) ----

  place(target: Expression, frame: Frame): Place {
    this.spend(1, target);
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

  private statePlace(id: string, key: string, span: Span): Place {
    if (!isValidFieldKey(key)) throw new Fault('NAME', `"${key}" is not a valid state name`, span);
    return { kind: 'state', id, key };
  }

  private objectPlace(id: string, property: string, span: Span): Place {
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
      const owner = this.eval(inner.object, frame);
      if (owner instanceof ObjectRef) {
        return {
          kind: 'transform',
          id: owner.id,
          field: inner.property as 'position',
          component: axis,
        };
      }
    }
    const object = this.eval(inner, frame);
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
      const owner = this.eval(inner.object, frame);
      const index = this.eval(target.index, frame);
      if (owner instanceof ObjectRef && typeof index === 'number' && [0, 1, 2].includes(index)) {
        return { kind: 'transform', id: owner.id, field: inner.property as 'position', component: index };
      }
    }
    const object = this.eval(inner, frame);
    const index = this.eval(target.index, frame);
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
        const value = this.pending.readState(place.id, place.key);
        return value === undefined ? null : fromJson(value);
      }
      case 'prop': {
        const value = this.pending.readProp(place.id, place.key);
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
        this.checkWrites(span);
        if (place.id !== SCENE_STATE_ID) this.node(place.id, span);
        this.pending.setState(place.id, place.key, this.stored(value, span));
        return;
      case 'prop': {
        this.checkWrites(span);
        this.node(place.id, span);
        const checked = checkLiveProp(place.key, this.stored(value, span));
        if (!checked.ok) throw new Fault('TYPE', checked.error, span);
        this.pending.setProp(place.id, place.key, checked.value);
        return;
      }
      case 'transform': {
        this.checkWrites(span);
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
        this.pending.setTransform(place.id, next);
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

  transformOf(id: string, span: Span): Transform {
    const transform = this.pending.readTransform(id);
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

  // ---- expressions ----

  eval(expression: Expression, frame: Frame): Value {
    this.spend(1, expression);
    switch (expression.kind) {
      case 'Number':
      case 'Boolean':
        return expression.value;
      case 'String':
      case 'Color':
        return expression.value;
      case 'Null':
        return null;
      case 'Identifier':
        return this.lookup(expression, frame);
      case 'ArrayLiteral': {
        if (expression.items.length > MAX_ARRAY_LENGTH) {
          throw new Fault('LIMIT', `a list longer than ${MAX_ARRAY_LENGTH}`, expression);
        }
        return this.items(expression.items, frame, expression);
      }
      case 'ObjectLiteral': {
        const record = new RecordValue();
        for (const entry of expression.entries) {
          if (entry.value.kind !== 'Spread') {
            record.entries.set(entry.key, this.eval(entry.value, frame));
            continue;
          }
          // `{ ...defaults, x: 1 }`: the entries of a record, in order.
          const source = this.eval(entry.value.value, frame);
          if (!(source instanceof RecordValue)) {
            throw new Fault('TYPE', `\`...\` in a record spreads a record, not ${typeName(source)}`, entry.value);
          }
          this.spend(source.entries.size, entry.value);
          for (const [key, value] of source.entries) record.entries.set(key, value);
        }
        return record;
      }
      case 'Unary': {
        const operand = this.eval(expression.operand, frame);
        if (expression.op === '!') return !truthy(operand);
        if (typeof operand !== 'number')
          throw new Fault('TYPE', `\`-\` needs a number, not ${typeName(operand)}`, expression);
        return -operand;
      }
      case 'Binary':
        return this.binary(expression.op, expression.left, expression.right, frame, expression);
      case 'Member':
      case 'Index':
      case 'Call': {
        const value = this.link(expression, frame);
        return value === SHORT ? null : value;
      }
      case 'TemplateString': {
        let text = expression.parts[0] ?? '';
        expression.values.forEach((value, i) => {
          text = checkString(text + display(this.eval(value, frame)) + (expression.parts[i + 1] ?? ''));
        });
        this.spend(Math.floor(text.length / 256), expression);
        return text;
      }
      case 'Conditional':
        return this.eval(truthy(this.eval(expression.test, frame)) ? expression.then : expression.otherwise, frame);
      case 'Function':
        return new Closure(expression, frame);
      case 'Quantity': {
        const value = fromUnit(expression.value, expression.unit);
        if (!value.ok) throw new Fault('TYPE', value.message, expression);
        return value.value;
      }
      case 'Spread':
        throw new Fault('TYPE', '`...` spreads a list or a record only inside a list, a call or a record', expression);
      case 'Field':
      case 'Generic':
      case 'Trait':
        this.warn('types, typed fields and traits are not values in a handler; this reads as null', expression);
        return null;
    }
  }

  /** List items and call arguments, with `...list` spread out. */
  private items(expressions: readonly Expression[], frame: Frame, span: Span): Value[] {
    const out: Value[] = [];
    for (const item of expressions) {
      if (item.kind !== 'Spread') out.push(this.eval(item, frame));
      else {
        const list = this.eval(item.value, frame);
        if (!Array.isArray(list)) throw new Fault('TYPE', `\`...\` spreads a list, not ${typeName(list)}`, item);
        this.spend(list.length, item);
        out.push(...list);
      }
      if (out.length > MAX_ARRAY_LENGTH) throw new Fault('LIMIT', `a list longer than ${MAX_ARRAY_LENGTH}`, span);
    }
    return out;
  }

  /** One link of a member, index or call chain, or SHORT when an optional link met null. */
  private link(expression: Member | Index | Call, frame: Frame): Link {
    switch (expression.kind) {
      case 'Member': {
        const object = this.linkObject(expression.object, frame);
        if (object === SHORT || (object === null && expression.optional)) return SHORT;
        return this.member(object, expression.property, expression);
      }
      case 'Index': {
        const object = this.linkObject(expression.object, frame);
        if (object === SHORT || (object === null && expression.optional)) return SHORT;
        const index = this.eval(expression.index, frame);
        if (Array.isArray(object) || typeof object === 'string') {
          return typeof index === 'number' && Number.isInteger(index) ? (object[index] ?? null) : null;
        }
        if (typeof index !== 'string') return null;
        return this.member(object, index, expression);
      }
      case 'Call':
        return this.call(expression, frame);
    }
  }

  private linkObject(expression: Expression, frame: Frame): Link {
    if (expression.kind === 'Member' || expression.kind === 'Index' || expression.kind === 'Call') {
      this.spend(1, expression);
      return this.link(expression, frame);
    }
    return this.eval(expression, frame);
  }

  private lookup(identifier: Identifier, frame: Frame): Value {
    const local = frameOf(frame, identifier.name)?.locals.get(identifier.name);
    if (local) return local.value;
    switch (identifier.name) {
      case 'this':
        return new ObjectRef(frame.self);
      case 'state':
        return new StateRef(frame.self);
      case 'scene':
        return new StateRef(SCENE_STATE_ID);
      case 'event':
        return frame.event;
    }
    const builtin = this.builtins.get(identifier.name);
    if (builtin !== undefined) return builtin;
    const stateValue = this.pending.readState(frame.self, identifier.name);
    if (stateValue !== undefined) return fromJson(stateValue);
    this.warn(`\`${identifier.name}\` is not defined here; it reads as null`, identifier);
    return null;
  }

  member(object: Value, property: string, span: Span): Value {
    if (object instanceof StateRef) {
      const value = this.pending.readState(object.id, property);
      return value === undefined ? null : fromJson(value);
    }
    if (object instanceof ObjectRef) return this.objectMember(object.id, property, span);
    if (object instanceof RecordValue) return object.entries.get(property) ?? null;
    if (object instanceof Builtin) return object.members.get(property) ?? null;
    if ((Array.isArray(object) || typeof object === 'string') && property === 'length') return object.length;
    if (object === null) throw new Fault('TYPE', `cannot read .${property} of null`, span);
    return null;
  }

  private objectMember(id: string, property: string, span: Span): Value {
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
      const value = this.pending.readProp(id, key);
      return value === undefined ? null : fromJson(value);
    }
    return null;
  }

  private binary(op: string, leftExpression: Expression, rightExpression: Expression, frame: Frame, span: Span): Value {
    if (op === '&&') {
      const left = this.eval(leftExpression, frame);
      return truthy(left) ? this.eval(rightExpression, frame) : left;
    }
    if (op === '||') {
      const left = this.eval(leftExpression, frame);
      return truthy(left) ? left : this.eval(rightExpression, frame);
    }
    if (op === '??') {
      const left = this.eval(leftExpression, frame);
      return left === null ? this.eval(rightExpression, frame) : left;
    }
    const left = this.eval(leftExpression, frame);
    const right = this.eval(rightExpression, frame);
    switch (op) {
      case '==':
      case '===':
        return equal(left, right);
      case '!=':
      case '!==':
        return !equal(left, right);
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const comparable =
          (typeof left === 'number' && typeof right === 'number') ||
          (typeof left === 'string' && typeof right === 'string');
        if (!comparable) throw new Fault('TYPE', `\`${op}\` compares two numbers or two strings`, span);
        const a = left as number;
        const b = right as number;
        return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
      }
      default:
        return this.arithmetic(op, left, right, span);
    }
  }

  arithmetic(op: string, left: Value, right: Value, span: Span): Value {
    if (op === '+' && (typeof left === 'string' || typeof right === 'string')) {
      const text = display(left) + display(right);
      this.spend(Math.floor(text.length / 256), span);
      return checkString(text);
    }
    if (typeof left !== 'number' || typeof right !== 'number') {
      throw new Fault('TYPE', `\`${op}\` needs numbers, not ${typeName(left)} and ${typeName(right)}`, span);
    }
    let result: number;
    switch (op) {
      case '+':
        result = left + right;
        break;
      case '-':
        result = left - right;
        break;
      case '*':
        result = left * right;
        break;
      case '/':
        result = left / right;
        break;
      case '%':
        result = left % right;
        break;
      case '**':
        result = left ** right;
        break;
      case '|':
        result = left | right;
        break;
      case '&':
        result = left & right;
        break;
      default:
        throw new Fault('TYPE', `\`${op}\` is not an operator`, span);
    }
    if (!Number.isFinite(result)) throw new Fault('TYPE', `\`${op}\` gave no finite number (division by zero?)`, span);
    return result;
  }

  // ---- calls ----

  private call(expression: Call, frame: Frame): Link {
    this.spend(1, expression);
    const { callee } = expression;
    if (callee.kind === 'Member') {
      const object = this.linkObject(callee.object, frame);
      if (object === SHORT || (object === null && callee.optional)) return SHORT;
      const args = this.items(expression.args, frame, expression);
      if (object instanceof ObjectRef) return this.callMethod(object.id, callee.property, args, frame, expression);
      const fn = this.member(object, callee.property, expression);
      if (fn instanceof Closure || (fn instanceof Builtin && fn.call)) return this.callValue(fn, args, expression);
      // INT7: methods of lists, text and numbers (`items.map(f)`, `angle.toFixed(1)`).
      const method = valueMethod(this, object, callee.property, args, expression);
      if (method.found) return method.value;
      this.warn(`\`.${callee.property}()\` is not a function Holoroom knows; it does nothing`, expression);
      return null;
    }
    if (callee.kind === 'Identifier') {
      const args = this.items(expression.args, frame, expression);
      const local = frameOf(frame, callee.name)?.locals.get(callee.name)?.value;
      const fn = local ?? this.builtins.get(callee.name);
      if (fn === null && expression.optional) return SHORT;
      if (fn instanceof Closure || (fn instanceof Builtin && fn.call)) return this.callValue(fn, args, expression);
      // A bare call is a method of the object itself: `helper()`.
      return this.callMethod(frame.self, callee.name, args, frame, expression);
    }
    const fn = this.linkObject(callee, frame);
    if (fn === SHORT || (fn === null && expression.optional)) return SHORT;
    return this.callValue(fn, this.items(expression.args, frame, expression), expression);
  }

  invoke(fn: Builtin, args: Value[], span: Span): Value {
    try {
      return (fn.call as (args: Value[]) => Value)(args);
    } catch (error) {
      if (error instanceof Fault && !error.span) error.span = span;
      throw error;
    }
  }

  /**
   * INT7: the method `name` for object `id`: its own, else the nearest
   * enclosing object's or group's, else the scene's action of that name.
   */
  findMethod(id: string, name: string): { handler: Handler; owner: string } | undefined {
    let owner: string | undefined = id;
    for (let hops = 0; owner !== undefined && hops < 64; hops++) {
      const handler = this.pending.node(owner)?.handlers.methods.get(name);
      if (handler) return { handler, owner };
      owner = this.world.current.parentOf.get(owner);
    }
    const action = this.world.current.actions.get(name);
    return action ? { handler: action, owner: id } : undefined;
  }

  callMethod(id: string, name: string, args: Value[], frame: Frame, span: Span): Value {
    const node = this.node(id, span);
    const method = this.findMethod(id, name);
    if (method) return this.callHandler(method.handler, method.owner, args, frame.event, span);
    switch (name) {
      case 'playSound':
      case 'play_sound':
      case 'playAudio':
      case 'play_audio':
        if (typeof args[0] === 'string') this.sound(args[0], span);
        else this.warn('playSound needs a sound file name', span);
        return null;
    }
    this.warn(`\`${name}()\` is not a method of ${node.name ?? id}; it does nothing`, span);
    return null;
  }
}
