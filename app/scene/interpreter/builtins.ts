/**
 * The few functions a handler can call by name (INT7): `find("Name")`,
 * `Math.*` (floor, round, ceil, abs, min, max, sqrt, sin, cos, random, PI),
 * `random()`, `min`, `max`, `abs`, `round`, `floor`, `clamp`, `lerp`, `str`,
 * `console.log`/`print`/`log`. Each costs steps like any other call.
 */
import { Fault } from './faults.ts';
import { Builtin, display, type ObjectRef, type Value } from './values.ts';

export interface BuiltinHost {
  find(name: string): ObjectRef | null;
  log(text: string): void;
  random(): number;
  spend(steps: number): void;
}

function numbers(name: string, args: Value[], count: number): number[] {
  const values = args.slice(0, count);
  if (values.length < count || !values.every((n) => typeof n === 'number')) {
    throw new Fault('TYPE', `${name}() needs ${count} number${count === 1 ? '' : 's'}`);
  }
  return values as number[];
}

function finite(name: string, n: number): number {
  if (!Number.isFinite(n)) throw new Fault('TYPE', `${name}() gave no finite number`);
  return n;
}

export function createBuiltins(host: BuiltinHost): ReadonlyMap<string, Value> {
  const unary = (name: string, fn: (n: number) => number) =>
    new Builtin(name, (args) => finite(name, fn(numbers(name, args, 1)[0] as number)));
  const varNumbers = (name: string, fn: (...n: number[]) => number) =>
    new Builtin(name, (args) => {
      if (args.length === 0 || !args.every((n) => typeof n === 'number'))
        throw new Fault('TYPE', `${name}() needs numbers`);
      host.spend(args.length);
      return fn(...(args as number[]));
    });
  const log = new Builtin('log', (args) => {
    host.log(args.map((arg) => display(arg)).join(' '));
    return null;
  });
  const math = new Map<string, Value>([
    ['floor', unary('floor', Math.floor)],
    ['round', unary('round', Math.round)],
    ['ceil', unary('ceil', Math.ceil)],
    ['abs', unary('abs', Math.abs)],
    ['sqrt', unary('sqrt', Math.sqrt)],
    ['sin', unary('sin', Math.sin)],
    ['cos', unary('cos', Math.cos)],
    ['min', varNumbers('min', Math.min)],
    ['max', varNumbers('max', Math.max)],
    ['random', new Builtin('random', () => host.random())],
    ['PI', Math.PI],
  ]);
  const clamp = new Builtin('clamp', (args) => {
    const [n, lo, hi] = numbers('clamp', args, 3) as [number, number, number];
    return Math.min(hi, Math.max(lo, n));
  });
  const lerp = new Builtin('lerp', (args) => {
    const [a, b, t] = numbers('lerp', args, 3) as [number, number, number];
    return finite('lerp', a + (b - a) * t);
  });
  return new Map<string, Value>([
    ['Math', new Builtin('Math', null, math)],
    ['console', new Builtin('console', null, new Map([['log', log]]))],
    ['print', log],
    ['log', log],
    ['find', new Builtin('find', (args) => (typeof args[0] === 'string' ? host.find(args[0]) : null))],
    ['random', math.get('random') as Value],
    ['min', math.get('min') as Value],
    ['max', math.get('max') as Value],
    ['abs', math.get('abs') as Value],
    ['round', math.get('round') as Value],
    ['floor', math.get('floor') as Value],
    ['clamp', clamp],
    ['lerp', lerp],
    ['str', new Builtin('str', (args) => display(args[0] ?? null))],
  ]);
}
