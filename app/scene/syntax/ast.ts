/**
 * The scene tree as the parser returns it: the contract between the
 * WebAssembly parser (wasm-parser/) and everything that reads scripts (scene
 * model, handler interpreter, editor). docs/scene-language.md says which
 * source construct becomes which node; docs/parser.md how the tree travels.
 *
 * Every node has `kind` plus `from`/`to`: UTF-16 offsets into the script (the
 * same positions as JavaScript string indices and CodeMirror), `to` exclusive.
 * A construct with a syntax error is left out of the tree and reported in the
 * diagnostics, so every node here is well-formed. Lists keep source order.
 *
 * The tables at the end (`NODE_KINDS`, operators, handler forms) must equal
 * the parser's own (`holo_schema`); app/scene/syntax/schema.test.ts fails when they
 * drift apart.
 */

/** Format of the parse result (binary layout), as the parser's `FORMAT_VERSION`. */
export const RESULT_FORMAT_VERSION = 3;

export interface Span {
  /** UTF-16 offset of the first character. */
  from: number;
  /** UTF-16 offset after the last character. */
  to: number;
}

/** The members of a document, a block or a trait's `{ ... }` configuration. */
export interface Body {
  traits: Trait[];
  properties: Property[];
  handlers: Handler[];
  /** Nested blocks (objects, groups, lights, unknown domain blocks, ...). */
  children: Block[];
  /** Calls standing as members: `track_event("tap", { id: 1 })` (SYN1). */
  calls: Call[];
}

/** A whole script. Top-level blocks are usually one `composition`, but objects
 * and templates may also stand at the top level (files without a wrapper). */
export interface Document extends Body, Span {
  kind: 'Document';
  imports: Import[];
}

/** `import "x.holo"`, `import A from "x"`, `import { A, B as C } from "x"`:
 * accepted and reported (LANG2), not resolved. `names` are the local names. */
export interface Import extends Span {
  kind: 'Import';
  source: string;
  names: string[];
}

export type BlockKind =
  | 'Composition'
  | 'Object'
  | 'Template'
  | 'Group'
  | 'Environment'
  | 'Light'
  | 'Camera'
  | 'State'
  | 'Metadata'
  | 'Material'
  | 'UnknownBlock';

/**
 * `keyword ["Name"] [using "Template"] [@trait ...] { members }`.
 * `kind` comes from the keyword (`object`/`orb`/`entity` are all `Object`;
 * `light` and `point_light` ... `hemisphere_light` are `Light`; `scene`,
 * `group`, `spatial_group` are `Group`); any other keyword is an
 * `UnknownBlock` kept for tools and reported with a warning (LANG1).
 */
export interface Block extends Body, Span {
  kind: BlockKind;
  /** The keyword as written, e.g. `orb`, `point_light`, `post_processing`. */
  keyword: string;
  /** The name, quoted or not in the source; `null` when absent. */
  name: string | null;
  /** The template after `using`; `null` when absent. */
  using: string | null;
}

/** `@name`, `@name(args)`, `@name { config }` (in a body), in header or body. */
export interface Trait extends Span {
  kind: 'Trait';
  name: string;
  /** `null` without parentheses; `[]` for `@name()`. */
  args: TraitArg[] | null;
  /** The `{ ... }` configuration; `null` when absent. */
  body: Body | null;
}

/** `key: value` inside a trait's parentheses, or a positional `value` (`name: null`). */
export interface TraitArg {
  name: string | null;
  value: Expression;
}

/**
 * `key: value` (also `key = value`, `key => value`; keys may be dotted, quoted
 * or numbers). A handler-named key with a non-block value (`on_click: "x"`)
 * is a property too. In a statement list it is a field (`action: "select"`, SYN15).
 */
export interface Property extends Span {
  kind: 'Property';
  key: string;
  value: Expression;
}

/** How a handler was written (SYN7). */
export type HandlerForm =
  /** `onGrab: { ... }` */
  | 'colon'
  /** `on_click { ... }` */
  | 'block'
  /** `on_click(event) { ... }` and methods such as `helper() { ... }` */
  | 'params'
  /** `on "tap" { }`, `on("frame") { }`, `on(Source, "event") { }`, `on Knob.knob.turned -> (e) { }`, `on_event("x") { }` */
  | 'on'
  /** `action select(id) { }`, `function forward(a, b) { }` */
  | 'action'
  /** a block's callback: `button "Reset" -> () { }` (named after the block's keyword) */
  | 'callback';

/** An event handler or method: statements the runtime interprets. */
export interface Handler extends Span {
  kind: 'Handler';
  /** As written: `onGrab`, `on_click`, `helper`; the event for the `on` form (`tap`). */
  name: string;
  form: HandlerForm;
  /** Where an `on` form's event comes from (`AssistantAgent`, `VolumeKnob.knob`); else `null`. */
  source: Expression | null;
  /** Parameter names. */
  params: string[];
  body: Statement[];
}

export type Statement = Assign | Let | If | ExprStatement | Command | Return | For | Property;

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=';

/** `target op value`; `x++`/`x--` arrive as `x += 1`/`x -= 1`.
 * `target` is always an `Identifier`, `Member` or `Index`. */
interface Assign extends Span {
  kind: 'Assign';
  op: AssignOp;
  target: Identifier | Member | Index;
  value: Expression;
}

/** `let x = v`, `const x = v`, `var x` (no value: `value` is `null`). */
interface Let extends Span {
  kind: 'Let';
  declaration: 'let' | 'const' | 'var';
  name: string;
  value: Expression | null;
}

/** `if test { then } else { else }`; `else if` is an `else` holding one `If`. */
interface If extends Span {
  kind: 'If';
  test: Expression;
  then: Statement[];
  else: Statement[] | null;
}

/** An expression evaluated for its effect, usually a call: `this.playSound("x")`. */
interface ExprStatement extends Span {
  kind: 'ExprStatement';
  expression: Expression;
}

/**
 * A command line: a name, a space, then arguments separated by spaces:
 * `set grabbed true`, `play_audio "x.ogg"`, `spawn "Cube" at [0, 1, 0]`,
 * `reset` (no arguments). Words such as `at` arrive as `Identifier` arguments.
 */
export interface Command extends Span {
  kind: 'Command';
  name: string;
  args: Expression[];
}

interface Return extends Span {
  kind: 'Return';
  value: Expression | null;
}

/** `for (const x of list) { ... }` (SYN15). */
export interface For extends Span {
  kind: 'For';
  declaration: 'let' | 'const' | 'var' | null;
  name: string;
  list: Expression;
  body: Statement[];
}

export type Expression =
  | NumberLiteral
  | StringLiteral
  | BooleanLiteral
  | NullLiteral
  | Identifier
  | ColorLiteral
  | ArrayLiteral
  | ObjectLiteral
  | Unary
  | Binary
  | Member
  | Index
  | Call
  | TemplateString
  | Conditional
  | FunctionValue
  | Spread
  | Quantity
  | Field
  | Generic
  | Trait;

/** A number; `-5` written in the source is the number -5 (not a `Unary`). */
interface NumberLiteral extends Span {
  kind: 'Number';
  value: number;
}

/** A string from `"..."` or `'...'`, escapes decoded. `"#ff0000"` stays a string. */
interface StringLiteral extends Span {
  kind: 'String';
  value: string;
}

interface BooleanLiteral extends Span {
  kind: 'Boolean';
  value: boolean;
}

interface NullLiteral extends Span {
  kind: 'Null';
}

/** A bare name: `y`, `event`, `this`, `state`. */
export interface Identifier extends Span {
  kind: 'Identifier';
  name: string;
}

/** A bare colour `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa`, as written (with `#`). */
interface ColorLiteral extends Span {
  kind: 'Color';
  value: string;
}

interface ArrayLiteral extends Span {
  kind: 'ArrayLiteral';
  items: Expression[];
}

interface ObjectLiteral extends Span {
  kind: 'ObjectLiteral';
  entries: ObjectEntry[];
}

/** `key: value` in an object literal; duplicate keys are kept in order. */
interface ObjectEntry {
  key: string;
  value: Expression;
}

export type UnaryOp = '-' | '!';

interface Unary extends Span {
  kind: 'Unary';
  op: UnaryOp;
  operand: Expression;
}

export type BinaryOp =
  | '||'
  | '&&'
  | '=='
  | '!='
  | '==='
  | '!=='
  | '<'
  | '<='
  | '>'
  | '>='
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '??'
  | '|'
  | '&'
  | '**';

interface Binary extends Span {
  kind: 'Binary';
  op: BinaryOp;
  left: Expression;
  right: Expression;
}

/** `object.property`; `object?.property` is `optional` (SYN11). */
export interface Member extends Span {
  kind: 'Member';
  object: Expression;
  property: string;
  optional: boolean;
}

/** `object[index]`, `object?.[index]` */
export interface Index extends Span {
  kind: 'Index';
  object: Expression;
  index: Expression;
  optional: boolean;
}

/** `callee(args)`, `callee?.(args)`; also a filter (`value | map a to b`, SYN12). */
export interface Call extends Span {
  kind: 'Call';
  callee: Expression;
  optional: boolean;
  args: Expression[];
}

/** `` `text ${value} text` `` (LEX7): `parts` has one more item than `values`. */
export interface TemplateString extends Span {
  kind: 'TemplateString';
  parts: string[];
  values: Expression[];
}

/** `test ? then : otherwise` (SYN11). */
export interface Conditional extends Span {
  kind: 'Conditional';
  test: Expression;
  then: Expression;
  otherwise: Expression;
}

/** How a function value was written (SYN13). */
export type FunctionForm =
  /** `function (a) { }`, `function name(a) { }` */
  | 'function'
  /** `(a) => { }` */
  | 'arrow'
  /** `(a) => value`: the body is one `Return` */
  | 'arrowValue'
  /** a block after a call's `)`: `after(1) { }` */
  | 'block';

/** A function value (SYN13). */
export interface FunctionValue extends Span {
  kind: 'Function';
  name: string | null;
  form: FunctionForm;
  params: string[];
  body: Statement[];
}

/** `...value` in an array, a call or (with the key `...`) an object. */
export interface Spread extends Span {
  kind: 'Spread';
  value: Expression;
}

/** A number with a unit (LEX4): `20m`, `100ms`, `50%`, `45°`. */
export interface Quantity extends Span {
  kind: 'Quantity';
  value: number;
  unit: string;
}

/** A typed field (SYN14): `key?: type`, `key: type = default`. */
export interface Field extends Span {
  kind: 'Field';
  value: Expression;
  optional: boolean;
  default: Expression | null;
}

/** A generic type (SYN14): `array<string>`. */
export interface Generic extends Span {
  kind: 'Generic';
  base: Expression;
  args: Expression[];
}

export type Node = Document | Import | Block | Trait | Property | Handler | Statement | Expression;
export type NodeKind = Node['kind'];

type Severity = 'error' | 'warning';

/** One problem in a script, with everything an editor or CLI needs. */
export interface Diagnostic extends Span {
  severity: Severity;
  /** Rule id from docs/scene-language.md, e.g. `SYN2`. */
  code: string;
  message: string;
  /** What would have been valid at this place, e.g. ["`:`", "`{`"]. */
  expected: string[];
  /** 1-based line and column (column in UTF-16 units) of `from`. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Byte offsets of the span in the UTF-8 encoding of the script. */
  byteStart: number;
  byteEnd: number;
}

/** The result of parsing a script: the tree is always present, even with errors. */
export interface ParseResult {
  document: Document;
  /** In input order. */
  diagnostics: Diagnostic[];
  errors: number;
  warnings: number;
}

// ---- the shared vocabulary (mirrors wasm-parser/src/schema.rs; checked by schema.test.ts) ----

/** Node kinds in code order: the binary format's tag for kind `k` is `NODE_KINDS.indexOf(k)`. */
export const NODE_KINDS = [
  'Document',
  'Import',
  'Composition',
  'Object',
  'Template',
  'Group',
  'Environment',
  'Light',
  'Camera',
  'State',
  'Metadata',
  'Material',
  'UnknownBlock',
  'Trait',
  'Property',
  'Handler',
  'Assign',
  'Let',
  'If',
  'ExprStatement',
  'Command',
  'Return',
  'Number',
  'String',
  'Boolean',
  'Null',
  'Identifier',
  'Color',
  'ArrayLiteral',
  'ObjectLiteral',
  'Unary',
  'Binary',
  'Member',
  'Index',
  'Call',
  'TemplateString',
  'Conditional',
  'Function',
  'Spread',
  'Quantity',
  'Field',
  'Generic',
  'For',
] as const satisfies readonly NodeKind[];

export const BINARY_OPS = [
  '||',
  '&&',
  '==',
  '!=',
  '===',
  '!==',
  '<',
  '<=',
  '>',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '??',
  '|',
  '&',
  '**',
] as const satisfies readonly BinaryOp[];
export const UNARY_OPS = ['-', '!'] as const satisfies readonly UnaryOp[];
export const ASSIGN_OPS = ['=', '+=', '-=', '*=', '/='] as const satisfies readonly AssignOp[];
export const HANDLER_FORMS = [
  'colon',
  'block',
  'params',
  'on',
  'action',
  'callback',
] as const satisfies readonly HandlerForm[];
export const FUNCTION_FORMS = ['function', 'arrow', 'arrowValue', 'block'] as const satisfies readonly FunctionForm[];
/** Severity codes: index 1 is warning, 2 is error. */
export const SEVERITIES = ['', 'warning', 'error'] as const;

/** Block keywords and the kind each makes; any other keyword makes an `UnknownBlock`. */
export const BLOCK_KEYWORDS: Readonly<Record<string, BlockKind>> = {
  composition: 'Composition',
  object: 'Object',
  orb: 'Object',
  entity: 'Object',
  template: 'Template',
  spatial_group: 'Group',
  group: 'Group',
  scene: 'Group',
  environment: 'Environment',
  light: 'Light',
  point_light: 'Light',
  spot_light: 'Light',
  directional_light: 'Light',
  ambient_light: 'Light',
  hemisphere_light: 'Light',
  camera: 'Camera',
  state: 'State',
  metadata: 'Metadata',
  material: 'Material',
};
