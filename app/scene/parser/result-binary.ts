/**
 * Decodes the parser's binary result (layout in docs/parser.md and
 * wasm-parser/src/output/binary.rs) into the tree types of ast.ts.
 *
 * Strings arrive once each in a table decoded with one TextDecoder call, so a
 * key like `position` is one shared JavaScript string however often it
 * appears. Members of a body arrive in source order and are sorted into the
 * body's four lists here. The bytes come from the parser, not from a peer,
 * but a malformed buffer still ends in a `ResultFormatError`, never in a
 * wrong tree.
 *
 * @example
 *   const result = decodeBinaryResult(parser.parseRaw(text, 'binary'));
 */
import {
  ASSIGN_OPS,
  BINARY_OPS,
  type Block,
  type BlockKind,
  type Body,
  type Diagnostic,
  type Document,
  type Expression,
  FUNCTION_FORMS,
  HANDLER_FORMS,
  type Handler,
  type Identifier,
  type Import,
  type Index,
  type Member,
  NODE_KINDS,
  type ParseResult,
  RESULT_FORMAT_VERSION,
  SEVERITIES,
  type Statement,
  type Trait,
  type TraitArg,
  UNARY_OPS,
} from '../syntax/ast.ts';

/** "HOLB" as a little-endian u32. */
const BINARY_MAGIC = 0x424c4f48;
const NONE = 0xffffffff;
const HEADER_WORDS = 5;

/** Numbers travel as the two words of their IEEE bits; these views join them. */
const numberWords = new Uint32Array(2);
const numberValue = new Float64Array(numberWords.buffer);

export class ResultFormatError extends Error {
  override name = 'ResultFormatError';
}

const textDecoder = new TextDecoder();

// Kind codes as constants: `switch` on small integers is what makes this fast.
const K = Object.fromEntries(NODE_KINDS.map((kind, code) => [kind, code])) as Record<
  (typeof NODE_KINDS)[number],
  number
>;

class Reader {
  pos = 0;

  constructor(
    readonly words: Uint32Array,
    readonly strings: string[],
  ) {}

  word(): number {
    if (this.pos >= this.words.length) throw new ResultFormatError('result ends inside the tree');
    return this.words[this.pos++] as number;
  }

  string(): string {
    const value = this.strings[this.word()];
    if (value === undefined) throw new ResultFormatError('string index out of range');
    return value;
  }

  optString(): string | null {
    const index = this.word();
    return index === NONE ? null : (this.strings[index] ?? this.fail('string index out of range'));
  }

  stringList(): string[] {
    const count = this.word();
    const list = new Array<string>(count);
    for (let i = 0; i < count; i++) list[i] = this.string();
    return list;
  }

  fail(message: string): never {
    throw new ResultFormatError(message);
  }

  document(): Document {
    const kind = this.word();
    if (kind !== K.Document) this.fail('result does not start with a Document');
    const from = this.word();
    const to = this.word();
    const imports: Import[] = [];
    const body = this.members(imports);
    return {
      kind: 'Document',
      from,
      to,
      imports,
      traits: body.traits,
      properties: body.properties,
      handlers: body.handlers,
      children: body.children,
      calls: body.calls,
    };
  }

  flag(): boolean {
    return this.word() === 1;
  }

  /** `count, members…` in source order; only the document may hold imports. */
  members(imports: Import[] | null): Body {
    const count = this.word();
    const body: Body = { traits: [], properties: [], handlers: [], children: [], calls: [] };
    for (let i = 0; i < count; i++) {
      const code = this.words[this.pos];
      switch (code) {
        case K.Trait:
          body.traits.push(this.trait());
          break;
        case K.Property: {
          this.pos++;
          const from = this.word();
          const to = this.word();
          const key = this.string();
          body.properties.push({ kind: 'Property', from, to, key, value: this.expression() });
          break;
        }
        case K.Handler:
          body.handlers.push(this.handler());
          break;
        case K.Call: {
          const call = this.expression();
          if (call.kind !== 'Call') this.fail('expected a call');
          body.calls.push(call);
          break;
        }
        case K.Import: {
          if (imports === null) this.fail('an Import outside the document');
          this.pos++;
          const from = this.word();
          const to = this.word();
          const source = this.string();
          imports.push({ kind: 'Import', from, to, source, names: this.stringList() });
          break;
        }
        default:
          body.children.push(this.block());
      }
    }
    return body;
  }

  trait(): Trait {
    if (this.word() !== K.Trait) this.fail('expected a Trait');
    const from = this.word();
    const to = this.word();
    const name = this.string();
    const argCount = this.word();
    let args: TraitArg[] | null = null;
    if (argCount !== NONE) {
      args = new Array<TraitArg>(argCount);
      for (let i = 0; i < argCount; i++) {
        const argName = this.optString();
        args[i] = { name: argName, value: this.expression() };
      }
    }
    const body = this.word() === 1 ? this.members(null) : null;
    return { kind: 'Trait', from, to, name, args, body };
  }

  handler(): Handler {
    if (this.word() !== K.Handler) this.fail('expected a Handler');
    const from = this.word();
    const to = this.word();
    const name = this.string();
    const form = HANDLER_FORMS[this.word()] ?? this.fail('unknown handler form');
    const source = this.flag() ? this.expression() : null;
    const params = this.stringList();
    return { kind: 'Handler', from, to, name, form, source, params, body: this.statements() };
  }

  block(): Block {
    const code = this.word();
    const kind = NODE_KINDS[code];
    if (code < K.Composition || code > K.UnknownBlock || kind === undefined) this.fail('expected a block');
    const from = this.word();
    const to = this.word();
    const keyword = this.string();
    const name = this.optString();
    const using = this.optString();
    const body = this.members(null);
    return {
      kind: kind as BlockKind,
      from,
      to,
      keyword,
      name,
      using,
      traits: body.traits,
      properties: body.properties,
      handlers: body.handlers,
      children: body.children,
      calls: body.calls,
    };
  }

  statements(): Statement[] {
    const count = this.word();
    const list = new Array<Statement>(count);
    for (let i = 0; i < count; i++) list[i] = this.statement();
    return list;
  }

  statement(): Statement {
    const code = this.word();
    const from = this.word();
    const to = this.word();
    switch (code) {
      case K.Assign: {
        const op = ASSIGN_OPS[this.word()] ?? this.fail('unknown assignment operator');
        const target = this.expression();
        if (target.kind !== 'Identifier' && target.kind !== 'Member' && target.kind !== 'Index') {
          this.fail('assignment target is not assignable');
        }
        return {
          kind: 'Assign',
          from,
          to,
          op,
          target: target as Identifier | Member | Index,
          value: this.expression(),
        };
      }
      case K.Let: {
        const declaration = this.string();
        if (declaration !== 'let' && declaration !== 'const' && declaration !== 'var') this.fail('unknown declaration');
        const name = this.string();
        const value = this.word() === 1 ? this.expression() : null;
        return { kind: 'Let', from, to, declaration, name, value };
      }
      case K.If: {
        const test = this.expression();
        const then = this.statements();
        const elseCount = this.words[this.pos];
        let otherwise: Statement[] | null = null;
        if (elseCount === NONE) this.pos++;
        else otherwise = this.statements();
        return { kind: 'If', from, to, test, then, else: otherwise };
      }
      case K.ExprStatement:
        return { kind: 'ExprStatement', from, to, expression: this.expression() };
      case K.Command: {
        const name = this.string();
        return { kind: 'Command', from, to, name, args: this.expressions() };
      }
      case K.Return:
        return { kind: 'Return', from, to, value: this.word() === 1 ? this.expression() : null };
      case K.For: {
        const declaration = this.optString();
        if (declaration !== null && declaration !== 'let' && declaration !== 'const' && declaration !== 'var') {
          this.fail('unknown declaration');
        }
        const name = this.string();
        const list = this.expression();
        return { kind: 'For', from, to, declaration, name, list, body: this.statements() };
      }
      case K.Property: {
        const key = this.string();
        return { kind: 'Property', from, to, key, value: this.expression() };
      }
      default:
        return this.fail(`expected a statement, found kind ${code}`);
    }
  }

  expressions(): Expression[] {
    const count = this.word();
    const list = new Array<Expression>(count);
    for (let i = 0; i < count; i++) list[i] = this.expression();
    return list;
  }

  expression(): Expression {
    const code = this.word();
    const from = this.word();
    const to = this.word();
    switch (code) {
      case K.Number: {
        numberWords[0] = this.word();
        numberWords[1] = this.word();
        return { kind: 'Number', from, to, value: numberValue[0] as number };
      }
      case K.String:
        return { kind: 'String', from, to, value: this.string() };
      case K.Boolean:
        return { kind: 'Boolean', from, to, value: this.word() === 1 };
      case K.Null:
        return { kind: 'Null', from, to };
      case K.Identifier:
        return { kind: 'Identifier', from, to, name: this.string() };
      case K.Color:
        return { kind: 'Color', from, to, value: this.string() };
      case K.ArrayLiteral:
        return { kind: 'ArrayLiteral', from, to, items: this.expressions() };
      case K.ObjectLiteral: {
        const count = this.word();
        const entries = new Array<{ key: string; value: Expression }>(count);
        for (let i = 0; i < count; i++) {
          const key = this.string();
          entries[i] = { key, value: this.expression() };
        }
        return { kind: 'ObjectLiteral', from, to, entries };
      }
      case K.Unary: {
        const op = UNARY_OPS[this.word()] ?? this.fail('unknown unary operator');
        return { kind: 'Unary', from, to, op, operand: this.expression() };
      }
      case K.Binary: {
        const op = BINARY_OPS[this.word()] ?? this.fail('unknown binary operator');
        const left = this.expression();
        return { kind: 'Binary', from, to, op, left, right: this.expression() };
      }
      case K.Member: {
        const object = this.expression();
        const property = this.string();
        return { kind: 'Member', from, to, object, property, optional: this.flag() };
      }
      case K.Index: {
        const object = this.expression();
        const index = this.expression();
        return { kind: 'Index', from, to, object, index, optional: this.flag() };
      }
      case K.Call: {
        const callee = this.expression();
        const optional = this.flag();
        return { kind: 'Call', from, to, callee, optional, args: this.expressions() };
      }
      case K.TemplateString: {
        const count = this.word();
        const parts = [this.string()];
        const values = new Array<Expression>(count);
        for (let i = 0; i < count; i++) {
          values[i] = this.expression();
          parts.push(this.string());
        }
        return { kind: 'TemplateString', from, to, parts, values };
      }
      case K.Conditional: {
        const test = this.expression();
        const then = this.expression();
        return { kind: 'Conditional', from, to, test, then, otherwise: this.expression() };
      }
      case K.Function: {
        const name = this.optString();
        const form = FUNCTION_FORMS[this.word()] ?? this.fail('unknown function form');
        const params = this.stringList();
        return { kind: 'Function', from, to, name, form, params, body: this.statements() };
      }
      case K.Spread:
        return { kind: 'Spread', from, to, value: this.expression() };
      case K.Quantity: {
        numberWords[0] = this.word();
        numberWords[1] = this.word();
        const value = numberValue[0] as number;
        return { kind: 'Quantity', from, to, value, unit: this.string() };
      }
      case K.Field: {
        const value = this.expression();
        const optional = this.flag();
        return { kind: 'Field', from, to, value, optional, default: this.flag() ? this.expression() : null };
      }
      case K.Generic: {
        const base = this.expression();
        return { kind: 'Generic', from, to, base, args: this.expressions() };
      }
      case K.Trait:
        this.pos -= 3;
        return this.trait();
      default:
        return this.fail(`expected an expression, found kind ${code}`);
    }
  }

  diagnostics(): Diagnostic[] {
    const count = this.word();
    const list = new Array<Diagnostic>(count);
    for (let i = 0; i < count; i++) {
      const severity = SEVERITIES[this.word()];
      if (severity !== 'error' && severity !== 'warning') this.fail('unknown severity');
      const code = this.string();
      const message = this.string();
      const expected = this.stringList();
      list[i] = {
        severity,
        code,
        message,
        expected,
        from: this.word(),
        to: this.word(),
        line: this.word(),
        column: this.word(),
        endLine: this.word(),
        endColumn: this.word(),
        byteStart: this.word(),
        byteEnd: this.word(),
      };
    }
    return list;
  }
}

/** Decodes a whole binary result; throws `ResultFormatError` on a malformed buffer. */
export function decodeBinaryResult(bytes: Uint8Array): ParseResult {
  if (bytes.byteLength < HEADER_WORDS * 4) throw new ResultFormatError('result is shorter than its header');
  // Views need aligned offsets: copy if the caller's bytes do not start on a 4-byte boundary.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const header = new Uint32Array(aligned.buffer, aligned.byteOffset, HEADER_WORDS);
  const [magic, version, wordCount, stringCount, stringBytes] = header as unknown as number[];
  if (magic !== BINARY_MAGIC) throw new ResultFormatError('not a parse result (bad magic)');
  if (version !== RESULT_FORMAT_VERSION) {
    throw new ResultFormatError(`result format ${version}, this app reads ${RESULT_FORMAT_VERSION}: rebuild the app`);
  }
  const wordsAt = HEADER_WORDS * 4;
  const endsAt = wordsAt + (wordCount as number) * 4;
  const textAt = endsAt + (stringCount as number) * 4;
  if (textAt + (stringBytes as number) !== aligned.byteLength) {
    throw new ResultFormatError('result length does not match its header');
  }
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset + wordsAt, wordCount);
  const ends = new Uint32Array(aligned.buffer, aligned.byteOffset + endsAt, stringCount);
  const text = textDecoder.decode(aligned.subarray(textAt));
  const strings = new Array<string>(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] as number;
    strings[i] = text.slice(start, end);
    start = end;
  }
  const reader = new Reader(words, strings);
  const document = reader.document();
  const diagnostics = reader.diagnostics();
  if (reader.pos !== words.length) throw new ResultFormatError('result has words after the diagnostics');
  return withCounts(document, diagnostics);
}

/** Adds the error and warning counts. */
function withCounts(document: Document, diagnostics: Diagnostic[]): ParseResult {
  let errors = 0;
  for (const d of diagnostics) if (d.severity === 'error') errors++;
  return { document, diagnostics, errors, warnings: diagnostics.length - errors };
}
