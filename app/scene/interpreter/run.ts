/**
 * The tree-walking evaluator (docs/scene-runtime.md INT1-INT12). It reads the
 * parser's statement and expression nodes and nothing else: there is no
 * `eval`, no `Function`, no property lookup on JavaScript objects, so a
 * script can only reach what this file hands it (its object, other objects
 * by name, state, the event, a few maths and text helpers).
 */

import type { ObjectId } from '../../core/ids.ts';
import type { JsonValue } from '../../sync/doc/object-state.ts';
import { SCENE_STATE_ID } from '../model/object-ids.ts';
import { fromUnit } from '../model/units.ts';
import type { Call, Expression, Handler, Identifier, Index, Member, Span, Statement } from '../syntax/ast.ts';
import { createBuiltins } from './builtins.ts';
import { type CommandHost, runCommand } from './commands.ts';
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
import { type Evaluator, NAMES_NOT_ASSIGNABLE, SceneAccess } from './scene-access.ts';
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

class ReturnSignal {
  constructor(readonly value: Value) {}
}

export interface RunOptions {
  stepBudget?: number;
  /** Makes ids for `spawn` (random in the app, fixed in tests). */
  spawnId?: () => string;
  random?: () => number;
}

export class Run implements CommandHost, Evaluator {
  readonly pending: Pending;
  /** What the handler may touch in the scene, and how (scene-access.ts). */
  readonly scene: SceneAccess;
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
    this.scene = new SceneAccess(this);
    this.stepBudget = options.stepBudget ?? STEP_BUDGET;
    this.builtins = createBuiltins({
      find: (name) => this.scene.findObject(name),
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

  // ---- handlers and statements ----

  /** Runs a handler's body for object `self`; arguments bind to its parameters in order. */
  callHandler(handler: Handler, self: ObjectId, args: Value[], event: Value, span: Span): Value {
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
        const place = this.scene.place(statement.target, frame);
        let value = this.eval(statement.value, frame);
        if (statement.op !== '=') {
          const current = this.scene.read(place, statement);
          value = this.arithmetic(statement.op.slice(0, 1), current, value, statement);
        }
        this.scene.write(place, value, statement);
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
    if (object instanceof ObjectRef) return this.scene.objectMember(object.id, property, span);
    if (object instanceof RecordValue) return object.entries.get(property) ?? null;
    if (object instanceof Builtin) return object.members.get(property) ?? null;
    if ((Array.isArray(object) || typeof object === 'string') && property === 'length') return object.length;
    if (object === null) throw new Fault('TYPE', `cannot read .${property} of null`, span);
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
      if (object instanceof ObjectRef)
        return this.scene.callMethod(object.id, callee.property, args, frame, expression);
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
      return this.scene.callMethod(frame.self, callee.name, args, frame, expression);
    }
    const fn = this.linkObject(callee, frame);
    if (fn === SHORT || (fn === null && expression.optional)) return SHORT;
    return this.callValue(fn, this.items(expression.args, frame, expression), expression);
  }

  /** INT7: the method `name` for object `id` (SceneAccess.findMethod). */
  findMethod(id: ObjectId, name: string): { handler: Handler; owner: ObjectId } | undefined {
    return this.scene.findMethod(id, name);
  }

  invoke(fn: Builtin, args: Value[], span: Span): Value {
    try {
      return (fn.call as (args: Value[]) => Value)(args);
    } catch (error) {
      if (error instanceof Fault && !error.span) error.span = span;
      throw error;
    }
  }
}
