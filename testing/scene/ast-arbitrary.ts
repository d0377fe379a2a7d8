/**
 * Test support: fast-check generators of scene trees, covering every node
 * kind, for the print-then-parse property (parser.property.test.ts). They
 * generate exactly the trees the parser can produce: e.g. no `Unary('-')` on
 * a number literal (the parser folds `-5` into a number), no bare identifier
 * as an expression statement (that line is a command), no reserved words as
 * names, no generic type where something else than the end of a value
 * follows it, a block after a call only as a statement's last argument, a
 * callback only as a block's body. Spans are zero; compare trees with
 * `withoutSpans`.
 */
import fc from 'fast-check';
import {
  ASSIGN_OPS,
  BINARY_OPS,
  BLOCK_KEYWORDS,
  type Block,
  type Body,
  type Call,
  type Document,
  type Expression,
  type Handler,
  type Statement,
  type Trait,
} from '../../app/scene/syntax/ast.ts';
import { isHandlerName } from '../../app/scene/syntax/printer.ts';

const AT = { from: 0, to: 0 };
const RESERVED = new Set([
  'true',
  'false',
  'null',
  'undefined',
  'if',
  'else',
  'let',
  'const',
  'var',
  'return',
  'import',
  'using',
  'for',
  'of',
  'on',
  'function',
  'action',
]);

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

/** `function f() {}` at the start of a line reads as the command `function` (SYN8). */
function startsWithNamedFunction(e: Expression): boolean {
  switch (e.kind) {
    case 'Function':
      return e.form === 'function' && e.name !== null;
    case 'Binary':
      return startsWithNamedFunction(e.left);
    case 'Member':
    case 'Index':
      return startsWithNamedFunction(e.object);
    case 'Call':
      return startsWithNamedFunction(e.callee);
    case 'Conditional':
      return startsWithNamedFunction(e.test);
    default:
      return false;
  }
}

const UNITS = ['m', 'cm', 'ms', 's', 'deg', '%', '\u00b0', 'e5', 'x1f'] as const;

const traitValue = (value: fc.Arbitrary<Expression>): fc.Arbitrary<Trait> =>
  fc
    .tuple(identifier, fc.option(fc.array(fc.record({ name: fc.option(identifier), value }), { maxLength: 2 })))
    .map(([name, args]): Trait => ({ kind: 'Trait', ...AT, name, args, body: null }));

/** A generic type: names, traits without arguments and nested generics (SYN14). */
const { generic } = fc.letrec<{ generic: Expression }>((tie) => ({
  generic: fc
    .tuple(
      identifier,
      fc.array(
        fc.oneof(
          { depthSize: 'small', maxDepth: 2 },
          identifier.map((name): Expression => ({ kind: 'Identifier', ...AT, name })),
          identifier.map((name): Expression => ({ kind: 'Trait', ...AT, name, args: null, body: null })),
          tie('generic'),
        ),
        { minLength: 1, maxLength: 2 },
      ),
    )
    .map(
      ([name, args]): Expression => ({
        kind: 'Generic',
        ...AT,
        base: { kind: 'Identifier', ...AT, name },
        args,
      }),
    ),
}));

const trees = fc.letrec<{ expression: Expression; statement: Statement }>((tie) => {
  const sub = tie('expression');
  const statements = fc.array(tie('statement'), { maxLength: 2 });
  const item = fc.oneof(
    { weight: 4, arbitrary: sub },
    { weight: 1, arbitrary: sub.map((value): Expression => ({ kind: 'Spread', ...AT, value })) },
  );
  const call = fc
    .tuple(sub, fc.boolean(), fc.array(item, { maxLength: 3 }))
    .map(([callee, optional, args]): Expression => ({ kind: 'Call', ...AT, callee, optional, args }));
  const target = fc.oneof(
    identifier.map((name) => ({ kind: 'Identifier' as const, ...AT, name })),
    fc
      .tuple(sub, identifier)
      .map(([object, property]) => ({ kind: 'Member' as const, ...AT, object, property, optional: false })),
    fc.tuple(sub, sub).map(([object, index]) => ({ kind: 'Index' as const, ...AT, object, index, optional: false })),
  );
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
      fc.array(item, { maxLength: 3 }).map((items): Expression => ({ kind: 'ArrayLiteral', ...AT, items })),
      fc
        .array(
          fc.oneof(
            { weight: 4, arbitrary: fc.record({ key: fc.oneof(identifier, text), value: sub }) },
            {
              weight: 1,
              arbitrary: sub.map((value) => ({ key: '...', value: { kind: 'Spread' as const, ...AT, value } })),
            },
          ),
          { maxLength: 3 },
        )
        .map((entries): Expression => ({ kind: 'ObjectLiteral', ...AT, entries })),
      fc
        .tuple(fc.constantFrom('-' as const, '!' as const), sub)
        .filter(([op, operand]) => !(op === '-' && (operand.kind === 'Number' || operand.kind === 'Quantity')))
        .map(([op, operand]): Expression => ({ kind: 'Unary', ...AT, op, operand })),
      fc
        .tuple(fc.constantFrom(...BINARY_OPS), sub, sub)
        .map(([op, left, right]): Expression => ({ kind: 'Binary', ...AT, op, left, right })),
      fc
        .tuple(sub, identifier, fc.boolean())
        .map(([object, property, optional]): Expression => ({ kind: 'Member', ...AT, object, property, optional })),
      fc
        .tuple(sub, sub, fc.boolean())
        .map(([object, index, optional]): Expression => ({ kind: 'Index', ...AT, object, index, optional })),
      call,
      fc
        .array(sub, { maxLength: 2 })
        .chain((values) =>
          fc
            .array(text, { minLength: values.length + 1, maxLength: values.length + 1 })
            .map((parts): Expression => ({ kind: 'TemplateString', ...AT, parts, values })),
        ),
      fc
        .tuple(sub, sub, sub)
        .map(([test, then, otherwise]): Expression => ({ kind: 'Conditional', ...AT, test, then, otherwise })),
      fc
        .tuple(fc.array(identifier, { maxLength: 2 }), statements, fc.option(identifier))
        .map(([params, body, name]): Expression => ({ kind: 'Function', ...AT, name, form: 'function', params, body })),
      fc
        .tuple(fc.array(identifier, { maxLength: 2 }), statements)
        .map(([params, body]): Expression => ({ kind: 'Function', ...AT, name: null, form: 'arrow', params, body })),
      fc.tuple(fc.array(identifier, { maxLength: 2 }), sub).map(
        ([params, value]): Expression => ({
          kind: 'Function',
          ...AT,
          name: null,
          form: 'arrowValue',
          params,
          body: [{ kind: 'Return', ...AT, value }],
        }),
      ),
      fc
        .tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...UNITS))
        .map(([value, unit]): Expression => ({ kind: 'Quantity', ...AT, value, unit })),
      generic,
      traitValue(sub),
    ),
    statement: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      fc
        .tuple(fc.constantFrom(...ASSIGN_OPS), target, sub)
        .filter(([, to]) => !startsWithNamedFunction(to))
        .map(([op, to, value]): Statement => ({ kind: 'Assign', ...AT, op, target: to, value })),
      fc
        .tuple(fc.constantFrom('let' as const, 'const' as const, 'var' as const), identifier, fc.option(sub))
        .map(([declaration, name, value]): Statement => ({ kind: 'Let', ...AT, declaration, name, value })),
      sub
        .filter((e) => e.kind !== 'Identifier' && !startsWithNamedFunction(e))
        .map((e): Statement => ({ kind: 'ExprStatement', ...AT, expression: e })),
      // A block after a call's `)` (SYN13).
      fc
        .tuple(
          call.filter((c) => !startsWithNamedFunction(c)),
          statements,
        )
        .map(([c, body]): Statement => {
          const withBlock = c as Call;
          const block: Expression = { kind: 'Function', ...AT, name: null, form: 'block', params: [], body };
          return { kind: 'ExprStatement', ...AT, expression: { ...withBlock, args: [...withBlock.args, block] } };
        }),
      fc
        .tuple(identifier, fc.array(sub, { maxLength: 3 }))
        .map(([name, args]): Statement => ({ kind: 'Command', ...AT, name, args })),
      fc.option(sub).map((value): Statement => ({ kind: 'Return', ...AT, value })),
      fc
        .tuple(sub, statements, fc.option(statements))
        .map(([test, then, otherwise]): Statement => ({ kind: 'If', ...AT, test, then, else: otherwise })),
      fc
        .tuple(fc.constantFrom('let' as const, 'const' as const, 'var' as const, null), identifier, sub, statements)
        .map(([declaration, name, list, body]): Statement => ({ kind: 'For', ...AT, declaration, name, list, body })),
      fc.tuple(identifier, sub).map(([key, value]): Statement => ({ kind: 'Property', ...AT, key, value })),
    ),
  };
});
const { expression, statement } = trees;

/** A property value: an expression, or a typed field (SYN14). */
const fieldValue = fc.oneof(
  { weight: 4, arbitrary: expression },
  { weight: 1, arbitrary: generic },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.oneof(expression, generic), fc.boolean(), fc.option(expression))
      .filter(([, optional, fallback]) => optional || fallback !== null)
      .map(([value, optional, fallback]): Expression => ({ kind: 'Field', ...AT, value, optional, default: fallback })),
  },
);

const handler: fc.Arbitrary<Handler> = fc
  .oneof(
    fc.tuple(handlerName, fc.constantFrom('colon' as const, 'block' as const), fc.array(statement, { maxLength: 3 })),
    fc.tuple(identifier, fc.constantFrom('params' as const, 'action' as const), fc.array(statement, { maxLength: 3 })),
    fc.tuple(fc.oneof(identifier, text), fc.constant('on' as const), fc.array(statement, { maxLength: 3 })),
  )
  .chain(([name, form, body]) =>
    fc
      .tuple(
        form === 'colon' || form === 'block' ? fc.constant<string[]>([]) : fc.array(identifier, { maxLength: 3 }),
        form === 'on' ? fc.option(expression) : fc.constant(null),
      )
      .map(([params, source]): Handler => ({ kind: 'Handler', ...AT, name, form, source, params, body })),
  );

const property = fc
  .tuple(fc.oneof({ weight: 4, arbitrary: identifier }, { weight: 1, arbitrary: text }), fieldValue)
  .map(([key, value]) => ({ kind: 'Property' as const, ...AT, key, value }));

/** A call standing as a member: a plain name called, with no block after it (SYN1). */
const callMember = fc
  .tuple(
    identifier.filter((name) => !isHandlerName(name)),
    fc.array(expression, { maxLength: 3 }),
  )
  .filter(([, args]) => args.some((arg) => arg.kind !== 'Identifier'))
  .map(
    ([name, args]): Call => ({
      kind: 'Call',
      ...AT,
      callee: { kind: 'Identifier', ...AT, name },
      optional: false,
      args,
    }),
  );

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
  const callback = fc
    .tuple(
      fc.array(identifier, { maxLength: 2 }),
      fc.array(statement, { maxLength: 2 }),
      fc.array(traitValue(expression), { maxLength: 2 }),
    )
    .map(([params, statements, traits]) => ({ params, statements, traits }));
  const block =
    depth > 0
      ? fc
          .tuple(
            keyword,
            fc.option(text),
            fc.option(text),
            fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: callback }),
            bodyOf(depth - 1),
          )
          .filter(([word, name]) => name !== null || !isHandlerName(word))
          .map(([word, name, using, withCallback, members]): Block => {
            const header = { kind: BLOCK_KEYWORDS[word] ?? 'UnknownBlock', ...AT, keyword: word, name, using };
            if (withCallback === null) return { ...header, ...members };
            // A block whose body is its callback: `button "Reset" -> () { ... }` (SYN3).
            const only: Handler = {
              kind: 'Handler',
              ...AT,
              name: word,
              form: 'callback',
              source: null,
              params: withCallback.params,
              body: withCallback.statements,
            };
            return {
              ...header,
              traits: withCallback.traits,
              properties: [],
              handlers: [only],
              children: [],
              calls: [],
            };
          })
      : null;
  return fc.record(
    {
      traits: fc.array(trait, { maxLength: 2 }),
      properties: fc.array(property, { maxLength: 3 }),
      handlers: fc.array(handler, { maxLength: 2 }),
      children: block ? fc.array(block, { maxLength: 2 }) : fc.constant<Block[]>([]),
      calls: fc.array(callMember, { maxLength: 1 }),
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
