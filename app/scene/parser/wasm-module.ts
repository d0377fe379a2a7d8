/**
 * Typed access to the parser's WebAssembly module (wasm-parser/, C ABI in
 * wasm-parser/src/abi.rs). There is no wasm-bindgen here: this file is the
 * glue, encoding UTF-8 into linear memory through `holo_alloc`/`holo_free`,
 * calling exports by name and copying results out.
 *
 * Browsers compile with `WebAssembly.compileStreaming` (once per URL, so the
 * main thread and every worker share one `WebAssembly.Module`, and the
 * service worker's cached copy and V8's code cache serve later loads), then
 * instantiate.
 *
 * @example
 *   const parser = await loadParserModule(fetch(wasmUrl));
 *   const { document, diagnostics } = parser.parse('object "A" { color: #ff0000 }');
 */
import { cachedOrFetch } from '../../pwa/cached-response.ts';
import type { ParseResult } from '../syntax/ast.ts';
import { decodeBinaryResult } from './result-binary.ts';

/** Must equal `ABI_VERSION` in wasm-parser/src/abi.rs. */
const EXPECTED_ABI_VERSION = 3;

/** Must equal `MAX_INPUT_BYTES` in wasm-parser/src/limits.rs (rule LIM1; checked by schema.test.ts). */
export const MAX_INPUT_BYTES = 1 << 20;

/** The raw exports, as declared by wasm-parser/src/abi.rs. */
export interface ParserExports {
  memory: WebAssembly.Memory;
  holo_abi_version(): number;
  holo_version(): number;
  holo_alloc(len: number): number;
  holo_free(ptr: number, len: number): void;
  holo_line_count(ptr: number, len: number): number;
  holo_parse(ptr: number, len: number, format: number): number;
  holo_schema(): number;
  holo_result_ptr(): number;
  holo_result_len(): number;
}

const REQUIRED_FUNCTIONS = [
  'holo_abi_version',
  'holo_version',
  'holo_alloc',
  'holo_free',
  'holo_line_count',
  'holo_parse',
  'holo_schema',
  'holo_result_ptr',
  'holo_result_len',
] as const;

/** Result formats of `holo_parse`: the binary one (docs/parser.md) is the only one. */
export type ResultFormat = 'binary';
const FORMAT_CODES: Record<ResultFormat, number> = { binary: 1 };
const STATUS_MESSAGES = ['ok', 'unknown result format', 'result buffer busy'];

/** The parser's vocabulary as `holo_schema` reports it (see wasm-parser/src/schema.rs). */
export interface ParserSchema {
  formatVersion: number;
  maxInputBytes: number;
  nodeKinds: string[];
  binaryOps: string[];
  unaryOps: string[];
  assignOps: string[];
  handlerForms: string[];
  severities: string[];
  blockKeywords: Record<string, string>;
}

export class ParserModuleError extends Error {
  override name = 'ParserModuleError';
}

function checkExports(exports: WebAssembly.Exports): ParserExports {
  if (!(exports.memory instanceof WebAssembly.Memory)) throw new ParserModuleError('wasm module exports no memory');
  for (const name of REQUIRED_FUNCTIONS) {
    if (typeof exports[name] !== 'function') throw new ParserModuleError(`wasm module lacks export ${name}`);
  }
  return exports as unknown as ParserExports;
}

const encoder = new TextEncoder();
const textDecoder = new TextDecoder();

export class ParserModule {
  readonly version: string;

  constructor(readonly exports: ParserExports) {
    const abi = exports.holo_abi_version();
    if (abi !== EXPECTED_ABI_VERSION) {
      throw new ParserModuleError(`wasm parser ABI ${abi}, this app needs ${EXPECTED_ABI_VERSION}: rebuild the app`);
    }
    const packed = exports.holo_version();
    this.version = `${packed >>> 16}.${(packed >>> 8) & 0xff}.${packed & 0xff}`;
  }

  /**
   * Encodes `text` as UTF-8 straight into linear memory, calls `fn(ptr, len)`,
   * and frees the buffer. Texts far over the input limit are cut just past
   * it: the parser then reports LIM1 without this module growing its memory
   * to hold the whole text.
   */
  withInput<T>(text: string, fn: (ptr: number, len: number) => T): T {
    const input = text.length > MAX_INPUT_BYTES ? text.slice(0, MAX_INPUT_BYTES + 1) : text;
    const capacity = input.length * 3;
    const ptr = this.exports.holo_alloc(capacity);
    if (ptr === 0) throw new ParserModuleError(`wasm parser could not allocate ${capacity} bytes`);
    try {
      // The view is taken after allocating, since allocation may grow (and detach) memory.
      const { written } = encoder.encodeInto(input, new Uint8Array(this.exports.memory.buffer, ptr, capacity));
      return fn(ptr, written);
    } finally {
      this.exports.holo_free(ptr, capacity);
    }
  }

  lineCount(text: string): number {
    return this.withInput(text, (ptr, len) => this.exports.holo_line_count(ptr, len));
  }

  /** Parses `text`; never throws for any script (all problems are diagnostics). */
  parse(text: string): ParseResult {
    return decodeBinaryResult(this.parseRaw(text, 'binary'));
  }

  /** The raw result bytes, copied out of linear memory (safe to transfer to another thread). */
  parseRaw(text: string, format: ResultFormat): Uint8Array {
    return this.withInput(text, (ptr, len) => {
      this.check(this.exports.holo_parse(ptr, len, FORMAT_CODES[format]));
      return this.takeResult();
    });
  }

  schema(): ParserSchema {
    this.check(this.exports.holo_schema());
    return JSON.parse(textDecoder.decode(this.takeResult())) as ParserSchema;
  }

  private check(status: number): void {
    if (status !== 0) throw new ParserModuleError(`wasm parser: ${STATUS_MESSAGES[status] ?? `status ${status}`}`);
  }

  private takeResult(): Uint8Array {
    const ptr = this.exports.holo_result_ptr();
    const len = this.exports.holo_result_len();
    return new Uint8Array(this.exports.memory.buffer, ptr, len).slice();
  }
}

/** The module needs no imports: it is std-only Rust with no host calls. */
const IMPORTS: WebAssembly.Imports = {};

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/**
 * Compiles the parser at `url` once per page (streaming, while it downloads);
 * later calls share the same `WebAssembly.Module`, which can also be posted
 * to workers.
 */
export function compileParser(url: string): Promise<WebAssembly.Module> {
  let module = compiled.get(url);
  if (!module) {
    // After the first visit the bytes come straight from the service worker's precache.
    module = WebAssembly.compileStreaming(cachedOrFetch(url));
    compiled.set(url, module);
    // A failed compile must not stick: the next call tries again.
    module.catch(() => compiled.delete(url));
  }
  return module;
}

/** Instantiates an already compiled parser module. */
export async function instantiateParser(module: WebAssembly.Module): Promise<ParserModule> {
  const instance = await WebAssembly.instantiate(module, IMPORTS);
  return new ParserModule(checkExports(instance.exports));
}

/** Node and tests: compile from bytes already in memory. */
export async function loadParserModuleFromBytes(bytes: BufferSource): Promise<ParserModule> {
  return instantiateParser(await WebAssembly.compile(bytes));
}
