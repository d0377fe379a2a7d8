// What the app's build leaves out of three.js because no room runs it
// (docs/performance.md "Ninth round", LOAD35-LOAD39). Each cut keeps three's
// names and shapes and makes the left-out part fail with a message that names
// it, should a later change reach it.
//
// - LOAD35: the JSON export and import of three's objects (`toJSON`,
//   `fromJSON`: about 32 K minified). Only three's `ObjectLoader` and editor
//   read or write that format; the room's document is its own (Yjs) and never
//   holds a three object.
// - LOAD36: the GLSL of the built-in materials a room never makes (toon,
//   matcap, phong, lambert, normal, dashed lines, shadow catchers). Their
//   `ShaderLib` entries remain, and reading one throws with the material's
//   name; the build fails if a shipped script makes one of those materials or
//   includes a shader chunk that was left out. The kept chunks also lose the
//   `#ifdef` blocks of the physical material's features (clearcoat, sheen,
//   transmission, ...), which only a `MeshPhysicalMaterial` defines; the build
//   fails if a shipped script holds that class.
// - LOAD39: the PMREM generator (environment maps, blurred backgrounds):
//   the renderer makes one only for an envMap, a scene environment or a
//   background blurriness, which no room sets.
//
// Node built-ins only, like the rest of scripts/; vite.config.ts uses it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { minifyGlsl } from './three-from-source.mjs';

/** A module of three's source, with its path under `three/src/` as the first group. */
const THREE_SOURCE = /[\\/]node_modules[\\/]three[\\/]src[\\/](.+)$/;

/** Where three's source is on disk. */
const THREE_SOURCE_DIR = fileURLToPath(new URL('../node_modules/three/src/', import.meta.url));

/** The path of a module under `three/src/` (`materials/Material.js`), or undefined for any other module. */
function threeSourcePath(/** @type {string} */ id) {
  return THREE_SOURCE.exec(id.replaceAll('\\', '/'))?.[1]?.replaceAll('\\', '/');
}

// ---------------------------------------------------------------------------
// LOAD35: no JSON export or import

/**
 * Folders whose `toJSON`/`fromJSON` stay: the math classes' are a line each
 * (a vector's array, a colour's hex) and plain data a program may well
 * stringify; the animation system's belong to the glTF loader's chunk.
 */
const JSON_KEPT = /^(math|animation|loaders|nodes)\//;

/**
 * A class method of three's source as three writes it: one tab in, its
 * closing brace alone on a line one tab in (three's own lint holds every
 * module to that style).
 */
const JSON_METHOD = /\n\t(static )?(toJSON|fromJSON)\([^)\n]*\) \{\n[\s\S]*?\n\t\}\n/g;

/** The message a left-out method throws. */
export function jsonRefusal(/** @type {string} */ method) {
  return `${method}: three's JSON export and import are not in this build (docs/performance.md LOAD35)`;
}

/**
 * A module of three's source without the bodies of its `toJSON` and
 * `fromJSON` methods: each one throws, naming itself (`Material.toJSON`).
 * Returns the code unchanged when it has none.
 *
 * @example
 *   withoutJSONMethods('class A {\n\n\ttoJSON( meta ) {\n\n\t\treturn {};\n\n\t}\n\n}\n', 'A.js');
 *   // 'class A {\n\n\ttoJSON() {\n\t\tthrow new Error( "A.toJSON: ..." );\n\t}\n\n}\n'
 * @param {string} code
 * @param {string} path the module's path under `three/src/`
 * @returns {{ code: string, methods: string[] }}
 */
export function withoutJSONMethods(code, path) {
  /** @type {string[]} */
  const methods = [];
  const replaced = code.replace(JSON_METHOD, (_method, /** @type {string|undefined} */ isStatic, name, offset) => {
    const owner = [...code.slice(0, offset).matchAll(/\nclass (\w+)/g)].at(-1)?.[1];
    if (!owner) throw new Error(`three/src/${path}: a ${name} method outside a class; see scripts/three-unused.mjs`);
    const qualified = `${owner}.${name}`;
    methods.push(qualified);
    return `\n\t${isStatic ?? ''}${name}() {\n\t\tthrow new Error( ${JSON.stringify(jsonRefusal(name))} );\n\t}\n`;
  });
  return { code: replaced, methods };
}

/**
 * The Vite plugin of LOAD35: three's classes without their JSON methods.
 *
 * @returns {{ name: string, apply: 'build', transform(code: string, id: string): { code: string, map: null } | undefined }}
 */
export function threeWithoutJSON() {
  return {
    name: 'holoroom:three-without-json',
    apply: 'build',
    transform(code, id) {
      const path = threeSourcePath(id);
      if (path === undefined || JSON_KEPT.test(path) || !/(toJSON|fromJSON)\(/.test(code)) return undefined;
      const result = withoutJSONMethods(code, path);
      return result.methods.length > 0 ? { code: result.code, map: null } : undefined;
    },
  };
}

// ---------------------------------------------------------------------------
// LOAD36: only the shaders a room can compile

/**
 * The `ShaderLib` programs a room never compiles, by id, with the material
 * that would use each (three's `WebGLPrograms` maps a material's type to its
 * program). A room makes standard, basic and sprite materials, its lights'
 * shadows depth and distance materials, its background the background and
 * cube programs, and a glTF model standard, physical, basic, line and points
 * materials; none of these.
 */
export const LEFT_OUT_PROGRAMS = Object.freeze({
  lambert: 'MeshLambertMaterial',
  phong: 'MeshPhongMaterial',
  toon: 'MeshToonMaterial',
  matcap: 'MeshMatcapMaterial',
  dashed: 'LineDashedMaterial',
  normal: 'MeshNormalMaterial',
  shadow: 'ShadowMaterial',
});

/**
 * What a left-out program is in the build: an entry whose every field throws,
 * naming the material, as soon as three reads it to compile one.
 * Its source text goes into the built `ShaderLib` (keep it self-contained).
 *
 * @param {string} id
 * @param {string} material
 */
export function leftOutProgram(id, material) {
  const refuse = () => {
    throw new Error(
      `three's ${id} shader (${material}) is not in this build: a room draws with MeshStandardMaterial, ` +
        'MeshBasicMaterial and SpriteMaterial (docs/performance.md LOAD36)',
    );
  };
  return {
    get uniforms() {
      return refuse();
    },
    get vertexShader() {
      return refuse();
    },
    get fragmentShader() {
      return refuse();
    },
  };
}

/**
 * `ShaderChunk.js` read: each entry's name (`meshphong_frag`), the import it
 * reads (`meshphong`) and that import's file, and the entry's GLSL.
 *
 * @returns {Map<string, { binding: string, file: string, glsl: string }>}
 */
function shaderChunkEntries() {
  const chunkFile = readFileSync(`${THREE_SOURCE_DIR}renderers/shaders/ShaderChunk.js`, 'utf8');
  const files = new Map(
    [...chunkFile.matchAll(/^import (?:\* as )?(\w+) from '(\.\/[\w/]+\.glsl\.js)';$/gm)].map(([, binding, file]) => [
      binding,
      file,
    ]),
  );
  /** @type {Map<string, { binding: string, file: string, glsl: string }>} */
  const entries = new Map();
  for (const [, name, binding, part] of chunkFile.matchAll(/^\t(\w+): (\w+)(?:\.(vertex|fragment))?,?$/gm)) {
    const file = files.get(/** @type {string} */ (binding));
    if (!name || !binding || !file)
      throw new Error(`three's ShaderChunk.js: cannot read ${name}; see scripts/three-unused.mjs`);
    const code = minifyGlsl(readFileSync(`${THREE_SOURCE_DIR}renderers/shaders/${file}`, 'utf8'));
    const literal = new RegExp(`export ${part ? `const ${part} =` : 'default'} (".*?");`, 's').exec(code)?.[1];
    if (!literal) throw new Error(`three's ${file}: no ${part ?? 'default'} shader; see scripts/three-unused.mjs`);
    entries.set(name, { binding, file, glsl: JSON.parse(literal) });
  }
  return entries;
}

/** Every shader module `names` reach through `#include <...>`, with themselves. */
function includedFrom(/** @type {Iterable<string>} */ names, /** @type {Map<string, { glsl: string }>} */ entries) {
  /** @type {Set<string>} */
  const seen = new Set();
  const visit = (/** @type {string} */ name) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const [, included] of (entries.get(name)?.glsl ?? '').matchAll(/#include <(\w+)>/g))
      visit(/** @type {string} */ (included));
  };
  for (const name of names) visit(name);
  return seen;
}

/**
 * The `ShaderChunk` entries only the left-out programs use: what they include,
 * less what a kept program includes or three's `WebGLProgram` reads itself.
 *
 * @returns {string[]}
 */
export function leftOutShaderChunks() {
  const entries = shaderChunkEntries();
  const shaderLib = readFileSync(`${THREE_SOURCE_DIR}renderers/shaders/ShaderLib.js`, 'utf8');
  /** @type {Map<string, string[]>} */
  const programs = new Map();
  let program = 'physical';
  for (const line of shaderLib.split('\n')) {
    const entry = /^\t(\w+): \{$/.exec(line)?.[1];
    if (entry) program = entry;
    if (line.startsWith('ShaderLib.physical')) program = 'physical';
    const shader = /(?:vertex|fragment)Shader: ShaderChunk\.(\w+)/.exec(line)?.[1];
    if (shader) programs.set(program, [...(programs.get(program) ?? []), shader]);
  }
  const leftOut = Object.keys(LEFT_OUT_PROGRAMS);
  for (const id of leftOut) {
    if (!programs.has(id)) throw new Error(`three's ShaderLib has no ${id} program; see scripts/three-unused.mjs`);
  }
  const kept = [...programs].filter(([id]) => !leftOut.includes(id)).flatMap(([, shaders]) => shaders);
  const programSource = readFileSync(`${THREE_SOURCE_DIR}renderers/webgl/WebGLProgram.js`, 'utf8');
  const readByProgram = [...programSource.matchAll(/ShaderChunk\[ '(\w+)' \]/g)].map(
    ([, name]) => /** @type {string} */ (name),
  );
  const keptChunks = includedFrom([...kept, ...readByProgram], entries);
  const leftOutChunks = includedFrom(
    leftOut.flatMap((id) => programs.get(id) ?? []),
    entries,
  );
  return [...leftOutChunks].filter((name) => !keptChunks.has(name)).sort();
}

/**
 * `ShaderLib.js` with each left-out program an entry that throws (`leftOutProgram`).
 *
 * @param {string} code
 * @returns {string}
 */
export function shaderLibWithoutPrograms(code) {
  let result = code;
  for (const [id, material] of Object.entries(LEFT_OUT_PROGRAMS)) {
    const entry = new RegExp(`\\n\\t${id}: \\{\\n[\\s\\S]*?\\n\\t\\}(,?)\\n`);
    if (!entry.test(result))
      throw new Error(`three's ShaderLib.js: no ${id} entry to leave out; see scripts/three-unused.mjs`);
    result = result.replace(
      entry,
      (_entry, comma) => `\n\t${id}: /*@__PURE__*/ leftOutProgram( '${id}', '${material}' )${comma}\n`,
    );
  }
  return `${result}\n${leftOutProgram.toString()}\n`;
}

/**
 * `ShaderChunk.js` without the entries `chunks`, and without the imports only
 * they read.
 *
 * @param {string} code
 * @param {readonly string[]} chunks
 * @returns {string}
 */
export function shaderChunkWithout(code, chunks) {
  let result = code;
  for (const name of chunks) {
    const entry = new RegExp(`^\\t${name}: [\\w.]+,?\\n`, 'm');
    if (!entry.test(result))
      throw new Error(`three's ShaderChunk.js: no ${name} to leave out; see scripts/three-unused.mjs`);
    result = result.replace(entry, '');
  }
  for (const [, binding] of code.matchAll(/^import (?:\* as )?(\w+) from '[^']+';$/gm)) {
    if (!new RegExp(`^\\t\\w+: ${binding}\\b`, 'm').test(result)) {
      result = result.replace(new RegExp(`^import (?:\\* as )?${binding} from '[^']+';\\n`, 'm'), '');
    }
  }
  return result;
}

/**
 * The Vite plugin of LOAD36. After the bundle is written it fails the build if
 * a shipped script holds one of the left-out programs' materials or names a
 * left-out shader chunk (an `#include`, or a read of `ShaderChunk`).
 *
 * @returns {import('vite').Plugin}
 */
export function threeWithoutUnusedShaders() {
  /** @type {string[] | undefined} */
  let chunks;
  const leftOut = () => {
    chunks ??= leftOutShaderChunks();
    return chunks;
  };
  return {
    name: 'holoroom:three-without-unused-shaders',
    apply: 'build',
    transform(code, id) {
      const path = threeSourcePath(id);
      if (path === 'renderers/shaders/ShaderLib.js') return { code: shaderLibWithoutPrograms(code), map: null };
      if (path === 'renderers/shaders/ShaderChunk.js') return { code: shaderChunkWithout(code, leftOut()), map: null };
      return undefined;
    },
    generateBundle(_options, bundle) {
      const materials = Object.values(LEFT_OUT_PROGRAMS).map((material) => `materials/${material}.js`);
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        const made = output.moduleIds
          .map(threeSourcePath)
          .filter((path) => path !== undefined && materials.includes(path));
        const named = leftOut().filter((name) => new RegExp(`\\b${name}\\b`).test(output.code));
        if (made.length > 0 || named.length > 0) {
          this.error(
            `${output.fileName} holds ${[...made, ...named].join(', ')}, which this build leaves out of three's shaders ` +
              '(docs/performance.md LOAD36): keep the program in scripts/three-unused.mjs or do not make that material',
          );
        }
      }
    },
  };
}

/**
 * The `#define`s three's `WebGLProgram` writes only for a `MeshPhysicalMaterial`
 * whose clearcoat, iridescence, sheen, transmission, anisotropy or dispersion
 * is above zero (`WebGLPrograms.getParameters`). No shipped script makes that
 * material (the build checks), so the standard program's GLSL never has them.
 */
export const PHYSICAL_ONLY_DEFINES = Object.freeze([
  'USE_CLEARCOAT',
  'USE_CLEARCOATMAP',
  'USE_CLEARCOAT_NORMALMAP',
  'USE_CLEARCOAT_ROUGHNESSMAP',
  'USE_IRIDESCENCE',
  'USE_IRIDESCENCEMAP',
  'USE_IRIDESCENCE_THICKNESSMAP',
  'USE_SHEEN',
  'USE_SHEEN_COLORMAP',
  'USE_SHEEN_ROUGHNESSMAP',
  'USE_TRANSMISSION',
  'USE_TRANSMISSIONMAP',
  'USE_THICKNESSMAP',
  'USE_ANISOTROPY',
  'USE_ANISOTROPYMAP',
  'USE_DISPERSION',
]);

/**
 * GLSL without its `#ifdef NAME ... #endif` blocks for the `names` never
 * defined (an `#else` part stays, as the preprocessor would take it). A block
 * with an `#elif` is kept whole.
 *
 * @example
 *   withoutUndefinedBlocks('a\n#ifdef USE_SHEEN\nb\n#else\nc\n#endif\nd', ['USE_SHEEN']) // -> 'a\nc\nd'
 * @param {string} glsl
 * @param {readonly string[]} names
 * @returns {string}
 */
export function withoutUndefinedBlocks(glsl, names) {
  const lines = glsl.split('\n');
  /** @type {string[]} */
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const line = /** @type {string} */ (lines[i]);
    const name = /^\s*#ifdef\s+(\w+)\s*$/.exec(line)?.[1];
    const end = name !== undefined && names.includes(name) ? blockEnd(lines, i) : undefined;
    if (end === undefined) {
      out.push(line);
      continue;
    }
    if (end.otherwise !== undefined) {
      out.push(withoutUndefinedBlocks(lines.slice(end.otherwise + 1, end.endif).join('\n'), names));
    }
    i = end.endif;
  }
  return out.join('\n');
}

/** Where the block opened at `lines[start]` has its `#else` and `#endif`; undefined with an `#elif` or no end. */
function blockEnd(/** @type {readonly string[]} */ lines, /** @type {number} */ start) {
  let depth = 0;
  /** @type {number | undefined} */
  let otherwise;
  for (let i = start + 1; i < lines.length; i++) {
    const directive = /^\s*#\s*(if|ifdef|ifndef|else|elif|endif)\b/.exec(/** @type {string} */ (lines[i]))?.[1];
    if (directive === 'if' || directive === 'ifdef' || directive === 'ifndef') depth++;
    else if (directive === 'endif' && depth > 0) depth--;
    else if (directive === 'endif') return { otherwise, endif: i };
    else if (directive === 'elif' && depth === 0) return undefined;
    else if (directive === 'else' && depth === 0) otherwise = i;
  }
  return undefined;
}

/**
 * The Vite plugin that takes the physical material's features out of the
 * shader chunks (`PHYSICAL_ONLY_DEFINES`: clearcoat, iridescence, sheen,
 * transmission, anisotropy, dispersion). The standard program is the same
 * text to the GPU: the preprocessor drops those blocks anyway. The build
 * fails if a shipped script holds `MeshPhysicalMaterial`, the one class
 * that could define them.
 *
 * @returns {import('vite').Plugin}
 */
export function threeWithoutPhysicalOnlyShaders() {
  return {
    name: 'holoroom:three-without-physical-only-shaders',
    apply: 'build',
    transform(code, id) {
      if (!threeSourcePath(id)?.endsWith('.glsl.js')) return undefined;
      const result = code.replace(/(export (?:default|const \w+ =) )(".*?");/gs, (_all, head, literal) => {
        const glsl = JSON.parse(literal);
        return `${head}${JSON.stringify(withoutUndefinedBlocks(glsl, PHYSICAL_ONLY_DEFINES))};`;
      });
      return result === code ? undefined : { code: result, map: null };
    },
    generateBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        if (output.moduleIds.some((id) => threeSourcePath(id) === 'materials/MeshPhysicalMaterial.js')) {
          this.error(
            `${output.fileName} holds materials/MeshPhysicalMaterial.js, whose clearcoat, iridescence, sheen, ` +
              "transmission, anisotropy and dispersion this build leaves out of three's shaders (docs/performance.md " +
              'LOAD36): drop threeWithoutPhysicalOnlyShaders from vite.config.ts or do not make that material',
          );
        }
      }
    },
  };
}

// ---------------------------------------------------------------------------
// LOAD37: the renderer without the methods nothing calls

/**
 * `WebGLRenderer`'s methods no shipped script calls (the room, R3F, the XR
 * libraries): compiling asynchronously, reading a render target's pixels back,
 * copying between textures and the framebuffer, and initialising a texture or
 * target ahead of its first use. The renderer defines them in its constructor,
 * so the bundler keeps them all.
 */
export const LEFT_OUT_RENDERER_METHODS = Object.freeze([
  'compileAsync',
  'readRenderTargetPixels',
  'readRenderTargetPixelsAsync',
  'copyFramebufferToTexture',
  'copyTextureToTexture',
  'initRenderTarget',
  'initTexture',
]);

/** The message a left-out renderer method throws. */
export function rendererRefusal(/** @type {string} */ method) {
  return `WebGLRenderer.${method} is not in this build: no part of the app calls it (docs/performance.md LOAD37)`;
}

/**
 * `WebGLRenderer.js` with each of `LEFT_OUT_RENDERER_METHODS` a function that
 * throws, naming itself. Throws when one is not where three writes it (a
 * `this.<name> = function` two tabs in, closed by `};` two tabs in).
 *
 * @param {string} code
 * @returns {string}
 */
export function rendererWithoutMethods(code) {
  let result = code;
  for (const name of LEFT_OUT_RENDERER_METHODS) {
    const method = new RegExp(
      `\\n\\t\\tthis\\.${name} = (?:async )?function \\([^)\\n]*\\) \\{\\n[\\s\\S]*?\\n\\t\\t\\};\\n`,
    );
    if (!method.test(result))
      throw new Error(`three's WebGLRenderer.js: no ${name} to leave out; see scripts/three-unused.mjs`);
    result = result.replace(
      method,
      () =>
        `\n\t\tthis.${name} = function () {\n\n\t\t\tthrow new Error( ${JSON.stringify(rendererRefusal(name))} );\n\n\t\t};\n`,
    );
  }
  return result;
}

/**
 * The Vite plugin of LOAD37. After the bundle is written it fails the build if
 * a shipped script calls one of the left-out methods (`.copyTextureToTexture(`).
 *
 * @returns {import('vite').Plugin}
 */
export function threeRendererWithoutUnusedMethods() {
  return {
    name: 'holoroom:three-renderer-without-unused-methods',
    apply: 'build',
    transform(code, id) {
      return threeSourcePath(id) === 'renderers/WebGLRenderer.js'
        ? { code: rendererWithoutMethods(code), map: null }
        : undefined;
    },
    generateBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        const called = LEFT_OUT_RENDERER_METHODS.filter((name) => output.code.includes(`.${name}(`));
        if (called.length > 0) {
          this.error(
            `${output.fileName} calls WebGLRenderer.${called.join(', ')}, which this build leaves out ` +
              '(docs/performance.md LOAD37): take it off LEFT_OUT_RENDERER_METHODS in scripts/three-unused.mjs',
          );
        }
      }
    },
  };
}

// ---------------------------------------------------------------------------
// LOAD39: no PMREM generator

/** The message three's left-out PMREM generator throws when something makes one. */
export const PMREM_REFUSAL =
  "three's PMREM generator (environment maps, blurred backgrounds) is not in this build: no room sets an " +
  'envMap, a scene environment or a background blurriness (docs/performance.md LOAD39)';

/** How three's renderer imports the generator (`renderers/webgl/WebGLEnvironments.js`). */
const PMREM_IMPORT = /^import \{ PMREMGenerator \} from '\.\.\/\.\.\/extras\/PMREMGenerator\.js';$/m;

/**
 * `WebGLEnvironments.js` with a `PMREMGenerator` of its own that throws when
 * made, so three's generator (its blur shaders and cube-UV render targets)
 * leaves the build. The renderer makes one only for an environment map or a
 * blurred background (`getPMREM`); a room sets neither.
 *
 * @param {string} code
 * @returns {string}
 */
export function environmentsWithoutPMREM(code) {
  if (!PMREM_IMPORT.test(code)) {
    throw new Error("three's WebGLEnvironments.js: no PMREMGenerator import to replace; see scripts/three-unused.mjs");
  }
  return code.replace(
    PMREM_IMPORT,
    () =>
      `class PMREMGenerator {\n\n\tconstructor() {\n\n\t\tthrow new Error( ${JSON.stringify(PMREM_REFUSAL)} );\n\n\t}\n\n}`,
  );
}

/**
 * The Vite plugin of LOAD39.
 *
 * @returns {{ name: string, apply: 'build', transform(code: string, id: string): { code: string, map: null } | undefined }}
 */
export function threeWithoutPMREM() {
  return {
    name: 'holoroom:three-without-pmrem',
    apply: 'build',
    transform(code, id) {
      return threeSourcePath(id) === 'renderers/webgl/WebGLEnvironments.js'
        ? { code: environmentsWithoutPMREM(code), map: null }
        : undefined;
    },
  };
}
