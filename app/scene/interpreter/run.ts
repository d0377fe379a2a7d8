/**
 * The tree-walking evaluator (docs/scene-runtime.md INT1-INT9). It reads the
 * parser's statement and expression nodes and nothing else: there is no
 * `eval`, no `Function`, no property lookup on JavaScript objects, so a
 * script can only reach what this file hands it (its object, other objects
 * by name, state, the event, a few maths and text helpers).
 */

import type { ObjectId } from '../../core/ids.ts';
import type { JsonValue } from '../../sync/doc/object-state.ts';
import { SCENE_STATE_ID } from '../model/object-ids.ts';
import type { Expression, Handler, Identifier, Span, Statement } from '../syntax/ast.ts';
import { createBuiltins } from './builtins.ts';
import { type CommandHost, runCommand } from './commands.ts';
import { Fault } from './faults.ts';
import type { Frame } from './frame.ts';
import {
  MAX_ARRAY_LENGTH,
  MAX_CALL_DEPTH,
  MAX_EFFECT_BYTES,
  MAX_LOGS,
  MAX_SOUNDS,
  MAX_WRITES,
  STEP_BUDGET,
} from './limits.ts';
import { NAMES_NOT_ASSIGNABLE, SceneAccess } from './scene-access.ts';
import {
  Builtin,
  checkString,
  display,
  equal,
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

export interface RuntimeWarning {
  message: string;
  span: Span;
}

class ReturnSignal {
  constructor(readonly value: Value) {}
}

export interface RunOptions {
  stepBudget?: number;
  /** Makes ids for `spawn` (random in the app, fixed in tests). */
  spawnId?: () => string;
  random?: () => number;
}

export class Run implements CommandHost {
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
    const frame: Frame = { self, locals: new Map(), event };
    handler.params.forEach((name, i) => {
      frame.locals.set(name, { value: args[i] ?? (i === 0 && args.length === 0 ? event : null), constant: false });
    });
    this.depth++;
    try {
      this.execBlock(handler.body, frame);
      return null;
    } catch (signal) {
      if (signal instanceof ReturnSignal) return signal.value;
      throw signal;
    } finally {
      this.depth--;
    }
  }

  execBlock(statements: readonly Statement[], frame: Frame): void {
    for (const statement of statements) this.exec(statement, frame);
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
        return expression.items.map((item) => this.eval(item, frame));
      }
      case 'ObjectLiteral': {
        const record = new RecordValue();
        for (const entry of expression.entries) record.entries.set(entry.key, this.eval(entry.value, frame));
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
        return this.member(this.eval(expression.object, frame), expression.property, expression);
      case 'Index': {
        const object = this.eval(expression.object, frame);
        const index = this.eval(expression.index, frame);
        if (Array.isArray(object) || typeof object === 'string') {
          return typeof index === 'number' && Number.isInteger(index) ? (object[index] ?? null) : null;
        }
        if (typeof index !== 'string') return null;
        return this.member(object, index, expression);
      }
      case 'Call':
        return this.call(expression.callee, expression.args, frame, expression);
    }
  }

  private lookup(identifier: Identifier, frame: Frame): Value {
    const local = frame.locals.get(identifier.name);
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
      default:
        throw new Fault('TYPE', `\`${op}\` is not an operator`, span);
    }
    if (!Number.isFinite(result)) throw new Fault('TYPE', `\`${op}\` gave no finite number (division by zero?)`, span);
    return result;
  }

  // ---- calls ----

  private call(callee: Expression, argExpressions: readonly Expression[], frame: Frame, span: Span): Value {
    this.spend(1, span);
    if (callee.kind === 'Member') {
      const object = this.eval(callee.object, frame);
      const args = argExpressions.map((arg) => this.eval(arg, frame));
      if (object instanceof ObjectRef) return this.scene.callMethod(object.id, callee.property, args, frame, span);
      const fn = this.member(object, callee.property, span);
      if (fn instanceof Builtin && fn.call) return this.invoke(fn, args, span);
      this.warn(`\`.${callee.property}()\` is not a function Holoroom knows; it does nothing`, span);
      return null;
    }
    if (callee.kind === 'Identifier') {
      const args = argExpressions.map((arg) => this.eval(arg, frame));
      const local = frame.locals.get(callee.name)?.value;
      const fn = local ?? this.builtins.get(callee.name);
      if (fn instanceof Builtin && fn.call) return this.invoke(fn, args, span);
      // A bare call is a method of the object itself: `helper()`.
      return this.scene.callMethod(frame.self, callee.name, args, frame, span);
    }
    throw new Fault('TYPE', 'only names and methods can be called', span);
  }

  private invoke(fn: Builtin, args: Value[], span: Span): Value {
    try {
      return (fn.call as (args: Value[]) => Value)(args);
    } catch (error) {
      if (error instanceof Fault && !error.span) error.span = span;
      throw error;
    }
  }
}
