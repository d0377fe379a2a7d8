/**
 * Property values are data: a property's expression is folded to a JSON value
 * when the model is built (arithmetic such as `1.5 * 2` and `-x` included), so
 * the renderer never evaluates anything. Bare identifiers are their own names
 * (`axis: y` means "y"), `#hex` colours are strings, numbers with units are
 * converted (`20cm` is 0.2, UNIT1), template strings and conditionals of
 * constant values fold too. Calls, member access, functions, fields, types and
 * traits are not data: they make a BAD_VALUE warning and the property is
 * ignored. Objects get no prototype, so a key such as `__proto__` is only a key.
 */

import type { JsonValue } from '../../sync/doc/object-state.ts';
import type { Expression } from '../syntax/ast.ts';
import { fromUnit } from './units.ts';

export type StaticResult = { ok: true; value: JsonValue } | { ok: false; message: string };

const fail = (message: string): StaticResult => ({ ok: false, message });

export function staticValue(expression: Expression): StaticResult {
  switch (expression.kind) {
    case 'Number':
      return Number.isFinite(expression.value) ? { ok: true, value: expression.value } : fail('not a finite number');
    case 'String':
    case 'Color':
      return { ok: true, value: expression.value };
    case 'Boolean':
      return { ok: true, value: expression.value };
    case 'Null':
      return { ok: true, value: null };
    case 'Identifier':
      return { ok: true, value: expression.name };
    case 'ArrayLiteral': {
      const items: JsonValue[] = [];
      for (const item of expression.items) {
        const result = staticValue(item);
        if (!result.ok) return result;
        items.push(result.value);
      }
      return { ok: true, value: items };
    }
    case 'ObjectLiteral': {
      const record: Record<string, JsonValue> = Object.create(null);
      for (const entry of expression.entries) {
        const result = staticValue(entry.value);
        if (!result.ok) return result;
        record[entry.key] = result.value;
      }
      return { ok: true, value: record };
    }
    case 'Unary': {
      const operand = staticValue(expression.operand);
      if (!operand.ok) return operand;
      if (expression.op === '-') {
        return typeof operand.value === 'number' ? { ok: true, value: -operand.value } : fail('`-` needs a number');
      }
      return typeof operand.value === 'boolean' ? { ok: true, value: !operand.value } : fail('`!` needs a boolean');
    }
    case 'Binary':
      return foldBinary(expression.op, expression.left, expression.right);
    case 'Member':
      if (
        expression.object.kind === 'Identifier' &&
        expression.object.name === 'Math' &&
        expression.property === 'PI'
      ) {
        return { ok: true, value: Math.PI };
      }
      return fail('a property value cannot read other values (member access)');
    case 'Index':
      return fail('a property value cannot read other values (indexing)');
    case 'Call':
      return fail('a property value cannot call functions');
    case 'Quantity':
      return fromUnit(expression.value, expression.unit);
    case 'TemplateString': {
      let text = expression.parts[0] ?? '';
      for (const [i, value] of expression.values.entries()) {
        const result = staticValue(value);
        if (!result.ok) return result;
        if (typeof result.value === 'object' && result.value !== null)
          return fail('a template joins text, numbers and booleans');
        text += `${result.value}${expression.parts[i + 1] ?? ''}`;
      }
      return { ok: true, value: text };
    }
    case 'Conditional': {
      const test = staticValue(expression.test);
      if (!test.ok) return test;
      if (typeof test.value !== 'boolean') return fail('a conditional needs a true or false test');
      return staticValue(test.value ? expression.then : expression.otherwise);
    }
    case 'Function':
      return fail('a function is not a value here; handlers are written `on_click { ... }`');
    case 'Spread':
      return fail('a property value cannot read other values (spread)');
    case 'Field':
      return fail('typed fields (`key?:`, `= default`) declare trait options; the scene does not use them');
    case 'Generic':
      return fail('a type is not a value');
    case 'Trait':
      return fail(`@${expression.name} is a trait; write it on its own line in the object`);
  }
}

function foldBinary(op: string, leftExpression: Expression, rightExpression: Expression): StaticResult {
  const left = staticValue(leftExpression);
  if (!left.ok) return left;
  const right = staticValue(rightExpression);
  if (!right.ok) return right;
  const a = left.value;
  const b = right.value;
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) {
    if (typeof a === 'object' || typeof b === 'object') return fail('`+` joins strings and numbers only');
    return { ok: true, value: `${a}${b}` };
  }
  if (op === '==' || op === '===') return { ok: true, value: a === b };
  if (op === '!=' || op === '!==') return { ok: true, value: a !== b };
  if (op === '&&' || op === '||') {
    if (typeof a !== 'boolean' || typeof b !== 'boolean') return fail(`\`${op}\` needs booleans`);
    return { ok: true, value: op === '&&' ? a && b : a || b };
  }
  if (op === '??') return { ok: true, value: a ?? b };
  if (typeof a !== 'number' || typeof b !== 'number') return fail(`\`${op}\` needs numbers`);
  let value: number | boolean;
  switch (op) {
    case '+':
      value = a + b;
      break;
    case '-':
      value = a - b;
      break;
    case '*':
      value = a * b;
      break;
    case '/':
      value = a / b;
      break;
    case '%':
      value = a % b;
      break;
    case '**':
      value = a ** b;
      break;
    case '|':
      value = a | b;
      break;
    case '&':
      value = a & b;
      break;
    case '<':
      value = a < b;
      break;
    case '<=':
      value = a <= b;
      break;
    case '>':
      value = a > b;
      break;
    case '>=':
      value = a >= b;
      break;
    default:
      return fail(`\`${op}\` is not an operator for values`);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return fail('the arithmetic has no finite result');
  return { ok: true, value };
}
