/**
 * Test support: fast-check generators of scene trees, covering every node
 * kind, for the print-then-parse property (parser.property.test.ts). They
 * generate exactly the trees the parser can produce: e.g. no `Unary('-')` on
 * a number literal (the parser folds `-5` into a number), no bare identifier
 * as an expression statement (that line is a command), no reserved words as
 * names. Spans are zero; compare trees with `withoutSpans`.
 */
import fc from 'fast-check';
import {
  ASSIGN_OPS,
  BINARY_OPS,
  BLOCK_KEYWORDS,
  type Block,
  type Body,
  type Document,
  type Expression,
  type Handler,
  type Statement,
  type Trait,
} from '../../app/scene/syntax/ast.ts';
import { isHandlerName } from '../../app/scene/syntax/printer.ts';

const AT = { from: 0, to: 0 };
const RESERVED = new Set(['true', 'false', 'null', 'if', 'else', 'let', 'const', 'var', 'return', 'import', 'using']);

const identifier = fc.stringMatching(/^[a-z_][a-zA-Z0-9_$]{0,6}$/).filter((name) => !RESERVED.has(name));
const handlerName = fc.oneof(
  identifier.map((name) => `on_${name}`),
  identifier.map((name) => `on${name.charAt(0).toUpperCase()}${name.slice(1)}`),
);
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({
    unit: fc.constantFrom('"', "'", '\\', '\n', '\r', '\t', '\u0000', '\u001f', 'é', '😀', '#', ' '),
    maxLength: 6,
  }),
);
const hex = fc.constantFrom(...'0123456789abcdefABCDEF');
const color = fc
  .constantFrom(3, 4, 6, 8)
  .chain((length) => fc.string({ unit: hex, minLength: length, maxLength: length }))
  .map((digits): Expression => ({ kind: 'Color', ...AT, value: `#${digits}` }));

const { expression } = fc.letrec<{ expression: Expression }>((tie) => {
  const sub = tie('expression');
  return {
    expression: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .map((value): Expression => ({ kind: 'Number', ...AT, value })),
      text.map((value): Expression => ({ kind: 'String', ...AT, value })),
      fc.boolean().map((value): Expression => ({ kind: 'Boolean', ...AT, value })),
      fc.constant<Expression>({ kind: 'Null', ...AT }),
      identifier.map((name): Expression => ({ kind: 'Identifier', ...AT, name })),
      color,
      fc.array(sub, { maxLength: 3 }).map((items): Expression => ({ kind: 'ArrayLiteral', ...AT, items })),
      fc
        .array(fc.record({ key: fc.oneof(identifier, text), value: sub }), { maxLength: 3 })
        .map((entries): Expression => ({ kind: 'ObjectLiteral', ...AT, entries })),
      fc
        .tuple(fc.constantFrom('-' as const, '!' as const), sub)
        .filter(([op, operand]) => !(op === '-' && operand.kind === 'Number'))
        .map(([op, operand]): Expression => ({ kind: 'Unary', ...AT, op, operand })),
      fc
        .tuple(fc.constantFrom(...BINARY_OPS), sub, sub)
        .map(([op, left, right]): Expression => ({ kind: 'Binary', ...AT, op, left, right })),
      fc.tuple(sub, identifier).map(([object, property]): Expression => ({ kind: 'Member', ...AT, object, property })),
      fc.tuple(sub, sub).map(([object, index]): Expression => ({ kind: 'Index', ...AT, object, index })),
      fc
        .tuple(sub, fc.array(sub, { maxLength: 3 }))
        .map(([callee, args]): Expression => ({ kind: 'Call', ...AT, callee, args })),
    ),
  };
});

const target = fc.oneof(
  identifier.map((name) => ({ kind: 'Identifier' as const, ...AT, name })),
  fc.tuple(expression, identifier).map(([object, property]) => ({ kind: 'Member' as const, ...AT, object, property })),
  fc.tuple(expression, expression).map(([object, index]) => ({ kind: 'Index' as const, ...AT, object, index })),
);

const { statement } = fc.letrec<{ statement: Statement }>((tie) => {
  const block = fc.array(tie('statement'), { maxLength: 3 });
  return {
    statement: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      fc
        .tuple(fc.constantFrom(...ASSIGN_OPS), target, expression)
        .map(([op, to, value]): Statement => ({ kind: 'Assign', ...AT, op, target: to, value })),
      fc
        .tuple(fc.constantFrom('let' as const, 'const' as const, 'var' as const), identifier, fc.option(expression))
        .map(([declaration, name, value]): Statement => ({ kind: 'Let', ...AT, declaration, name, value })),
      expression
        .filter((e) => e.kind !== 'Identifier')
        .map((e): Statement => ({ kind: 'ExprStatement', ...AT, expression: e })),
      fc
        .tuple(identifier, fc.array(expression, { maxLength: 3 }))
        .map(([name, args]): Statement => ({ kind: 'Command', ...AT, name, args })),
      fc.option(expression).map((value): Statement => ({ kind: 'Return', ...AT, value })),
      fc
        .tuple(expression, block, fc.option(block))
        .map(([test, then, otherwise]): Statement => ({ kind: 'If', ...AT, test, then, else: otherwise })),
    ),
  };
});

const handler: fc.Arbitrary<Handler> = fc
  .oneof(
    fc.tuple(handlerName, fc.constantFrom('colon' as const, 'block' as const), fc.array(statement, { maxLength: 3 })),
    fc.tuple(identifier, fc.constant('params' as const), fc.array(statement, { maxLength: 3 })),
  )
  .chain(([name, form, body]) =>
    (form === 'params' ? fc.array(identifier, { maxLength: 3 }) : fc.constant<string[]>([])).map(
      (params): Handler => ({ kind: 'Handler', ...AT, name, form, params, body }),
    ),
  );

const property = fc
  .tuple(identifier, expression)
  .map(([key, value]) => ({ kind: 'Property' as const, ...AT, key, value }));

const keyword = fc
  .oneof(fc.constantFrom(...Object.keys(BLOCK_KEYWORDS)), identifier)
  .filter((word) => word !== 'import');

/** Members with nested blocks and trait configurations at most `depth` levels down. */
function bodyOf(depth: number): fc.Arbitrary<Body> {
  const nested = depth > 0 ? fc.option(bodyOf(depth - 1)) : fc.constant(null);
  const trait = fc
    .tuple(
      identifier,
      fc.option(fc.array(fc.record({ name: fc.option(identifier), value: expression }), { maxLength: 3 })),
      nested,
    )
    .map(([name, args, config]): Trait => ({ kind: 'Trait', ...AT, name, args, body: config }));
  const block =
    depth > 0
      ? fc
          .tuple(keyword, fc.option(text), fc.option(text), bodyOf(depth - 1))
          .filter(([word, name]) => name !== null || !isHandlerName(word))
          .map(
            ([word, name, using, members]): Block => ({
              kind: BLOCK_KEYWORDS[word] ?? 'UnknownBlock',
              ...AT,
              keyword: word,
              name,
              using,
              ...members,
            }),
          )
      : null;
  return fc.record(
    {
      traits: fc.array(trait, { maxLength: 2 }),
      properties: fc.array(property, { maxLength: 3 }),
      handlers: fc.array(handler, { maxLength: 2 }),
      children: block ? fc.array(block, { maxLength: 2 }) : fc.constant<Block[]>([]),
    },
    { noNullPrototype: true },
  );
}

const body = bodyOf(2);

export const arbitraryDocument: fc.Arbitrary<Document> = fc
  .tuple(fc.array(fc.record({ source: text, names: fc.array(identifier, { maxLength: 2 }) }), { maxLength: 2 }), body)
  .map(([imports, members]) => ({
    kind: 'Document',
    ...AT,
    imports: imports.map((item) => ({ kind: 'Import' as const, ...AT, ...item })),
    ...members,
  }));

/** A deep copy without `from`/`to`, for comparing trees regardless of positions. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key !== 'from' && key !== 'to') out[key] = withoutSpans(item);
  }
  return out;
}
