// The physics engine as two files (docs/performance.md LOAD23): its JavaScript
// glue and its WebAssembly.
//
// The compat package of Rapier (`@dimforge/rapier3d-compat`, the one the
// project installs) is one module that carries its WebAssembly inline as
// base64: 2.2 MB, 835 KB gzip, and base64 compresses worse than the module it
// encodes. Built into the app, the physics worker's bundle and the page's (for
// pages without Worker) each held a copy. Here the build takes the module
// apart: the base64 literal becomes the `.wasm` file it encodes, and the
// glue's `init()` takes where the module is (a URL, which wasm-bindgen's
// loader fetches and compiles with `WebAssembly.instantiateStreaming`, or its
// bytes). The app's build then replaces `app/physics/engine/rapier-module.ts`
// (which Node tests and the dev server run: the compat package as it is) by a
// loader of those two files, emitted as assets of the same content, so the
// worker's build and the page's name the same file and the app ships one copy
// of each.
//
// Node built-ins only, like the rest of scripts/; vite.config.ts uses it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COMPAT_MODULE = path.join(ROOT, 'node_modules', '@dimforge', 'rapier3d-compat', 'rapier.mjs');
/** Where the two files are written, under the project root (Vite resolves `/build/...` from there). */
const OUT_DIR = 'build/rapier';
/** The module the app's build replaces: the engine's loader for Node and the dev server. */
export const RAPIER_MODULE = path.join(ROOT, 'app', 'physics', 'engine', 'rapier-module.ts');

/** The WebAssembly module's first bytes (`\0asm`), as base64. */
const WASM_BASE64_START = 'AGFzbQ';

/**
 * The compat build's `init()` as its bundler minified it:
 * `function init(){return __awaiter(this,void 0,void 0,function*(){yield wbgInit(base64.toByteArray("AGFzbQ...").buffer)})}`.
 * The names change between releases; the shape is what is matched.
 */
const COMPAT_INIT =
  /function ([\w$]+)\(\)\{return [\w$]+\(this,void 0,void 0,\(function\*\(\)\{yield ([\w$]+)\([\w$]+\.toByteArray\("(AGFzbQ[A-Za-z0-9+/=]+)"\)\.buffer\)\}\)\)\}/g;

/**
 * Splits the compat module's text into its glue and its WebAssembly. The
 * glue's `init(source)` passes `source` to wasm-bindgen's loader as
 * `module_or_path`: a URL or a string is fetched and compiled as it streams in
 * (where the server says `application/wasm`), bytes or a `WebAssembly.Module`
 * are used as they are.
 *
 * @example
 *   const { glue, wasm } = splitCompatModule(readFileSync('rapier.mjs', 'utf8'));
 *   // glue: the module without its base64; wasm: the bytes that were inline
 * @param {string} text
 * @returns {{ glue: string, wasm: Buffer }}
 */
export function splitCompatModule(text) {
  const matches = [...text.matchAll(COMPAT_INIT)];
  if (matches.length !== 1 || text.split(WASM_BASE64_START).length !== 2) {
    throw new Error(
      `the physics engine's module does not have the shape the build splits (one init() with the WebAssembly inline ` +
        `as base64, found ${matches.length}): a new release of @dimforge/rapier3d-compat? see scripts/rapier-files.mjs`,
    );
  }
  const [init, name, wbgInit, base64] = /** @type {[string, string, string, string]} */ (
    /** @type {RegExpMatchArray} */ (matches[0]).slice(0, 4)
  );
  const glue = text.replace(
    init,
    () => `function ${name}(source){return ${wbgInit}({module_or_path:source}).then(()=>{})}`,
  );
  // Its source map describes the module with the base64, and is not shipped: the glue names none.
  return { glue: glue.replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, '\n'), wasm: Buffer.from(base64, 'base64') };
}

/**
 * The workers' builds run inside the app's, which may be reading the file:
 * rewrite it only when its content changes.
 *
 * @param {string} file
 * @param {Buffer} data
 */
function writeIfChanged(file, data) {
  if (existsSync(file) && readFileSync(file).equals(data)) return;
  writeFileSync(file, data);
}

/**
 * Writes the glue and the WebAssembly to `build/rapier/` and returns the
 * paths the app's build imports them by (root-relative, with `?url`: each
 * becomes an asset named `rapier-<content hash>.js` / `.wasm`).
 *
 * @returns {{ glue: string, wasm: string }}
 */
export function writeRapierFiles() {
  const { glue, wasm } = splitCompatModule(readFileSync(COMPAT_MODULE, 'utf8'));
  mkdirSync(path.join(ROOT, OUT_DIR), { recursive: true });
  writeIfChanged(path.join(ROOT, OUT_DIR, 'rapier.js'), Buffer.from(glue));
  writeIfChanged(path.join(ROOT, OUT_DIR, 'rapier.wasm'), wasm);
  return { glue: `/${OUT_DIR}/rapier.js`, wasm: `/${OUT_DIR}/rapier.wasm` };
}

/**
 * The loader the app's build puts in place of `rapier-module.ts`: the same
 * export, the engine from the two files.
 *
 * @param {{ glue: string, wasm: string }} files
 * @returns {string}
 */
export function browserRapierModule(files) {
  return [
    `import glueUrl from ${JSON.stringify(`${files.glue}?url`)};`,
    `import wasmUrl from ${JSON.stringify(`${files.wasm}?url`)};`,
    'export async function importRapier() {',
    '  const rapier = await import(/* @vite-ignore */ glueUrl);',
    '  await rapier.init(wasmUrl);',
    '  return rapier;',
    '}',
  ].join('\n');
}

/**
 * The Vite plugin, for the app's build and its workers' builds: the engine as
 * two files in place of the compat module.
 *
 * @returns {import('vite').Plugin}
 */
export function rapierAsFiles() {
  /** @type {{ glue: string, wasm: string } | undefined} */
  let files;
  return {
    name: 'holoroom:rapier-as-files',
    apply: 'build',
    enforce: 'pre',
    buildStart() {
      files = writeRapierFiles();
    },
    load(id) {
      if (id !== RAPIER_MODULE) return undefined;
      if (!files) throw new Error('rapierAsFiles: load before buildStart');
      return browserRapierModule(files);
    },
  };
}
