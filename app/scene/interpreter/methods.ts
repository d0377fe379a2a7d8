/**
 * Methods of lists, text and numbers a handler may call (INT7), as in
 * JavaScript: `items.map(v => v * 2)`, `filter`, `find`, `findIndex`, `some`,
 * `every`, `forEach`, `reduce`, `includes`, `indexOf`, `join`, `slice`,
 * `push`; `text.toUpperCase()`, `toLowerCase`, `trim`, `includes`,
 * `startsWith`, `endsWith`, `indexOf`, `slice`, `substring`, `split`;
 * `angle.toFixed(1)`, `toString`. Every item a function visits costs a step,
 * and results keep the list and text limits (INT5).
 */
import type { Span } from '../syntax/ast.ts';
import { Fault } from './faults.ts';
import { MAX_ARRAY_LENGTH } from './limits.ts';
import type { Evaluator } from './scene-access.ts';
import { checkString, display, equal, truthy, typeName, type Value } from './values.ts';

export type MethodResult = { found: true; value: Value } | { found: false };

const NOT_FOUND: MethodResult = { found: false };

export function valueMethod(run: Evaluator, object: Value, name: string, args: Value[], span: Span): MethodResult {
  if (Array.isArray(object)) return listMethod(run, object, name, args, span);
  if (typeof object === 'string') return textMethod(run, object, name, args, span);
  if (typeof object === 'number') return numberMethod(object, name, args, span);
  return NOT_FOUND;
}

function integer(value: Value | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : fallback;
}

function found(value: Value): MethodResult {
  return { found: true, value };
}

function listMethod(run: Evaluator, list: Value[], name: string, args: Value[], span: Span): MethodResult {
  const fn = args[0] ?? null;
  const each = (visit: (item: Value, index: number) => boolean | undefined): void => {
    run.spend(list.length, span);
    for (const [index, item] of [...list].entries()) if (visit(item, index) === false) return;
  };
  const test = (item: Value, index: number): boolean => truthy(run.callValue(fn, [item, index], span));
  switch (name) {
    case 'map': {
      const out: Value[] = [];
      each((item, i) => {
        out.push(run.callValue(fn, [item, i], span));
        return undefined;
      });
      return found(out);
    }
    case 'filter': {
      const out: Value[] = [];
      each((item, i) => {
        if (test(item, i)) out.push(item);
        return undefined;
      });
      return found(out);
    }
    case 'find':
    case 'findIndex': {
      let result: Value = name === 'find' ? null : -1;
      each((item, i) => {
        if (!test(item, i)) return true;
        result = name === 'find' ? item : i;
        return false;
      });
      return found(result);
    }
    case 'some':
    case 'every': {
      let result = name === 'every';
      each((item, i) => {
        if (test(item, i) === result) return true;
        result = !result;
        return false;
      });
      return found(result);
    }
    case 'forEach':
      each((item, i) => {
        run.callValue(fn, [item, i], span);
        return undefined;
      });
      return found(null);
    case 'reduce': {
      let total: Value = args.length > 1 ? (args[1] ?? null) : (list[0] ?? null);
      const start = args.length > 1 ? 0 : 1;
      each((item, i) => {
        if (i >= start) total = run.callValue(fn, [total, item, i], span);
        return undefined;
      });
      return found(total);
    }
    case 'includes':
      run.spend(list.length, span);
      return found(list.some((item) => equal(item, fn)));
    case 'indexOf':
      run.spend(list.length, span);
      return found(list.findIndex((item) => equal(item, fn)));
    case 'join': {
      // Grown piece by piece and checked as it grows, so a thousand long
      // texts fault at the string limit instead of first joining them all (INT10).
      run.spend(list.length, span);
      const separator = typeof fn === 'string' ? fn : ',';
      let text = '';
      list.forEach((item, i) => {
        text = checkString(`${i > 0 ? text + separator : text}${display(item)}`);
      });
      return found(text);
    }
    case 'slice':
      return found(list.slice(integer(args[0], 0), integer(args[1], list.length)));
    case 'push':
      if (list.length + args.length > MAX_ARRAY_LENGTH) {
        throw new Fault('LIMIT', `a list longer than ${MAX_ARRAY_LENGTH}`, span);
      }
      list.push(...args);
      return found(list.length);
    default:
      return NOT_FOUND;
  }
}

function textMethod(run: Evaluator, text: string, name: string, args: Value[], span: Span): MethodResult {
  const arg = args[0];
  const needText = (): string => {
    if (typeof arg !== 'string') throw new Fault('TYPE', `.${name}() needs text, not ${typeName(arg ?? null)}`, span);
    return arg;
  };
  run.spend(Math.floor(text.length / 256), span);
  switch (name) {
    case 'toUpperCase':
      return found(text.toUpperCase());
    case 'toLowerCase':
      return found(text.toLowerCase());
    case 'trim':
      return found(text.trim());
    case 'includes':
      return found(text.includes(needText()));
    case 'startsWith':
      return found(text.startsWith(needText()));
    case 'endsWith':
      return found(text.endsWith(needText()));
    case 'indexOf':
      return found(text.indexOf(needText()));
    case 'slice':
      return found(text.slice(integer(args[0], 0), integer(args[1], text.length)));
    case 'substring':
      return found(text.substring(integer(args[0], 0), integer(args[1], text.length)));
    case 'split': {
      const parts = text.split(needText());
      if (parts.length > MAX_ARRAY_LENGTH) throw new Fault('LIMIT', `a list longer than ${MAX_ARRAY_LENGTH}`, span);
      return found(parts);
    }
    case 'toString':
      return found(text);
    default:
      return NOT_FOUND;
  }
}

function numberMethod(value: number, name: string, args: Value[], span: Span): MethodResult {
  switch (name) {
    case 'toFixed': {
      const digits = integer(args[0], 0);
      if (digits < 0 || digits > 20) throw new Fault('TYPE', '.toFixed() takes 0 to 20 digits', span);
      return found(value.toFixed(digits));
    }
    case 'toString':
      return found(String(value));
    default:
      return NOT_FOUND;
  }
}
