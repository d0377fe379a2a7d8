/**
 * [LOAD35] [LOAD36] [LOAD37] [LOAD39] What the app's build leaves out of three: the same
 * transforms the build runs, applied to a copy of three's own source, which
 * is then imported and run here in Node.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minifyGlsl } from './three-from-source.mjs';
import {
  environmentsWithoutPMREM,
  jsonRefusal,
  LEFT_OUT_PROGRAMS,
  LEFT_OUT_RENDERER_METHODS,
  leftOutProgram,
  leftOutShaderChunks,
  PHYSICAL_ONLY_DEFINES,
  PMREM_REFUSAL,
  rendererRefusal,
  rendererWithoutMethods,
  shaderChunkWithout,
  threeRendererWithoutUnusedMethods,
  threeWithoutJSON,
  threeWithoutPhysicalOnlyShaders,
  threeWithoutPMREM,
  threeWithoutUnusedShaders,
  withoutJSONMethods,
  withoutUndefinedBlocks,
} from './three-unused.mjs';

type Three = typeof import('three');

const THREE_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'three', 'src');
const temp = mkdtempSync(path.join(tmpdir(), 'holoroom-three-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function modulesUnder(dir: string, name = /\.js$/): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return modulesUnder(file, name);
    return name.test(entry.name) ? [file] : [];
  });
}

/**
 * three's source as the app's build sees it: a copy under `node_modules/three/src/` (the plugins act on
 * that path), every module passed through the build's transforms (three's shader minifying included).
 */
let three: Three;
beforeAll(async () => {
  const copy = path.join(temp, 'node_modules', 'three', 'src');
  cpSync(THREE_SRC, copy, { recursive: true });
  writeFileSync(path.join(temp, 'node_modules', 'three', 'package.json'), '{ "type": "module" }');
  const plugins = [
    threeWithoutJSON(),
    threeWithoutUnusedShaders(),
    threeWithoutPhysicalOnlyShaders(),
    threeRendererWithoutUnusedMethods(),
    threeWithoutPMREM(),
  ];
  for (const file of modulesUnder(copy)) {
    let code = readFileSync(file, 'utf8');
    if (file.endsWith('.glsl.js')) code = minifyGlsl(code);
    for (const plugin of plugins) {
      const result = (plugin.transform as (code: string, id: string) => { code: string } | undefined)(code, file);
      if (result) code = result.code;
    }
    writeFileSync(file, code);
  }
  three = (await import(pathToFileURL(path.join(copy, 'Three.js')).href)) as Three;
}, 60_000);

describe('[LOAD35] three without its JSON export and import', () => {
  it('[LOAD35] each toJSON and fromJSON of a class outside math and animation throws, naming the method', () => {
    const { Mesh, BoxGeometry, MeshStandardMaterial, Scene, PerspectiveCamera, CanvasTexture, DirectionalLight } =
      three;
    const mesh = new Mesh(new BoxGeometry(), new MeshStandardMaterial());
    expect(() => mesh.toJSON()).toThrow(jsonRefusal('toJSON'));
    expect(() => mesh.material.toJSON()).toThrow(jsonRefusal('toJSON'));
    expect(() => mesh.geometry.toJSON()).toThrow(jsonRefusal('toJSON'));
    expect(() => new Scene().toJSON()).toThrow(jsonRefusal('toJSON'));
    expect(() => new PerspectiveCamera().toJSON()).toThrow(jsonRefusal('toJSON'));
    expect(() => new DirectionalLight().toJSON()).toThrow(jsonRefusal('toJSON'));
    expect(() => new CanvasTexture({ width: 1, height: 1 } as HTMLCanvasElement).toJSON()).toThrow(
      jsonRefusal('toJSON'),
    );
    expect(() => mesh.material.fromJSON({} as Parameters<typeof mesh.material.fromJSON>[0], {})).toThrow(
      jsonRefusal('fromJSON'),
    );
    expect(() => BoxGeometry.fromJSON({})).toThrow(jsonRefusal('fromJSON'));
    // JSON.stringify of a three object says what happened, not that the object is circular.
    expect(() => JSON.stringify({ mesh })).toThrow(jsonRefusal('toJSON'));
  });

  it('[LOAD35] the math classes keep theirs, and copying and cloning (which the room does) still work', () => {
    const { Color, Box3, Vector3, Mesh, BoxGeometry, MeshStandardMaterial } = three;
    expect(JSON.stringify({ color: new Color(0xff0000) })).toBe('{"color":16711680}');
    expect(new Box3(new Vector3(0, 0, 0), new Vector3(1, 1, 1)).toJSON()).toEqual({ min: [0, 0, 0], max: [1, 1, 1] });
    const mesh = new Mesh(new BoxGeometry(2, 1, 1), new MeshStandardMaterial({ color: 0x336699, roughness: 0.25 }));
    mesh.position.set(1, 2, 3);
    const clone = mesh.clone();
    expect(clone.position.toArray()).toEqual([1, 2, 3]);
    const material = mesh.material.clone();
    expect(material.roughness).toBe(0.25);
    expect(material.color.getHex()).toBe(0x336699);
    expect(mesh.geometry.clone().getAttribute('position').count).toBe(24);
  });

  it('[LOAD35] finds the methods three writes (a class method one tab in) and leaves a module without them as it is', () => {
    const material = readFileSync(path.join(THREE_SRC, 'materials', 'Material.js'), 'utf8');
    const { code, methods } = withoutJSONMethods(material, 'materials/Material.js');
    expect(methods).toEqual(['Material.toJSON', 'Material.fromJSON']);
    expect(code).not.toContain("generator: 'Material.toJSON'");
    expect(code.length).toBeLessThan(material.length - 10_000);
    const object3d = readFileSync(path.join(THREE_SRC, 'core', 'Object3D.js'), 'utf8');
    expect(withoutJSONMethods(object3d, 'core/Object3D.js').methods).toEqual(['Object3D.toJSON']);
    const mesh = readFileSync(path.join(THREE_SRC, 'objects', 'Mesh.js'), 'utf8');
    expect(withoutJSONMethods(mesh, 'objects/Mesh.js')).toEqual({ code: mesh, methods: [] });
    // The math classes are not transformed at all.
    const color = readFileSync(path.join(THREE_SRC, 'math', 'Color.js'), 'utf8');
    expect(threeWithoutJSON().transform(color, path.join(THREE_SRC, 'math', 'Color.js'))).toBeUndefined();
  });
});

/** three's own `resolveIncludes` (WebGLProgram.js): a shader with every `#include <name>` expanded, or a throw. */
function resolveIncludes(shader: string, chunks: Record<string, string>): string {
  return shader.replace(/^[ \t]*#include +<([\w\d./]+)>/gm, (_match, name: string) => {
    const chunk = chunks[name];
    if (chunk === undefined) throw new Error(`Can not resolve #include <${name}>`);
    return resolveIncludes(chunk, chunks);
  });
}

describe('[LOAD36] only the shaders a room can compile', () => {
  it('[LOAD36] every program three keeps compiles from the chunks kept: each #include resolves', () => {
    const { ShaderLib, ShaderChunk } = three;
    const chunks = ShaderChunk as unknown as Record<string, string>;
    const kept = Object.keys(ShaderLib).filter((id) => !(id in LEFT_OUT_PROGRAMS));
    expect(kept).toEqual(
      expect.arrayContaining(['basic', 'standard', 'physical', 'sprite', 'depth', 'distance', 'points', 'background']),
    );
    for (const id of kept) {
      const program = ShaderLib[id as keyof typeof ShaderLib];
      if (!program) throw new Error(`ShaderLib has no ${id}`);
      for (const shader of [program.vertexShader, program.fragmentShader]) {
        expect(resolveIncludes(shader, chunks)).not.toContain('#include');
      }
    }
    // What three's WebGLProgram reads from ShaderChunk itself.
    expect(typeof chunks.tonemapping_pars_fragment).toBe('string');
    expect(typeof chunks.colorspace_pars_fragment).toBe('string');
  });

  it('[LOAD36] a left-out program throws when three reads it to compile, naming the material', () => {
    const { ShaderLib } = three;
    for (const [id, material] of Object.entries(LEFT_OUT_PROGRAMS)) {
      const program = ShaderLib[id as keyof typeof ShaderLib];
      if (!program) throw new Error(`ShaderLib has no ${id}`);
      expect(() => program.vertexShader).toThrow(`three's ${id} shader (${material}) is not in this build`);
      expect(() => program.fragmentShader).toThrow(material);
      expect(() => program.uniforms).toThrow(material);
    }
    expect(() => leftOutProgram('toon', 'MeshToonMaterial').vertexShader).toThrow(
      "three's toon shader (MeshToonMaterial) is not in this build",
    );
  });

  it('[LOAD36] leaves out the left-out programs and the chunks only they include, and nothing a kept program needs', () => {
    const chunks = leftOutShaderChunks();
    expect(chunks).toEqual(
      expect.arrayContaining([
        'meshphong_frag',
        'meshlambert_vert',
        'meshtoon_frag',
        'meshmatcap_frag',
        'meshnormal_vert',
        'linedashed_frag',
        'shadow_frag',
        'lights_phong_pars_fragment',
        'lights_lambert_fragment',
        'lights_toon_pars_fragment',
        'gradientmap_pars_fragment',
        'bsdfs',
      ]),
    );
    const { ShaderChunk } = three;
    for (const name of chunks) expect(ShaderChunk).not.toHaveProperty(name);
    // Chunks the standard material includes stay.
    for (const name of ['lights_physical_pars_fragment', 'common', 'shadowmap_pars_fragment', 'meshphysical_frag']) {
      expect(ShaderChunk).toHaveProperty(name);
    }
    const source = readFileSync(path.join(THREE_SRC, 'renderers', 'shaders', 'ShaderChunk.js'), 'utf8');
    expect(() => shaderChunkWithout(source, ['no_such_chunk'])).toThrow('no no_such_chunk to leave out');
  });

  it('[LOAD36] the build fails when a shipped script makes a left-out material or includes a left-out chunk', () => {
    const plugin = threeWithoutUnusedShaders();
    const errors: string[] = [];
    const context = {
      error(message: string) {
        errors.push(message);
        throw new Error(message);
      },
    };
    const generate = plugin.generateBundle as (this: typeof context, options: unknown, bundle: unknown) => void;
    const chunk = (fileName: string, code: string, moduleIds: string[] = []) => ({
      type: 'chunk',
      fileName,
      code,
      moduleIds,
    });
    // What the room ships passes.
    generate.call(
      context,
      {},
      { a: chunk('a.js', 'x="#include <common>\\n#include <lights_physical_pars_fragment>"') },
    );
    expect(errors).toEqual([]);
    expect(() => generate.call(context, {}, { b: chunk('b.js', 'x="#include <lights_phong_pars_fragment>"') })).toThrow(
      'b.js holds lights_phong_pars_fragment',
    );
    expect(() =>
      generate.call(
        context,
        {},
        { c: chunk('c.js', 'class A{}', [path.join(THREE_SRC, 'materials', 'MeshToonMaterial.js')]) },
      ),
    ).toThrow('c.js holds materials/MeshToonMaterial.js');
  });
});

describe("[LOAD36] the standard program without the physical material's features", () => {
  it('[LOAD36] drops the #ifdef blocks of names never defined, keeps their #else part and every other block', () => {
    const glsl = [
      'a',
      '#ifdef USE_SHEEN',
      'sheen',
      '#ifdef USE_MAP',
      'nested',
      '#endif',
      '#else',
      'no sheen',
      '#ifdef USE_TRANSMISSION',
      'inner',
      '#endif',
      '#endif',
      '#ifdef USE_MAP',
      'map',
      '#endif',
      '#if defined( USE_SHEEN )',
      'kept',
      '#endif',
      'b',
    ].join('\n');
    expect(withoutUndefinedBlocks(glsl, ['USE_SHEEN', 'USE_TRANSMISSION'])).toBe(
      ['a', 'no sheen', '#ifdef USE_MAP', 'map', '#endif', '#if defined( USE_SHEEN )', 'kept', '#endif', 'b'].join(
        '\n',
      ),
    );
    // A block with an #elif, or one that never closes, stays whole.
    const elif = '#ifdef USE_SHEEN\na\n#elif defined( USE_MAP )\nb\n#endif';
    expect(withoutUndefinedBlocks(elif, ['USE_SHEEN'])).toBe(elif);
    expect(withoutUndefinedBlocks('#ifdef USE_SHEEN\na', ['USE_SHEEN'])).toBe('#ifdef USE_SHEEN\na');
  });

  it("[LOAD36] every kept program has no block of the physical material's features, and each #if still closes", () => {
    const { ShaderLib, ShaderChunk } = three;
    const chunks = ShaderChunk as unknown as Record<string, string>;
    const kept = Object.keys(ShaderLib).filter((id) => !(id in LEFT_OUT_PROGRAMS));
    for (const id of kept) {
      const program = ShaderLib[id as keyof typeof ShaderLib];
      if (!program) throw new Error(`ShaderLib has no ${id}`);
      for (const shader of [program.vertexShader, program.fragmentShader]) {
        const glsl = resolveIncludes(shader, chunks);
        for (const name of PHYSICAL_ONLY_DEFINES) expect(glsl).not.toMatch(new RegExp(`#ifdef ${name}\\s*\\n`));
        const opened = glsl.match(/^\s*#if(def|ndef)?\b/gm)?.length ?? 0;
        expect(glsl.match(/^\s*#endif\b/gm)?.length ?? 0).toBe(opened);
      }
    }
    // The standard program keeps what it does use.
    const standard = resolveIncludes(ShaderLib.standard.fragmentShader, chunks);
    expect(standard).toContain('#ifdef USE_MAP');
    expect(standard).toContain('RE_Direct_Physical');
    expect(chunks.transmission_pars_fragment).toBe('');
  });

  it('[LOAD36] the build fails when a shipped script holds MeshPhysicalMaterial', () => {
    const plugin = threeWithoutPhysicalOnlyShaders();
    const context = {
      error(message: string) {
        throw new Error(message);
      },
    };
    const generate = plugin.generateBundle as (this: typeof context, options: unknown, bundle: unknown) => void;
    const chunk = (moduleIds: string[]) => ({ type: 'chunk', fileName: 'a.js', code: '', moduleIds });
    generate.call(context, {}, { a: chunk([path.join(THREE_SRC, 'materials', 'MeshStandardMaterial.js')]) });
    expect(() =>
      generate.call(context, {}, { a: chunk([path.join(THREE_SRC, 'materials', 'MeshPhysicalMaterial.js')]) }),
    ).toThrow('a.js holds materials/MeshPhysicalMaterial.js');
  });
});

describe('[LOAD37] the renderer without the methods nothing calls', () => {
  const source = readFileSync(path.join(THREE_SRC, 'renderers', 'WebGLRenderer.js'), 'utf8');

  it('[LOAD37] each left-out method becomes one that throws, naming itself; the renderer keeps the rest', () => {
    const code = rendererWithoutMethods(source);
    for (const name of LEFT_OUT_RENDERER_METHODS) {
      const defined = [...code.matchAll(new RegExp(`this\\.${name} = [^\\n]*\\n[^\\n]*\\n[^\\n]*`, 'g'))];
      expect(defined).toHaveLength(1);
      expect(defined[0]?.[0]).toContain(`throw new Error( ${JSON.stringify(rendererRefusal(name))} )`);
    }
    for (const kept of ['render', 'compile', 'setRenderTarget', 'setAnimationLoop', 'dispose', 'resetState']) {
      expect(code).toMatch(new RegExp(`this\\.${kept} = function \\([^)]*\\) \\{\\n\\n\\t\\t\\t(?!throw)`));
    }
    expect(code.length).toBeLessThan(source.length - 12_000);
    // The transformed module loads (three's index imports it in the copy above).
    expect(typeof three.WebGLRenderer).toBe('function');
    expect(() =>
      rendererWithoutMethods(code.replace('this.initTexture = function', 'this.prepareTexture = function')),
    ).toThrow('no initTexture to leave out');
  });

  it('[LOAD37] the build fails when a shipped script calls a left-out method', () => {
    const plugin = threeRendererWithoutUnusedMethods();
    const context = {
      error(message: string) {
        throw new Error(message);
      },
    };
    const generate = plugin.generateBundle as (this: typeof context, options: unknown, bundle: unknown) => void;
    const chunk = (code: string) => ({ type: 'chunk', fileName: 'x.js', code, moduleIds: [] });
    expect(() => generate.call(context, {}, { x: chunk('e.render(t,n);e.compile(t,n)') })).not.toThrow();
    expect(() => generate.call(context, {}, { x: chunk('e.copyTextureToTexture(a,b)') })).toThrow(
      'x.js calls WebGLRenderer.copyTextureToTexture',
    );
  });
});

describe('[LOAD39] the renderer without the PMREM generator', () => {
  const source = readFileSync(path.join(THREE_SRC, 'renderers', 'webgl', 'WebGLEnvironments.js'), 'utf8');
  type Environments = { get(texture: unknown, usePMREM?: boolean): unknown };
  const environmentsOf = async (): Promise<(renderer: unknown) => Environments> => {
    const file = path.join(temp, 'node_modules', 'three', 'src', 'renderers', 'webgl', 'WebGLEnvironments.js');
    const module = (await import(pathToFileURL(file).href)) as { WebGLEnvironments: (r: unknown) => Environments };
    return module.WebGLEnvironments;
  };

  it("[LOAD39] the environments no longer import three's generator; making one throws, saying why", async () => {
    expect(source).toContain("from '../../extras/PMREMGenerator.js'");
    const code = environmentsWithoutPMREM(source);
    expect(code).not.toContain('extras/PMREMGenerator.js');
    expect(code).toContain(JSON.stringify(PMREM_REFUSAL));
    expect(() => environmentsWithoutPMREM(code)).toThrow('no PMREMGenerator import to replace');

    const environments = (await environmentsOf())({});
    // What a room asks of them: no environment, or a background drawn without blur, needs no generator.
    expect(environments.get(null, true)).toBeNull();
    const plain = new three.Texture();
    expect(environments.get(plain, false)).toBe(plain);
    // An environment map would need one: it says so instead of drawing nothing.
    const faces = Array.from({ length: 6 }, () => ({ width: 1, height: 1 }));
    expect(() => environments.get(new three.CubeTexture(faces as unknown as HTMLImageElement[]), true)).toThrow(
      PMREM_REFUSAL,
    );
  });

  it('[LOAD39] no part of the app sets an envMap, a scene environment or a background blurriness', () => {
    const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'app');
    const sources = modulesUnder(app, /\.tsx?$/).filter((file) => !/\.test\.tsx?$/.test(file));
    expect(sources.length).toBeGreaterThan(100);
    const needsPMREM = /\benvMap\b|\bbackgroundBlurriness\b|\.environment\s*=[^=]|\benvironment=\{/;
    expect(sources.filter((file) => needsPMREM.test(readFileSync(file, 'utf8')))).toEqual([]);
  });
});
