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
import type {
  Block,
  Body,
  Document,
  Expression,
  FunctionValue,
  Handler,
  Property,
  Statement,
  TemplateString,
  Trait,
} from './ast.ts';

const INDENT = '  ';
/** Keys written bare: names, dotted names, numbers with or without a unit (SYN5). */
const BARE_KEY =
  /^([A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*|[0-9]+(\.[0-9]+)?(%|[A-Za-z_$][A-Za-z0-9_$]*)?)$/;

/** Precedence of printed forms; higher binds tighter (SYN9). */
const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1,
  '??': 1,
  '&&': 2,
  '|': 3,
  '&': 4,
  '==': 5,
  '!=': 5,
  '===': 5,
  '!==': 5,
  '<': 6,
  '<=': 6,
  '>': 6,
  '>=': 6,
  '+': 7,
  '-': 7,
  '*': 8,
  '/': 8,
  '%': 8,
  '**': 9,
};
const UNARY = 10;
const POSTFIX = 11;
const PRIMARY = 12;

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
  for (const property of body.properties) lines.push(`${pad}${printProperty(property)}`);
  for (const handler of body.handlers) printHandler(handler, depth, lines);
  for (const block of body.children) {
    if (spaced && lines.length > 0 && lines[lines.length - 1] !== '') lines.push('');
    printBlock(block, depth, lines);
  }
  for (const call of body.calls) lines.push(`${pad}${printExpression(call)}`);
}

/** `key: value`, `key?: type`, `key: type = default`. */
function printProperty(property: Property): string {
  // `onX: { ... }` would read as a handler: parenthesise an object value there.
  const value =
    isHandlerName(property.key) && property.value.kind === 'ObjectLiteral'
      ? `(${printExpression(property.value)})`
      : printField(property.value);
  const optional = property.value.kind === 'Field' && property.value.optional ? '?' : '';
  return `${printKey(property.key)}${optional}: ${value}`;
}

function printKey(key: string): string {
  return BARE_KEY.test(key) ? key : quote(key);
}

/** A value after `key:`: a `Field` prints as its type and `= default` (its `?` goes with the key). */
function printField(value: Expression): string {
  if (value.kind !== 'Field') return printExpression(value);
  const type = printExpression(value.value);
  return value.default === null ? type : `${type} = ${printExpression(value.default)}`;
}

/** `@name` or `@name(args)`, as in a header or a value. */
function printTraitValue(item: Trait): string {
  if (!item.args) return `@${item.name}`;
  const args = item.args.map((arg) => (arg.name === null ? '' : `${arg.name}: `) + printExpression(arg.value));
  return `@${item.name}(${args.join(', ')})`;
}

function printTrait(item: Trait, depth: number, lines: string[]): void {
  const text = `${INDENT.repeat(depth)}${printTraitValue(item)}`;
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
  const callback = block.handlers[0];
  if (callback?.form === 'callback' && isCallbackOnly(block)) {
    // `button "Reset" @t -> (params) { ... }`: the header traits, then the callback.
    for (const item of block.traits) header += ` ${printTraitValue(item)}`;
    printStatementBlock(`${header} -> (${callback.params.join(', ')}) {`, callback.body, depth, lines);
    return;
  }
  if (isHandlerName(block.keyword) && block.name === null && block.using === null) {
    // `on_x {` would read as a handler: such a block has header traits; keep them there.
    const firstWithBody = block.traits.findIndex((item) => item.body !== null);
    const count = firstWithBody < 0 ? block.traits.length : firstWithBody;
    for (const item of block.traits.slice(0, count)) header += ` ${printTraitValue(item)}`;
    printBraced(header, { ...block, traits: block.traits.slice(count) }, depth, lines);
    return;
  }
  printBraced(header, block, depth, lines);
}

/** A block whose body is its callback: one callback handler, header traits only. */
function isCallbackOnly(block: Block): boolean {
  return (
    block.handlers.length === 1 &&
    block.properties.length === 0 &&
    block.children.length === 0 &&
    block.calls.length === 0 &&
    block.traits.every((item) => item.body === null)
  );
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
  printStatementBlock(`${INDENT.repeat(depth)}${handlerHeader(handler)}`, handler.body, depth, lines);
}

/** A handler's first line up to its `{` (SYN7). */
function handlerHeader(handler: Handler): string {
  const params = `(${handler.params.join(', ')})`;
  switch (handler.form) {
    case 'colon':
      // `onX: { key: value` would read as an object (SYN5): a `;` first keeps it a handler.
      return handler.body[0]?.kind === 'Property' ? `${handler.name}: {;` : `${handler.name}: {`;
    case 'block':
      return `${handler.name} {`;
    case 'params':
      return `${handler.name}${params} {`;
    case 'action':
      return `action ${handler.name}${params} {`;
    case 'on': {
      const source = handler.source === null ? '' : `${printExpression(handler.source)}, `;
      return `on(${source}${quote(handler.name)}) ${params} {`;
    }
    case 'callback':
      // Only a block holds a callback (printBlock); elsewhere it reads as an `on` form.
      return `on(${quote(handler.name)}) ${params} {`;
  }
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
      // Spaces separate arguments: a conditional, function or generic type goes in parentheses.
      const args = statement.args.map((arg) => printExpression(arg, 1));
      lines.push(`${pad}${[statement.name, ...args].join(' ')}`);
      return;
    }
    case 'Return':
      lines.push(`${pad}return${statement.value ? ` ${printExpression(statement.value)}` : ''}`);
      return;
    case 'Property':
      lines.push(`${pad}${statement.key}: ${printField(statement.value)}`);
      return;
    case 'For': {
      const declaration = statement.declaration === null ? '' : `${statement.declaration} `;
      const head = `${pad}for (${declaration}${statement.name} of ${printExpression(statement.list)}) {`;
      printStatementBlock(head, statement.body, depth, lines);
      return;
    }
    case 'If': {
      const head = `${prefix || INDENT.repeat(depth)}if ${printExpression(statement.test, 1)} {`;
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
      const entries = e.entries.map((entry) => {
        if (entry.key === '...' && entry.value.kind === 'Spread') return printExpression(entry.value);
        const optional = entry.value.kind === 'Field' && entry.value.optional ? '?' : '';
        return `${printKey(entry.key)}${optional}: ${printField(entry.value)}`;
      });
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
      // `**` groups to the right, the others to the left.
      const right = e.op === '**' ? 0 : 1;
      const left = printExpression(e.left, precedence + 1 - right);
      return [`${left} ${e.op} ${printExpression(e.right, precedence + right)}`, precedence];
    }
    case 'Member':
      return [`${postfixObject(e.object)}${e.optional ? '?.' : '.'}${e.property}`, POSTFIX];
    case 'Index':
      return [`${postfixObject(e.object)}${e.optional ? '?.' : ''}[${printExpression(e.index)}]`, POSTFIX];
    case 'Call': {
      const last = e.args[e.args.length - 1];
      const block = last?.kind === 'Function' && last.form === 'block' ? last : null;
      const args = (block ? e.args.slice(0, -1) : e.args).map((arg) => printExpression(arg)).join(', ');
      const call = `${postfixObject(e.callee)}${e.optional ? '?.' : ''}(${args})`;
      return [block ? `${call} ${printInlineBlock(block.body)}` : call, POSTFIX];
    }
    case 'TemplateString':
      return [printTemplate(e), PRIMARY];
    case 'Conditional':
      return [`${printExpression(e.test, 1)} ? ${printExpression(e.then)} : ${printExpression(e.otherwise)}`, 0];
    case 'Function':
      return printFunction(e);
    case 'Spread':
      return [`...${printExpression(e.value)}`, 0];
    case 'Quantity':
      return [printQuantity(e.value, e.unit), e.value < 0 || Object.is(e.value, -0) ? UNARY : PRIMARY];
    case 'Field':
      return [printField(e), 0];
    case 'Generic':
      // Only the end of a value may follow `>` (SYN14): anywhere else, in parentheses.
      return [`${printExpression(e.base, POSTFIX)}<${e.args.map((arg) => printExpression(arg)).join(', ')}>`, 0];
    case 'Trait':
      return [printTraitValue(e), PRIMARY];
  }
}

/** A function value: `function name(a) { ... }`, `(a) => { ... }`, `(a) => value`. */
function printFunction(f: FunctionValue): [string, number] {
  const params = `(${f.params.join(', ')})`;
  const only = f.body[0];
  if (f.form === 'arrowValue' && f.body.length === 1 && only?.kind === 'Return' && only.value) {
    // A `{` right after `=>` would open a block: parenthesise a value that starts with one.
    const value = printExpression(only.value);
    return [`${params} => ${value.startsWith('{') ? `(${value})` : value}`, 0];
  }
  if (f.form === 'function') {
    // `function(a)` without a space: at the start of a statement `function (a)` reads as a command.
    return [`function${f.name === null ? '' : ` ${f.name}`}${params} ${printInlineBlock(f.body)}`, PRIMARY];
  }
  return [`${params} => ${printInlineBlock(f.body)}`, 0];
}

/** Statements on one line: `{ a = 1; b() }`. */
function printInlineBlock(body: Statement[]): string {
  if (body.length === 0) return '{}';
  const lines: string[] = [];
  for (const statement of body) printStatement(statement, 0, lines);
  return `{ ${lines.map((line) => line.trim()).join('; ')} }`;
}

/** `` `text ${value} text` `` with backquotes, `\`, `${` and control characters escaped. */
function printTemplate(t: TemplateString): string {
  let out = '`';
  t.parts.forEach((part, i) => {
    for (const char of part) {
      const code = char.codePointAt(0) as number;
      if (char === '`' || char === '\\') out += `\\${char}`;
      else if (char === '$') out += '\\$';
      else if (char === '\n') out += '\\n';
      else if (char === '\r') out += '\\r';
      else if (char === '\t') out += '\\t';
      else if (code < 0x20) out += `\\u{${code.toString(16)}}`;
      else out += char;
    }
    const value = t.values[i];
    if (value) out += `\${${printExpression(value)}}`;
  });
  return `${out}\``;
}

/** The left side of `.x`, `[i]` or `(args)`: numbers are parenthesised so `1.x` cannot read as a fraction. */
function postfixObject(object: Expression): string {
  // A trait's own `(` holds its arguments, so a trait called is parenthesised too.
  return object.kind === 'Number' || object.kind === 'Quantity' || object.kind === 'Trait'
    ? `(${printExpression(object)})`
    : printExpression(object, POSTFIX);
}

/**
 * A number and its unit (LEX4). A unit that would read as part of the number
 * (`e5` as an exponent, `x1f` after `0` as hex) gets an exponent of its own
 * in front (`10e0e5`, `0e0x1f`).
 */
function printQuantity(value: number, unit: string): string {
  const text = formatNumber(value);
  const exponentLike = /^[eE][+-]?[0-9]/.test(unit) && !/[eE]/.test(text);
  const hexLike = /^[xX][0-9a-fA-F]/.test(unit) && /^-?0$/.test(text);
  return exponentLike || hexLike ? `${text}e0${unit}` : `${text}${unit}`;
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
