/**
 * Typed access to the parser's WebAssembly module (wasm-parser/, C ABI).
 * There is no wasm-bindgen here: this file is the glue, copying UTF-8 into
 * linear memory through `holo_alloc`/`holo_free` and calling exports by name.
 *
 * @example
 *   const parser = await loadParserModule(fetch(wasmUrl));
 *   parser.lineCount('a\nb'); // 2
 */

/** Must equal `ABI_VERSION` in wasm-parser/src/abi.rs. */
export const EXPECTED_ABI_VERSION = 1;

/** The raw exports, as declared by wasm-parser/src/abi.rs. */
export interface ParserExports {
  memory: WebAssembly.Memory;
  holo_abi_version(): number;
  holo_version(): number;
  holo_alloc(len: number): number;
  holo_free(ptr: number, len: number): void;
  holo_line_count(ptr: number, len: number): number;
}

const REQUIRED_FUNCTIONS = ['holo_abi_version', 'holo_version', 'holo_alloc', 'holo_free', 'holo_line_count'] as const;

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
   * Copies `text` into linear memory, calls `fn(ptr, len)`, and frees the copy.
   * The view of memory is taken after allocating, since allocation may grow it.
   */
  withInput<T>(text: string, fn: (ptr: number, len: number) => T): T {
    const bytes = encoder.encode(text);
    const ptr = this.exports.holo_alloc(bytes.length);
    if (ptr === 0) throw new ParserModuleError(`wasm parser could not allocate ${bytes.length} bytes`);
    try {
      new Uint8Array(this.exports.memory.buffer, ptr, bytes.length).set(bytes);
      return fn(ptr, bytes.length);
    } finally {
      this.exports.holo_free(ptr, bytes.length);
    }
  }

  lineCount(text: string): number {
    return this.withInput(text, (ptr, len) => this.exports.holo_line_count(ptr, len));
  }
}

/** The module needs no imports: it is std-only Rust with no host calls. */
const IMPORTS: WebAssembly.Imports = {};

/** Browser path: compile while downloading (`instantiateStreaming`). */
export async function loadParserModule(response: Response | PromiseLike<Response>): Promise<ParserModule> {
  const { instance } = await WebAssembly.instantiateStreaming(response, IMPORTS);
  return new ParserModule(checkExports(instance.exports));
}

/** Node and tests: instantiate from bytes already in memory. */
export async function loadParserModuleFromBytes(bytes: BufferSource): Promise<ParserModule> {
  const { instance } = await WebAssembly.instantiate(bytes, IMPORTS);
  return new ParserModule(checkExports(instance.exports));
}
