/**
 * Our glTF loader on files made for the test (testing/gltf/gltf-files.ts):
 * what it reads (LOAD31) and how it refuses a malformed or hostile file
 * (LOAD33). Files beside a model come from a real HTTP server on 127.0.0.1.
 */
import {
  Bone,
  ClampToEdgeWrapping,
  DoubleSide,
  type Group,
  LinearSRGBColorSpace,
  type Mesh,
  MeshBasicMaterial,
  type MeshStandardMaterial,
  MirroredRepeatWrapping,
  NearestFilter,
  NoColorSpace,
  SkinnedMesh,
  SRGBColorSpace,
} from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileServer, startFileServer } from '../../../testing/gltf/file-server.ts';
import { GltfBuilder, glb, type JsonObject, png } from '../../../testing/gltf/gltf-files.ts';
import { type GltfOptions, type GltfResult, loadGltf, parseGltf } from './gltf-loader.ts';
import { GLTF_LIMITS } from './limits.ts';

const MB = 1024 * 1024;
let server: FileServer;
beforeAll(async () => {
  server = await startFileServer();
});
afterAll(() => server.close());

/** Decodes nothing: the image's size from its header (Node has no ImageBitmap); counts its calls. */
let decoded = 0;
const headerOnly = async (_bytes: Uint8Array, header: { width: number; height: number }) => {
  decoded++;
  return { ...header };
};

function options(extra: Partial<GltfOptions> = {}): GltfOptions {
  return { origin: server.origin, maxBytes: 16 * MB, decodeImage: headerOnly, ...extra };
}

async function parse(file: Uint8Array, extra: Partial<GltfOptions> = {}): Promise<GltfResult> {
  return parseGltf(file, `${server.origin}/models/test.glb`, options(extra));
}

async function loaded(file: Uint8Array): Promise<{ scene: Group; scenes: Group[]; warnings: string[] }> {
  const result = await parse(file);
  if (!result.ok) throw new Error(result.error);
  return result.gltf;
}

async function refused(file: Uint8Array, extra: Partial<GltfOptions> = {}): Promise<string> {
  const result = await parse(file, extra);
  if (result.ok) throw new Error('the file loaded');
  return result.error;
}

const TRIANGLE = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]);

/** A builder with one triangle mesh on one node in one scene; `edit` changes the JSON before it is written. */
function triangleFile(edit: (json: GltfBuilder['json'], b: GltfBuilder) => void = () => {}): Uint8Array {
  const b = new GltfBuilder();
  const position = b.accessor(TRIANGLE, 'VEC3');
  b.mesh({ POSITION: position });
  b.node({ mesh: 0, name: 'triangle' });
  b.json.scenes.push({ nodes: [0] });
  edit(b.json, b);
  return b.glb();
}

function materialOf(mesh: Mesh | undefined): MeshStandardMaterial {
  if (!mesh) throw new Error('no mesh');
  return mesh.material as MeshStandardMaterial;
}

function meshes(root: Group): Mesh[] {
  const out: Mesh[] = [];
  root.traverse((object) => {
    if ((object as Mesh).isMesh) out.push(object as Mesh);
  });
  return out;
}

describe('what the loader reads', () => {
  it("[LOAD31] a .gltf with its .bin and a PNG texture beside it, fetched from the model's own site, with its sampler", async () => {
    const b = new GltfBuilder();
    const position = b.accessor(new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]), 'VEC3');
    const uv = b.accessor(new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]), 'VEC2');
    const indices = b.accessor(new Uint16Array([0, 1, 2, 0, 2, 3]), 'SCALAR');
    b.mesh({ POSITION: position, TEXCOORD_0: uv }, { indices, material: 0 });
    b.json.materials.push({
      name: 'painted',
      pbrMetallicRoughness: {
        baseColorTexture: { index: 0 },
        metallicRoughnessTexture: { index: 0 },
        metallicFactor: 0.25,
      },
      normalTexture: { index: 0, scale: 0.5 },
      occlusionTexture: { index: 0, strength: 0.75 },
      emissiveTexture: { index: 0 },
      emissiveFactor: [1, 0.5, 0],
    });
    b.json.textures = [{ source: 0, sampler: 0 }];
    b.json.samplers = [{ magFilter: 9728, minFilter: 9728, wrapS: 33071, wrapT: 33648 }];
    b.json.images = [{ uri: 'textures/wood.png' }];
    b.node({ mesh: 0, name: 'plank' });
    b.json.scenes.push({ nodes: [0] });
    const { json, bin } = b.gltf('plank.bin');
    server.files.set('/models/plank.gltf', json);
    server.files.set('/models/plank.bin', bin);
    server.files.set('/models/textures/wood.png', png(4, 2, [200, 100, 50, 255]));
    server.requests.length = 0;
    const result = await loadGltf(`${server.origin}/models/plank.gltf`, options());
    if (!result.ok) throw new Error(result.error);
    expect(server.requests).toEqual(['/models/plank.gltf', '/models/plank.bin', '/models/textures/wood.png']);
    expect(result.gltf.bytes).toBe(
      json.byteLength + bin.byteLength + (server.files.get('/models/textures/wood.png')?.byteLength ?? 0),
    );
    const [mesh] = meshes(result.gltf.scene);
    expect(mesh?.name).toBe('plank');
    expect(mesh?.geometry.index?.count).toBe(6);
    const material = mesh?.material as MeshStandardMaterial;
    expect(material.name).toBe('painted');
    expect(material.map?.image).toMatchObject({ width: 4, height: 2 });
    expect(material.map?.colorSpace).toBe(SRGBColorSpace);
    expect(material.emissiveMap?.colorSpace).toBe(SRGBColorSpace);
    expect(material.metalnessMap?.colorSpace).toBe(NoColorSpace);
    expect(material.normalMap?.colorSpace).toBe(NoColorSpace);
    expect(material.aoMap?.colorSpace).toBe(NoColorSpace);
    expect(material.map?.flipY).toBe(false);
    expect([material.map?.magFilter, material.map?.minFilter, material.map?.generateMipmaps]).toEqual([
      NearestFilter,
      NearestFilter,
      false,
    ]);
    expect([material.map?.wrapS, material.map?.wrapT]).toEqual([ClampToEdgeWrapping, MirroredRepeatWrapping]);
    // One image, one source: every map shares it (one upload).
    expect(material.map?.source).toBe(material.normalMap?.source);
    expect(material.metalness).toBe(0.25);
    expect(material.roughness).toBe(1);
    // No tangents: three derives them, and glTF's normal map needs its y flipped for that.
    expect(material.normalScale.toArray()).toEqual([0.5, -0.5]);
    expect(material.aoMapIntensity).toBe(0.75);
    expect(material.emissive.getHex(LinearSRGBColorSpace)).toBe(0xff8000);
  });

  it('[LOAD31] buffers and images as data: URIs and images in buffer views', async () => {
    const b = new GltfBuilder();
    const position = b.accessor(TRIANGLE, 'VEC3');
    const image = b.view(png(2, 2, [0, 0, 255, 255]));
    b.mesh({ POSITION: position }, { material: 0 });
    b.json.materials.push({ pbrMetallicRoughness: { baseColorTexture: { index: 0 } } });
    b.json.textures = [{ source: 0 }];
    b.json.images = [{ bufferView: image, mimeType: 'image/png' }];
    b.node({ mesh: 0 });
    b.json.scenes.push({ nodes: [0] });
    const { json } = b.gltf();
    const gltf = await loaded(json);
    const map = materialOf(meshes(gltf.scene)[0]).map;
    expect(map?.image).toMatchObject({ width: 2, height: 2 });
    expect(map?.magFilter).not.toBe(NearestFilter);
  });

  it('[LOAD31] accessors: every component type, normalized, strided, sparse, and one without a buffer view', async () => {
    const file = triangleFile((json, b) => {
      // Positions interleaved with normals in one strided view (24 bytes per vertex).
      const interleaved = new Float32Array([0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1]);
      const view = b.view(new Uint8Array(interleaved.buffer), { byteStride: 24 });
      json.accessors.push(
        { bufferView: view, componentType: 5126, count: 3, type: 'VEC3' },
        { bufferView: view, byteOffset: 12, componentType: 5126, count: 3, type: 'VEC3' },
      );
      const colors = b.accessor(new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 128]), 'VEC4', {
        normalized: true,
      });
      const uv = b.accessor(new Int16Array([0, 0, 32767, 0, 0, 32767]), 'VEC2', { normalized: true });
      const uv1 = b.accessor(new Int8Array([0, 0, 127, 0, 0, 127]), 'VEC2', { normalized: true });
      const uv2 = b.accessor(new Uint16Array([0, 0, 65535, 0, 0, 65535]), 'VEC2', { normalized: true });
      const indices = b.accessor(new Uint32Array([0, 1, 2]), 'SCALAR');
      // A sparse accessor over zeros: vertex 2's tangent set, nothing else.
      const sparseIndices = b.view(new Uint8Array([2, 0, 0, 0]));
      const sparseValues = b.view(new Uint8Array(new Float32Array([1, 0, 0, 1]).buffer));
      json.accessors.push({
        componentType: 5126,
        count: 3,
        type: 'VEC4',
        sparse: {
          count: 1,
          indices: { bufferView: sparseIndices, componentType: 5121 },
          values: { bufferView: sparseValues },
        },
      });
      const tangent = json.accessors.length - 1;
      json.meshes[0] = {
        primitives: [
          {
            attributes: {
              POSITION: 1,
              NORMAL: 2,
              COLOR_0: colors,
              TEXCOORD_0: uv,
              TEXCOORD_1: uv1,
              TEXCOORD_2: uv2,
              TANGENT: tangent,
            },
            indices,
          },
        ],
      };
    });
    const [mesh] = meshes((await loaded(file)).scene);
    const geometry = mesh?.geometry;
    if (!geometry) throw new Error('no mesh');
    expect(Array.from(geometry.getAttribute('position').array)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(Array.from(geometry.getAttribute('normal').array)).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 1]);
    const color = geometry.getAttribute('color');
    expect([color.normalized, color.itemSize, color.array.constructor]).toEqual([true, 4, Uint8Array]);
    expect(color.getW(2)).toBeCloseTo(128 / 255);
    expect(geometry.getAttribute('uv').getX(1)).toBeCloseTo(1);
    expect(geometry.getAttribute('uv1').array).toBeInstanceOf(Int8Array);
    expect(geometry.getAttribute('uv2').getY(2)).toBeCloseTo(1);
    expect(Array.from(geometry.getAttribute('tangent').array)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]);
    expect(geometry.index?.array).toBeInstanceOf(Uint32Array);
    const material = mesh?.material as MeshStandardMaterial;
    expect(material.vertexColors).toBe(true);
    // With tangents, the normal map's y is not flipped; with normals, no flat shading.
    expect(material.normalScale.y).toBe(1);
    expect(material.flatShading).toBe(false);
  });

  it('[LOAD31] strips and fans become triangle lists; points and lines are left out with a warning', async () => {
    const quad = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0]);
    const file = triangleFile((json, b) => {
      const position = b.accessor(quad, 'VEC3');
      json.meshes.push(
        { name: 'strip', primitives: [{ attributes: { POSITION: position }, mode: 5 }] },
        { name: 'fan', primitives: [{ attributes: { POSITION: position }, mode: 6 }] },
        { name: 'lines', primitives: [{ attributes: { POSITION: position }, mode: 1 }] },
      );
      json.nodes.push({ mesh: 1 }, { mesh: 2 }, { mesh: 3 });
      json.scenes[0] = { nodes: [0, 1, 2, 3] };
    });
    const gltf = await loaded(file);
    const byName = new Map(meshes(gltf.scene).map((mesh) => [mesh.name, mesh]));
    expect(Array.from(byName.get('strip')?.geometry.index?.array ?? [])).toEqual([0, 1, 2, 3, 2, 1]);
    expect(Array.from(byName.get('fan')?.geometry.index?.array ?? [])).toEqual([0, 1, 2, 0, 2, 3]);
    expect(byName.has('lines')).toBe(false);
    expect(gltf.warnings).toEqual(['meshes[3].primitives[0] draws lines, which the loader leaves out']);
    // Flat shading where a primitive has no normals, as three's loader does.
    expect(materialOf(byName.get('strip')).flatShading).toBe(true);
  });

  it("[LOAD31] the node tree: translation, rotation and scale or a matrix; multi-primitive meshes; every scene, the file's own first", async () => {
    const file = triangleFile((json) => {
      json.meshes[0] = { name: 'two', primitives: [{ attributes: { POSITION: 0 } }, { attributes: { POSITION: 0 } }] };
      json.nodes[0] = {
        name: 'parent',
        translation: [1, 2, 3],
        rotation: [0, Math.SQRT1_2, 0, Math.SQRT1_2],
        scale: [2, 2, 2],
        children: [1],
      };
      json.nodes.push({ name: 'child', matrix: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 5, 6, 7, 1], mesh: 0 });
      json.nodes.push({ name: 'other scene', mesh: 0 });
      json.scenes = [
        { name: 'first', nodes: [0] },
        { name: 'second', nodes: [2] },
      ];
      json.scene = 1;
    });
    const gltf = await loaded(file);
    expect(gltf.scenes.map((scene) => scene.name)).toEqual(['first', 'second']);
    expect(gltf.scene).toBe(gltf.scenes[1]);
    expect(gltf.scene.children[0]?.name).toBe('other_scene');
    const parent = gltf.scenes[0]?.getObjectByName('parent');
    const child = gltf.scenes[0]?.getObjectByName('child');
    expect(parent?.position.toArray()).toEqual([1, 2, 3]);
    expect(parent?.quaternion.y).toBeCloseTo(Math.SQRT1_2);
    expect(parent?.scale.toArray()).toEqual([2, 2, 2]);
    expect(child?.parent).toBe(parent);
    expect(child?.position.toArray()).toEqual([5, 6, 7]);
    // Two primitives: a group of two meshes, named as three's loader names them.
    expect(child?.children.map((mesh) => mesh.name)).toEqual(['two', 'two_1']);
  });

  it('[LOAD31] a skinned mesh: bones from its joints, inverse bind matrices, weights normalized, joints outside the scene get a bone', async () => {
    const file = triangleFile((json, b) => {
      const joints = b.accessor(new Uint8Array([0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0]), 'VEC4');
      const weights = b.accessor(new Float32Array([2, 2, 0, 0, 1, 0, 0, 0, 0.5, 0, 0, 0]), 'VEC4');
      const inverse = b.accessor(
        new Float32Array([
          1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, -1, 0, 1,
        ]),
        'MAT4',
      );
      json.meshes[0] = { primitives: [{ attributes: { POSITION: 0, JOINTS_0: joints, WEIGHTS_0: weights } }] };
      json.nodes[0] = { name: 'skinned', mesh: 0, skin: 0 };
      json.nodes.push({ name: 'root-bone', children: [2] }, { name: 'tip', translation: [0, 1, 0] });
      json.skins = [{ joints: [1, 2], inverseBindMatrices: inverse }];
      json.scenes = [{ nodes: [0, 1] }, { nodes: [0] }];
    });
    const gltf = await loaded(file);
    const mesh = gltf.scenes[0]?.getObjectByName('skinned');
    if (!(mesh instanceof SkinnedMesh)) throw new Error('not skinned');
    expect(mesh.skeleton.bones.map((bone) => bone.name)).toEqual(['root-bone', 'tip']);
    expect(mesh.skeleton.bones[1]).toBe(gltf.scenes[0]?.getObjectByName('tip'));
    expect(mesh.skeleton.bones.every((bone) => bone instanceof Bone)).toBe(true);
    expect(mesh.skeleton.boneInverses[1]?.elements[13]).toBe(-1);
    expect(Array.from(mesh.geometry.getAttribute('skinWeight').array).slice(0, 4)).toEqual([0.5, 0.5, 0, 0]);
    // The second scene has the mesh without its joints: three's loader gives it bones that nothing moves.
    const alone = gltf.scenes[1]?.getObjectByName('skinned');
    if (!(alone instanceof SkinnedMesh)) throw new Error('not skinned');
    expect(alone.skeleton.bones.map((bone) => bone.parent)).toEqual([null, null]);
  });

  it('[LOAD31] KHR_materials_unlit, KHR_texture_transform, KHR_mesh_quantization and KHR_materials_emissive_strength, required or not; alpha modes and double sides', async () => {
    const file = triangleFile((json, b) => {
      const quantized = b.accessor(new Int16Array([0, 0, 0, 0, 32767, 0, 0, 0, 0, 0, 32767, 0]), 'VEC4');
      json.accessors[1] = { ...json.accessors[1], type: 'VEC3', count: 3 };
      json.accessors.push({ ...(json.accessors[quantized] as JsonObject), type: 'VEC3', count: 2 });
      json.extensionsUsed = [
        'KHR_materials_unlit',
        'KHR_texture_transform',
        'KHR_mesh_quantization',
        'KHR_materials_emissive_strength',
      ];
      json.extensionsRequired = [...(json.extensionsUsed as string[])];
      const image = b.view(png(1, 1, [255, 255, 255, 255]));
      json.images = [{ bufferView: image, mimeType: 'image/png' }];
      json.textures = [{ source: 0 }];
      json.materials = [
        {
          name: 'flat',
          pbrMetallicRoughness: {
            baseColorFactor: [1, 0, 0, 0.5],
            baseColorTexture: {
              index: 0,
              extensions: { KHR_texture_transform: { offset: [0.5, 0], scale: [2, 2], rotation: 1, texCoord: 1 } },
            },
          },
          extensions: { KHR_materials_unlit: {} },
          alphaMode: 'BLEND',
          doubleSided: true,
        },
        {
          name: 'glow',
          emissiveFactor: [0, 1, 0],
          extensions: { KHR_materials_emissive_strength: { emissiveStrength: 5 } },
          alphaMode: 'MASK',
          alphaCutoff: 0.3,
        },
      ];
      json.meshes = [
        { name: 'a', primitives: [{ attributes: { POSITION: 0 }, material: 0 }] },
        { name: 'b', primitives: [{ attributes: { POSITION: 0 }, material: 1 }] },
      ];
      json.nodes = [{ mesh: 0 }, { mesh: 1 }];
      json.scenes = [{ nodes: [0, 1] }];
    });
    const gltf = await loaded(file);
    const [a, b] = meshes(gltf.scene);
    const flat = a?.material as MeshBasicMaterial;
    expect(flat).toBeInstanceOf(MeshBasicMaterial);
    expect([
      flat.color.getHex(LinearSRGBColorSpace),
      flat.opacity,
      flat.transparent,
      flat.depthWrite,
      flat.side,
    ]).toEqual([0xff0000, 0.5, true, false, DoubleSide]);
    expect([flat.map?.offset.x, flat.map?.repeat.x, flat.map?.rotation, flat.map?.channel]).toEqual([0.5, 2, 1, 1]);
    const glow = b?.material as MeshStandardMaterial;
    expect([glow.emissiveIntensity, glow.alphaTest, glow.transparent]).toEqual([5, 0.3, false]);
  });

  it('[LOAD31] animations are not read: a model that has them loads in its rest pose', async () => {
    const file = triangleFile((json, b) => {
      const times = b.accessor(new Float32Array([0, 1]), 'SCALAR');
      const moves = b.accessor(new Float32Array([0, 0, 0, 5, 5, 5]), 'VEC3');
      json.nodes[0] = { ...json.nodes[0], translation: [1, 0, 0] };
      json.animations = [
        {
          channels: [{ sampler: 0, target: { node: 0, path: 'translation' } }],
          samplers: [{ input: times, output: moves }],
        },
      ];
    });
    const gltf = await loaded(file);
    expect(gltf.scene.getObjectByName('triangle')?.position.toArray()).toEqual([1, 0, 0]);
    expect(gltf.warnings).toEqual([]);
  });
});

describe('a malformed or hostile file', () => {
  it('[LOAD33] a required extension the loader does not support is an error that names it', async () => {
    for (const [name, meaning] of [
      ['KHR_draco_mesh_compression', 'Draco'],
      ['EXT_meshopt_compression', 'meshopt'],
      ['KHR_texture_basisu', 'KTX2'],
      ['VENDOR_something', 'VENDOR_something'],
    ]) {
      const error = await refused(triangleFile((json) => Object.assign(json, { extensionsRequired: [name] })));
      expect(error).toContain(`requires ${name}`);
      expect(error).toContain(meaning);
    }
    // Used but not required: the file loads without it.
    expect(
      (await parse(triangleFile((json) => Object.assign(json, { extensionsUsed: ['KHR_materials_ior'] })))).ok,
    ).toBe(true);
  });

  it('[LOAD33] not glTF, the wrong version, a cut GLB, chunks past the end: errors that say so', async () => {
    const good = triangleFile();
    expect(await refused(new TextEncoder().encode('<html>'))).toMatch(/neither GLB nor glTF/);
    expect(await refused(new Uint8Array(0))).toMatch(/neither GLB nor glTF/);
    expect(await refused(triangleFile((json) => Object.assign(json, { asset: { version: '1.0' } })))).toMatch(
      /glTF 2\.0/,
    );
    expect(await refused(good.slice(0, 30))).toMatch(/the GLB header says \d+ bytes/);
    const cut = good.slice();
    new DataView(cut.buffer).setUint32(8, 30, true);
    expect(await refused(cut)).toMatch(/runs past the end|JSON/);
    const lying = good.slice();
    new DataView(lying.buffer).setUint32(12, 1 << 30, true);
    expect(await refused(lying)).toMatch(/runs past the end/);
    const version = good.slice();
    new DataView(version.buffer).setUint32(4, 1, true);
    expect(await refused(version)).toMatch(/GLB version 1/);
    expect(await refused(glb({ asset: { version: '2.0' }, scenes: [] }, new Uint8Array(0)))).toMatch(/no scene/);
  });

  it('[LOAD33] offsets and lengths are checked against the buffers and views they read', async () => {
    const cases: [(json: GltfBuilder['json']) => void, RegExp][] = [
      [(json) => Object.assign(json.accessors[0] as JsonObject, { count: 4 }), /reads 48 bytes of a buffer view of 36/],
      [(json) => Object.assign(json.accessors[0] as JsonObject, { byteOffset: 4 }), /reads 40 bytes/],
      [
        (json) => Object.assign(json.accessors[0] as JsonObject, { byteOffset: 2 }),
        /not a multiple of its component size/,
      ],
      [
        (json) => Object.assign(json.bufferViews[0] as JsonObject, { byteLength: 1000 }),
        /byteLength must be an integer from 1 to 36/,
      ],
      [
        (json) => Object.assign(json.bufferViews[0] as JsonObject, { byteOffset: 1 << 20 }),
        /byteOffset must be an integer/,
      ],
      [
        (json) => Object.assign(json.bufferViews[0] as JsonObject, { byteStride: 6 }),
        /byteStride must be an integer from 4|multiple of 4/,
      ],
      [
        (json) => Object.assign(json.bufferViews[0] as JsonObject, { byteStride: 8 }),
        /stride is smaller than one element/,
      ],
      [
        (json) => Object.assign(json.bufferViews[0] as JsonObject, { buffer: 3 }),
        /buffer must be an integer from 0 to 0/,
      ],
      [
        (json) => Object.assign(json.accessors[0] as JsonObject, { bufferView: 9 }),
        /bufferView must be an integer from 0 to 0/,
      ],
      [(json) => Object.assign(json.accessors[0] as JsonObject, { componentType: 5124 }), /not a glTF component type/],
      [(json) => Object.assign(json.accessors[0] as JsonObject, { type: 'VEC9' }), /not a glTF accessor type/],
      [(json) => Object.assign(json.accessors[0] as JsonObject, { count: -1 }), /count must be an integer/],
      [(json) => Object.assign(json.accessors[0] as JsonObject, { count: '3' }), /count must be an integer/],
      [
        (json) => Object.assign(json.buffers, [{ byteLength: 1 << 20 }]),
        /buffers\[0\] is \d+ bytes; the file says 1048576/,
      ],
      [(json) => Object.assign(json.meshes[0] as JsonObject, { primitives: [{ attributes: {} }] }), /has no POSITION/],
      [(json) => Object.assign(json.meshes[0] as JsonObject, { primitives: 'x' }), /primitives is not a list/],
      [
        (json) => Object.assign(json.nodes[0] as JsonObject, { mesh: 5 }),
        /nodes\[0\]\.mesh must be an integer from 0 to 0/,
      ],
      [
        (json) => Object.assign(json.nodes[0] as JsonObject, { translation: [0, 'x', 0] }),
        /translation must be 3 numbers/,
      ],
      [(json) => Object.assign(json.nodes[0] as JsonObject, { matrix: [1, 2] }), /matrix must be 16 numbers/],
    ];
    for (const [edit, message] of cases) {
      const file = triangleFile((json) => {
        edit(json);
        json.buffers = [];
      });
      // triangleFile writes buffers itself: edits to them are applied after it, on the JSON chunk.
      const error = await refused(editGlbBuffers(file, edit));
      expect(error, String(message)).toMatch(message);
    }
  });

  it('[LOAD33] sparse indices past the count, index values past the vertices, joints past the skin: errors', async () => {
    const sparse = triangleFile((json, b) => {
      const indices = b.view(new Uint8Array([7, 0, 0, 0]));
      const values = b.view(new Uint8Array(12));
      Object.assign(json.accessors[0] as JsonObject, {
        sparse: { count: 1, indices: { bufferView: indices, componentType: 5121 }, values: { bufferView: values } },
      });
    });
    expect(await refused(sparse)).toMatch(/sparse\.indices\[0\] is 7, past the accessor's 3 items/);
    const index = triangleFile((json, b) => {
      Object.assign(json.meshes[0] as JsonObject, {
        primitives: [{ attributes: { POSITION: 0 }, indices: b.accessor(new Uint16Array([0, 1, 3]), 'SCALAR') }],
      });
    });
    expect(await refused(index)).toMatch(/indices\[2\] is 3, past the 3 vertices/);
    const floatIndex = triangleFile((json, b) => {
      Object.assign(json.meshes[0] as JsonObject, {
        primitives: [{ attributes: { POSITION: 0 }, indices: b.accessor(new Float32Array([0, 1, 2]), 'SCALAR') }],
      });
    });
    expect(await refused(floatIndex)).toMatch(/indices must be unsigned integer scalars/);
    const attributeCount = triangleFile((json, b) => {
      Object.assign(json.meshes[0] as JsonObject, {
        primitives: [{ attributes: { POSITION: 0, NORMAL: b.accessor(new Float32Array(6), 'VEC3') } }],
      });
    });
    expect(await refused(attributeCount)).toMatch(/NORMAL has 2 items, POSITION has 3/);
    const joints = triangleFile((json, b) => {
      const j = b.accessor(new Uint8Array([0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0]), 'VEC4');
      const w = b.accessor(new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]), 'VEC4');
      json.meshes[0] = { primitives: [{ attributes: { POSITION: 0, JOINTS_0: j, WEIGHTS_0: w } }] };
      json.nodes = [{ mesh: 0, skin: 0 }, { name: 'bone' }];
      json.skins = [{ joints: [1] }];
      json.scenes = [{ nodes: [0, 1] }];
    });
    expect(await refused(joints)).toMatch(/names joint 9 of a skin of 1/);
  });

  it('[LOAD33] the node tree: a cycle, a shared child, a root that is a child, a tree deeper than the limit', async () => {
    const cycle = triangleFile((json) => {
      json.nodes = [{ children: [1] }, { children: [0] }];
      json.scenes = [{ nodes: [0] }];
    });
    expect(await refused(cycle)).toMatch(/nodes\[0\] is a child of both|another node's child/);
    const selfParent = triangleFile((json) => {
      json.nodes = [{ name: 'root' }, { children: [1] }];
      json.scenes = [{ nodes: [0] }];
    });
    expect((await parse(selfParent)).ok).toBe(true); // an unreachable loop is never walked
    const shared = triangleFile((json) => {
      json.nodes = [{ children: [2] }, { children: [2] }, {}];
      json.scenes = [{ nodes: [0, 1] }];
    });
    expect(await refused(shared)).toMatch(/nodes\[2\] is a child of both nodes\[0\] and nodes\[1\]/);
    const twice = triangleFile((json) => {
      json.scenes = [{ nodes: [0, 0] }];
    });
    expect(await refused(twice)).toMatch(/reaches nodes\[0\] twice/);
    const deep = triangleFile((json) => {
      json.nodes = Array.from({ length: GLTF_LIMITS.depth + 1 }, (_, i) =>
        i < GLTF_LIMITS.depth ? { children: [i + 1] } : {},
      );
      json.scenes = [{ nodes: [0] }];
    });
    expect(await refused(deep)).toMatch(/deeper than 128 levels/);
    const deepEnough = triangleFile((json) => {
      json.nodes = Array.from({ length: GLTF_LIMITS.depth }, (_, i) =>
        i < GLTF_LIMITS.depth - 1 ? { children: [i + 1] } : {},
      );
      json.scenes = [{ nodes: [0] }];
    });
    expect((await parse(deepEnough)).ok).toBe(true);
  });

  it('[LOAD33] counts are bounded: nodes, objects made, zero-filled accessors; nothing is allocated past the limit', async () => {
    const many = triangleFile((json) => {
      json.nodes = Array.from({ length: GLTF_LIMITS.nodes + 1 }, () => ({}));
    });
    expect(await refused(many)).toMatch(/nodes has 16385 entries; at most 16384/);
    // Few bytes, many objects: every node uses a mesh of many primitives, or every scene lists every node.
    const primitives = triangleFile((json) => {
      json.meshes[0] = { primitives: Array.from({ length: 8 }, () => ({ attributes: { POSITION: 0 } })) };
      json.nodes = Array.from({ length: GLTF_LIMITS.nodes }, () => ({ mesh: 0 }));
      json.scenes = [{ nodes: json.nodes.map((_, i) => i) }];
    });
    expect(await refused(primitives)).toMatch(/make more than 65536 objects/);
    const scenes = triangleFile((json) => {
      json.nodes = Array.from({ length: 2_000 }, () => ({}));
      json.scenes = Array.from({ length: GLTF_LIMITS.scenes }, () => ({ nodes: json.nodes.map((_, i) => i) }));
    });
    expect(await refused(scenes)).toMatch(/make more than 65536 objects/);
    // An accessor without a buffer view is zeros of its count: a 2 GB claim in a 200-byte file.
    const zeros = triangleFile((json) => {
      json.accessors[0] = { componentType: 5126, count: 50_000_000, type: 'VEC3' };
    });
    const started = performance.now();
    expect(await refused(zeros)).toMatch(/decoded data past 64 MiB/);
    expect(performance.now() - started).toBeLessThan(1000);
    // Many accessors each under the limit, together over it.
    const together = triangleFile((json) => {
      json.accessors = Array.from({ length: 8 }, () => ({ componentType: 5126, count: 1_000_000, type: 'VEC3' }));
      json.meshes[0] = { primitives: json.accessors.map((_, i) => ({ attributes: { POSITION: i } })) };
    });
    expect(await refused(together)).toMatch(/decoded data past 64 MiB/);
  });

  it('[LOAD33] images: too large a side refused before decoding, other formats left out with a warning', async () => {
    const withImage = (bytes: Uint8Array) =>
      triangleFile((json, b) => {
        json.images = [{ bufferView: b.view(bytes), mimeType: 'image/png' }];
        json.textures = [{ source: 0 }];
        json.materials = [{ pbrMetallicRoughness: { baseColorTexture: { index: 0 } } }];
        Object.assign(json.meshes[0] as JsonObject, { primitives: [{ attributes: { POSITION: 0 }, material: 0 }] });
      });
    decoded = 0;
    expect(await refused(withImage(png(1, 1, [0, 0, 0, 255], [100_000, 100_000])))).toMatch(
      /images\[0\] is 100000x100000 pixels; images may be up to 8192 a side/,
    );
    expect(decoded).toBe(0);
    const gif = await loaded(withImage(new TextEncoder().encode('GIF89a.......')));
    expect(gif.warnings).toEqual([
      'images[0] is neither a PNG nor a JPEG image',
      'textures[0] has no image the loader can read; it is left out',
    ]);
    expect(materialOf(meshes(gif.scene)[0]).map).toBeNull();
    const broken = await parse(withImage(png(1, 1, [0, 0, 0, 255])), {
      decodeImage: async () => {
        throw new Error('corrupt');
      },
    });
    expect(broken.ok && broken.gltf.warnings[0]).toBe('images[0] could not be decoded: corrupt');
  });

  it('[LOAD33] [MODEL1] files a model names come from its own site only; [LIMIT3] the model and its files share one byte budget', async () => {
    const b = new GltfBuilder();
    b.mesh({ POSITION: b.accessor(TRIANGLE, 'VEC3') });
    b.node({ mesh: 0 });
    b.json.scenes.push({ nodes: [0] });
    const { json: elsewhere } = b.gltf('https://example.com/evil.bin');
    server.requests.length = 0;
    expect(await refused(elsewhere)).toMatch(/https:\/\/example\.com\/evil\.bin is not on this site \(MODEL1\)/);
    const { json: otherPort } = b.gltf('http://127.0.0.1:1/x.bin');
    expect(await refused(otherPort)).toMatch(/not on this site \(MODEL1\)/);
    expect(server.requests).toEqual([]);
    const { json: missing } = b.gltf('missing.bin');
    expect(await refused(missing)).toMatch(/\/models\/missing\.bin answered 404/);
    const { json: nested, bin } = b.gltf('../bins/big.bin');
    server.files.set(
      '/bins/big.bin',
      new Uint8Array(2 * MB).fill(1).map((v, i) => (i < bin.byteLength ? (bin[i] ?? 0) : v)),
    );
    expect(await refused(nested, { maxBytes: MB })).toMatch(/LIMIT3/);
    expect((await parse(nested, { maxBytes: 3 * MB })).ok).toBe(true);
    // A data: URI is counted before it is decoded.
    const { json: inline } = b.gltf();
    expect(await refused(inline, { maxBytes: inline.byteLength + 10 })).toMatch(/LIMIT3/);
    expect(await refused(new Uint8Array(2 * MB), { maxBytes: MB })).toMatch(/LIMIT3/);
  });

  it('[LOAD33] garbage never throws: truncations and byte flips of a real model each give a result', async () => {
    const { readFileSync } = await import('node:fs');
    const hand = new Uint8Array(
      readFileSync('node_modules/@webxr-input-profiles/assets/dist/profiles/generic-hand/left.glb'),
    );
    let seed = 7;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    let failures = 0;
    for (let i = 0; i < 60; i++) {
      const file = hand.slice(0, i % 3 === 0 ? Math.floor(random() * hand.byteLength) : hand.byteLength);
      for (let flip = 0; flip < 8; flip++) {
        const at = Math.floor(random() * Math.min(file.byteLength, 4000));
        file[at] = (file[at] ?? 0) ^ 0xff;
      }
      const result = await parse(file);
      if (!result.ok) {
        failures++;
        expect(result.error.length).toBeGreaterThan(5);
      }
    }
    expect(failures).toBeGreaterThan(10);
  });
});

/** Applies `edit` to a GLB's JSON again, after the builder wrote its buffers (so edits to `buffers` stick). */
function editGlbBuffers(file: Uint8Array, edit: (json: GltfBuilder['json']) => void): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const jsonLength = view.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(file.subarray(20, 20 + jsonLength))) as GltfBuilder['json'];
  const bin = file.subarray(28 + jsonLength, 28 + jsonLength + view.getUint32(20 + jsonLength, true));
  json.buffers = [{ byteLength: bin.byteLength }];
  edit(json);
  return glb(json, bin);
}
