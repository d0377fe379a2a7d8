// The app's build takes three.js from its source modules instead of its
// prebuilt bundle (docs/performance.md LOAD6).
//
// three ships `build/three.core.js` as one module of 1.4 MB. A bundler splits
// code between chunks a whole module at a time, so every class that any lazy
// chunk uses from it (the glTF loader's animation system, skinning, texture
// loaders; the XR chunks' helpers) landed in the chunk a room loads first.
// `src/` holds the same code as one module per class: the room's first chunk
// then holds only the classes the room uses, and the rest goes to the chunks
// that need it.
//
// Only the bare `three` is redirected; `three/examples/jsm/...` already imports
// `three`, so every part of the app shares one copy. What three's own build
// does to its source is repeated here: its shader chunks are written with
// comments and blank lines, which its build strips (`minifyGlsl`). A test
// checks that the result is the very text three's build ships.
//
// Node built-ins only, like the rest of scripts/; vite.config.ts uses it.
import { fileURLToPath } from 'node:url';

/** three's source entry: the same exports as `build/three.module.js`. */
export const THREE_SOURCE_ENTRY = fileURLToPath(new URL('../node_modules/three/src/Three.js', import.meta.url));

/** three's shader modules: `src/renderers/shaders/**\/*.glsl.js`. */
const SHADER_MODULE = /[\\/]three[\\/]src[\\/].*\.glsl\.js$/;

/** A shader template as three writes it: `/* glsl *\/` and a template literal without substitutions. */
const GLSL_TEMPLATE = /\/\* glsl \*\/`(.*?)`/gs;

/**
 * A shader module's text as three's build emits it: each GLSL template becomes
 * a string without `//` and `/* *\/` comments and without blank lines (three's
 * own rollup step, applied to the same files).
 *
 * @example
 *   minifyGlsl('export default /* glsl *\/`\n// a comment\nvoid main() {}\n`;')
 *   // -> 'export default "void main() {}";'
 * @param {string} code
 * @returns {string}
 */
export function minifyGlsl(code) {
  return code.replace(GLSL_TEMPLATE, (_template, /** @type {string} */ glsl) =>
    JSON.stringify(
      glsl
        .trim()
        .replace(/\r/g, '')
        .replace(/[ \t]*\/\/.*\n/g, '')
        .replace(/[ \t]*\/\*[\s\S]*?\*\//g, '')
        .replace(/\n{2,}/g, '\n'),
    ),
  );
}

/** A module of three's source, by its resolved id. */
const THREE_SOURCE_MODULE = /[\\/]node_modules[\\/]three[\\/]src[\\/]/;

/**
 * The file name of a chunk: a chunk of three's modules alone (the classes the
 * room and its lazy chunks share) is `three-<hash>.js`, which the bundler would
 * name after one of its modules (`DirectionalLight-<hash>.js`); others keep
 * Vite's default.
 *
 * @param {{ moduleIds: readonly string[] }} chunk
 * @returns {string}
 */
export function chunkFileName(chunk) {
  const threeOnly = chunk.moduleIds.length > 0 && chunk.moduleIds.every((id) => THREE_SOURCE_MODULE.test(id));
  return threeOnly ? 'assets/three-[hash].js' : 'assets/[name]-[hash].js';
}

/**
 * The Vite plugin: `three` resolves to its source, its shader modules are
 * minified as three's build does.
 *
 * @returns {{ name: string, apply: 'build', enforce: 'pre', resolveId(source: string): string | undefined,
 *   transform(code: string, id: string): { code: string, map: { mappings: string } } | undefined }}
 */
export function threeFromSource() {
  return {
    name: 'holoroom:three-from-source',
    // The build only: the dev server pre-bundles dependencies without this plugin, so R3F
    // there would bring the prebuilt three beside the app's source one (two copies of three).
    apply: 'build',
    enforce: 'pre',
    resolveId(source) {
      return source === 'three' ? THREE_SOURCE_ENTRY : undefined;
    },
    transform(code, id) {
      if (!SHADER_MODULE.test(id)) return undefined;
      // The templates become one-line strings: there is no line of the original left to map to.
      return { code: minifyGlsl(code), map: { mappings: '' } };
    },
  };
}

/**
 * The classes of three's source that a room's page shares with its lazy
 * chunks (the glTF loader, XR, the physics, the sky, the editor), by path
 * under `three/src/`. Left to itself the bundler splits them by which lazy
 * chunks use them: five chunks the room fetches before it is interactive,
 * which compress about 2.8 K worse than one (docs/performance.md LOAD18).
 * The bundler's chunk groups cannot ask which classes a module uses through
 * three's index, so the list is written here. The budget test fails when a
 * room fetches a second chunk of three (a class to add here); a class the
 * room no longer uses belongs off this list, or a room fetches it for its
 * lazy chunks.
 */
export const ROOM_SHARED_THREE = new Set([
  'constants.js',
  'utils.js',
  'core/BufferAttribute.js',
  'core/BufferGeometry.js',
  'core/EventDispatcher.js',
  'core/Layers.js',
  'core/Object3D.js',
  'extras/ImageUtils.js',
  'materials/LineBasicMaterial.js',
  'materials/Material.js',
  'materials/MeshBasicMaterial.js',
  'math/Box3.js',
  'math/Color.js',
  'math/ColorManagement.js',
  'math/Euler.js',
  'math/MathUtils.js',
  'math/Matrix3.js',
  'math/Matrix4.js',
  'math/Plane.js',
  'math/Quaternion.js',
  'math/Ray.js',
  'math/Sphere.js',
  'math/Triangle.js',
  'math/Vector2.js',
  'math/Vector3.js',
  'math/Vector4.js',
  'objects/Group.js',
  'objects/Line.js',
  'objects/Mesh.js',
  'textures/CanvasTexture.js',
  'textures/Texture.js',
  'textures/TextureSource.js',
]);

/**
 * The chunk group (Rolldown's `output.codeSplitting.groups`) that puts the
 * classes of `ROOM_SHARED_THREE` in one chunk, `three-<hash>.js`, and nothing
 * else: their own imports are among them, so none is pulled in beside them.
 *
 * @returns {{ name: (id: string) => string | null, includeDependenciesRecursively: false }}
 */
export function roomSharedThreeGroup() {
  return {
    name(id) {
      const [, sourcePath] = id.replaceAll('\\', '/').split('/node_modules/three/src/');
      return sourcePath !== undefined && ROOM_SHARED_THREE.has(sourcePath) ? 'three' : null;
    },
    includeDependenciesRecursively: false,
  };
}
