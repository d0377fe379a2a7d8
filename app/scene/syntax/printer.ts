/**
 * Prints a scene tree back as canonical script text: two-space indentation,
 * one member or statement per line, traits then properties then handlers
 * then nested blocks, names and strings double-quoted, parentheses only
 * where precedence needs them. Parsing the output gives the same tree
 * (spans aside) for any tree the parser produces; printer.test.ts checks
 * this property on generated trees and on real scripts.
 *
 * @example
 *   printDocument(parser.parse('object Cube{color:#f00;position:[0,1,0]}').document)
 *   // 'object "Cube" {\n  color: #f00\n  position: [0, 1, 0]\n}\n'
 */
import type { Block, Body, Document, Expression, Handler, Statement, Trait } from './ast.ts';

const INDENT = '  ';
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Precedence of printed forms; higher binds tighter. */
const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '===': 3,
  '!==': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};
const UNARY = 7;
const POSTFIX = 8;
const PRIMARY = 9;

/** `on_x` / `onX`: names the parser reads as handlers (SYN7). */
export function isHandlerName(name: string): boolean {
  return name.length > 2 && name.startsWith('on') && (name[2] === '_' || /[A-Z]/.test(name[2] as string));
}

export function printDocument(document: Document): string {
  const lines: string[] = [];
  for (const item of document.imports) {
    const source = quote(item.source);
    lines.push(item.names.length === 0 ? `import ${source}` : `import { ${item.names.join(', ')} } from ${source}`);
  }
  if (document.imports.length > 0) lines.push('');
  printBody(document, 0, lines, true);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function printBody(body: Body, depth: number, lines: string[], spaced = false): void {
  const pad = INDENT.repeat(depth);
  for (const item of body.traits) printTrait(item, depth, lines);
  for (const property of body.properties) {
    // `onX: { ... }` would read as a handler: parenthesise an object value there.
    const value =
      isHandlerName(property.key) && property.value.kind === 'ObjectLiteral'
        ? `(${printExpression(property.value)})`
        : printExpression(property.value);
    lines.push(`${pad}${property.key}: ${value}`);
  }
  for (const handler of body.handlers) printHandler(handler, depth, lines);
  for (const block of body.children) {
    if (spaced && lines.length > 0 && lines[lines.length - 1] !== '') lines.push('');
    printBlock(block, depth, lines);
  }
}

function printTrait(item: Trait, depth: number, lines: string[]): void {
  let text = `${INDENT.repeat(depth)}@${item.name}`;
  if (item.args) {
    const args = item.args.map((arg) => (arg.name === null ? '' : `${arg.name}: `) + printExpression(arg.value));
    text += `(${args.join(', ')})`;
  }
  if (!item.body) {
    lines.push(text);
    return;
  }
  printBraced(text, item.body, depth, lines);
}

function printBlock(block: Block, depth: number, lines: string[]): void {
  let header = `${INDENT.repeat(depth)}${block.keyword}`;
  if (block.name !== null) header += ` ${quote(block.name)}`;
  if (block.using !== null) header += ` using ${quote(block.using)}`;
  printBraced(header, block, depth, lines);
}

/** `header { members }`, or `header {}` when empty. */
function printBraced(header: string, body: Body, depth: number, lines: string[]): void {
  const start = lines.length;
  lines.push(`${header} {`);
  printBody(body, depth + 1, lines);
  if (lines.length === start + 1) lines[start] = `${header} {}`;
  else lines.push(`${INDENT.repeat(depth)}}`);
}

function printHandler(handler: Handler, depth: number, lines: string[]): void {
  const pad = INDENT.repeat(depth);
  const header =
    handler.form === 'colon'
      ? `${pad}${handler.name}: {`
      : handler.form === 'block'
        ? `${pad}${handler.name} {`
        : `${pad}${handler.name}(${handler.params.join(', ')}) {`;
  printStatementBlock(header, handler.body, depth, lines);
}

function printStatementBlock(header: string, body: Statement[], depth: number, lines: string[]): void {
  if (body.length === 0) {
    lines.push(`${header}}`);
    return;
  }
  lines.push(header);
  for (const statement of body) printStatement(statement, depth + 1, lines);
  lines.push(`${INDENT.repeat(depth)}}`);
}

function printStatement(statement: Statement, depth: number, lines: string[], prefix = ''): void {
  const pad = prefix ? '' : INDENT.repeat(depth);
  switch (statement.kind) {
    case 'Assign':
      lines.push(`${pad}${printExpression(statement.target)} ${statement.op} ${printExpression(statement.value)}`);
      return;
    case 'Let':
      lines.push(
        `${pad}${statement.declaration} ${statement.name}` +
          (statement.value ? ` = ${printExpression(statement.value)}` : ''),
      );
      return;
    case 'ExprStatement':
      lines.push(`${pad}${printExpression(statement.expression)}`);
      return;
    case 'Command': {
      const args = statement.args.map((arg) => printExpression(arg));
      lines.push(`${pad}${[statement.name, ...args].join(' ')}`);
      return;
    }
    case 'Return':
      lines.push(`${pad}return${statement.value ? ` ${printExpression(statement.value)}` : ''}`);
      return;
    case 'If': {
      const head = `${prefix || INDENT.repeat(depth)}if ${printExpression(statement.test)} {`;
      if (statement.then.length === 0) lines.push(`${head}}`);
      else printStatementBlock(head, statement.then, depth, lines);
      const otherwise = statement.else;
      if (otherwise === null) return;
      const closing = lines.pop() as string;
      const only = otherwise[0];
      if (otherwise.length === 1 && only?.kind === 'If') {
        printStatement(only, depth, lines, `${closing} else `);
      } else {
        printStatementBlock(`${closing} else {`, otherwise, depth, lines);
      }
      return;
    }
  }
}

export function printExpression(expression: Expression, minimum = 0): string {
  const [text, precedence] = printWithPrecedence(expression);
  return precedence < minimum ? `(${text})` : text;
}

function printWithPrecedence(e: Expression): [string, number] {
  switch (e.kind) {
    case 'Number':
      return [formatNumber(e.value), e.value < 0 || Object.is(e.value, -0) ? UNARY : PRIMARY];
    case 'String':
      return [quote(e.value), PRIMARY];
    case 'Boolean':
      return [String(e.value), PRIMARY];
    case 'Null':
      return ['null', PRIMARY];
    case 'Identifier':
      return [e.name, PRIMARY];
    case 'Color':
      return [e.value, PRIMARY];
    case 'ArrayLiteral':
      return [`[${e.items.map((item) => printExpression(item)).join(', ')}]`, PRIMARY];
    case 'ObjectLiteral': {
      if (e.entries.length === 0) return ['{}', PRIMARY];
      const entries = e.entries.map(
        (entry) => `${IDENTIFIER.test(entry.key) ? entry.key : quote(entry.key)}: ${printExpression(entry.value)}`,
      );
      return [`{ ${entries.join(', ')} }`, PRIMARY];
    }
    case 'Unary': {
      let operand = printExpression(e.operand, UNARY);
      // `-(-x)`, not `--x` (a decrement token) or `- -x`.
      if (e.op === '-' && operand.startsWith('-')) operand = `(${operand})`;
      return [`${e.op}${operand}`, UNARY];
    }
    case 'Binary': {
      const precedence = BINARY_PRECEDENCE[e.op] ?? 0;
      const left = printExpression(e.left, precedence);
      const right = printExpression(e.right, precedence + 1);
      return [`${left} ${e.op} ${right}`, precedence];
    }
    case 'Member':
      return [`${postfixObject(e.object)}.${e.property}`, POSTFIX];
    case 'Index':
      return [`${postfixObject(e.object)}[${printExpression(e.index)}]`, POSTFIX];
    case 'Call':
      return [`${postfixObject(e.callee)}(${e.args.map((arg) => printExpression(arg)).join(', ')})`, POSTFIX];
  }
}

/** The left side of `.x`, `[i]` or `(args)`: numbers are parenthesised so `1.x` cannot read as a fraction. */
function postfixObject(object: Expression): string {
  return object.kind === 'Number' ? `(${printExpression(object)})` : printExpression(object, POSTFIX);
}

function formatNumber(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** A double-quoted string the lexer reads back as `text`. */
export function quote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20) out += `\\u{${code.toString(16)}}`;
    else out += char;
  }
  return `${out}"`;
}
