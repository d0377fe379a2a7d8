/**
 * [LOAD6] The app's build takes three from its source modules; the shader
 * modules are minified exactly as three's own build does it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  chunkFileName,
  minifyGlsl,
  ROOM_SHARED_THREE,
  roomSharedThreeGroup,
  THREE_SOURCE_ENTRY,
  threeFromSource,
} from './three-from-source.mjs';

const THREE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'three');

function shaderModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return shaderModules(file);
    return entry.name.endsWith('.glsl.js') ? [file] : [];
  });
}

/** The string literals of a minified shader module (each one a JSON string). */
function shaderStrings(code: string): string[] {
  return [...code.matchAll(/"(?:[^"\\]|\\.)*"/g)].map((match) => match[0]);
}

describe('[LOAD6] three from its source', () => {
  it('[LOAD6] resolves the bare `three` to the source entry and leaves its sub-paths alone', () => {
    const plugin = threeFromSource();
    // The build only: the dev server pre-bundles R3F with the prebuilt three.
    expect(plugin.apply).toBe('build');
    expect(plugin.resolveId('three')).toBe(THREE_SOURCE_ENTRY);
    expect(readFileSync(THREE_SOURCE_ENTRY, 'utf8')).toContain(
      "export { WebGLRenderer } from './renderers/WebGLRenderer.js';",
    );
    expect(plugin.resolveId('three/examples/jsm/loaders/GLTFLoader.js')).toBeUndefined();
  });

  it('[LOAD6] every shader module of three, minified, is the text three’s own build ships', () => {
    const built = ['three.core.js', 'three.module.js']
      .map((file) => readFileSync(path.join(THREE, 'build', file), 'utf8'))
      .join('\n');
    const modules = shaderModules(path.join(THREE, 'src', 'renderers', 'shaders'));
    expect(modules.length).toBeGreaterThan(100);
    let compared = 0;
    for (const file of modules) {
      const result = threeFromSource().transform(readFileSync(file, 'utf8'), file);
      if (!result) throw new Error(`${file} was not transformed`);
      expect(result.code).not.toContain('/* glsl */');
      for (const literal of shaderStrings(result.code)) {
        if (!built.includes(literal)) throw new Error(`${path.relative(THREE, file)}: not the text of three's build`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(modules.length);
  });

  it('[LOAD6] strips comments and blank lines, keeps every line of code and directive', () => {
    const code = 'export default /* glsl */`\n#ifdef A\n\t// why\n\tfloat x; /* note */\n\n#endif\n`;';
    expect(minifyGlsl(code)).toBe(`export default ${JSON.stringify('#ifdef A\n\tfloat x;\n#endif')};`);
  });

  it('[LOAD6] transforms only three’s shader modules', () => {
    expect(
      threeFromSource().transform('export default /* glsl */`// x\n`;', '/app/render/sky.glsl.js'),
    ).toBeUndefined();
    expect(threeFromSource().transform('const a = 1;', `${THREE}/src/math/Vector3.js`)).toBeUndefined();
  });

  it("[LOAD6] names a chunk of three's modules alone `three`, every other chunk as Vite does", () => {
    const three = [`${THREE}/src/math/Vector3.js`, `${THREE}/src/core/Object3D.js`];
    expect(chunkFileName({ moduleIds: three })).toBe('assets/three-[hash].js');
    expect(chunkFileName({ moduleIds: [...three, '/repo/app/render/room-canvas.tsx'] })).toBe(
      'assets/[name]-[hash].js',
    );
    expect(chunkFileName({ moduleIds: [`${THREE}/examples/jsm/loaders/GLTFLoader.js`] })).toBe(
      'assets/[name]-[hash].js',
    );
    expect(chunkFileName({ moduleIds: [] })).toBe('assets/[name]-[hash].js');
  });
});

describe("[LOAD18] three's classes a room shares with its lazy chunks", () => {
  it('[LOAD18] names every listed class of three (each a module of its source) for one chunk, and nothing else', () => {
    const group = roomSharedThreeGroup();
    expect(group.includeDependenciesRecursively).toBe(false);
    for (const sourcePath of ROOM_SHARED_THREE) {
      const id = path.join(THREE, 'src', sourcePath);
      expect(readFileSync(id, 'utf8').length).toBeGreaterThan(0);
      expect(group.name(id)).toBe('three');
      expect(group.name(id.replaceAll('/', '\\'))).toBe('three');
    }
    expect(group.name(path.join(THREE, 'src', 'animation', 'AnimationMixer.js'))).toBeNull();
    expect(group.name(path.join(THREE, 'build', 'three.core.js'))).toBeNull();
    expect(group.name('/app/render/room-canvas.tsx')).toBeNull();
  });
});
