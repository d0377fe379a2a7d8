/**
 * Our loader against three's GLTFLoader on the models we ship and the XR
 * library's (LOAD31): the same tree (types and names), vertex and index
 * counts, bounds, materials' factors and skeletons. Three's loader is in
 * node_modules (it is no longer in any script we ship, LOAD34); in Node it
 * cannot decode images, so textures are compared in the browser tests, not here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cloneXRHandGltf, createUpdateXRHandVisuals, getXRControllerComponentObject } from '@pmndrs/xr/internals';
import { Box3, type Material, type Mesh, MeshStandardMaterial, type Object3D, SkinnedMesh } from 'three';
import { GLTFLoader as ThreeGLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { describe, expect, it } from 'vitest';
import { type Gltf, parseGltf } from './gltf-loader.ts';

const PROFILES = 'node_modules/@webxr-input-profiles/assets/dist/profiles';
const ORIGIN = 'http://127.0.0.1';

/** Every .glb of the input profiles the server hosts at /xr-profiles/ (app/xr/xr-store.ts). */
const PROFILE_MODELS = readdirSync(PROFILES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) =>
    readdirSync(path.join(PROFILES, entry.name))
      .filter((file) => file.endsWith('.glb'))
      .map((file) => `${entry.name}/${file}`),
  );

/** Decodes nothing: an image's size from its header, standing in for the ImageBitmap Node has no way to make. */
const headerOnly = async (_bytes: Uint8Array, header: { width: number; height: number }) => ({ ...header });

async function ours(file: string): Promise<Gltf> {
  const result = await parseGltf(new Uint8Array(readFileSync(file)), `${ORIGIN}/models/${path.basename(file)}`, {
    origin: ORIGIN,
    maxBytes: 16 * 1024 * 1024,
    decodeImage: headerOnly,
  });
  if (!result.ok) throw new Error(`${file}: ${result.error}`);
  return result.gltf;
}

async function threes(file: string): Promise<Object3D> {
  const bytes = readFileSync(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  // Three's loader asks for `self.URL` when a model has images, and then fails to load them in Node (no DOM):
  // the model loads without its textures, with an error logged per image, which is silenced here.
  const g = globalThis as { self?: unknown };
  g.self ??= globalThis;
  const error = console.error;
  console.error = () => {};
  try {
    return (await new ThreeGLTFLoader().parseAsync(buffer, '')).scene;
  } finally {
    console.error = error;
  }
}

const round = (n: number) => Math.round(n * 1e4) / 1e4;

function materialSummary(material: Material) {
  const standard = material as MeshStandardMaterial;
  return {
    color: standard.color?.getHexString(),
    opacity: round(material.opacity),
    emissive: standard.emissive?.getHexString(),
    metalness: standard.metalness === undefined ? undefined : round(standard.metalness),
    roughness: standard.roughness === undefined ? undefined : round(standard.roughness),
    side: material.side,
    transparent: material.transparent,
    depthWrite: material.depthWrite,
    alphaTest: material.alphaTest,
    vertexColors: material.vertexColors,
    flatShading: standard.flatShading,
    normalScale: standard.normalScale?.toArray().map(round),
  };
}

/** What the two loaders must agree on, object by object in tree order. */
function summary(root: Object3D) {
  root.updateMatrixWorld(true);
  const out: unknown[] = [];
  root.traverse((object) => {
    const mesh = object as Mesh;
    const box = new Box3().setFromObject(object);
    out.push({
      type: object.type,
      name: object.name,
      matrix: object.matrix.toArray().map(round),
      bounds: box.isEmpty() ? 'empty' : [...box.min.toArray(), ...box.max.toArray()].map(round),
      ...(mesh.isMesh
        ? {
            vertices: mesh.geometry.getAttribute('position').count,
            indices: mesh.geometry.index?.count,
            attributes: Object.keys(mesh.geometry.attributes).sort(),
            material: materialSummary(mesh.material as Material),
          }
        : {}),
    });
  });
  return out;
}

describe("our glTF loader against three's", () => {
  it("[LOAD31] the lantern the demo scenes use: the same tree, vertices, bounds and materials as three's loader", async () => {
    const file = 'public/scenes/models/lantern.glb';
    const gltf = await ours(file);
    expect(gltf.warnings).toEqual([]);
    const expected = summary(await threes(file));
    expect(expected.length).toBeGreaterThan(2);
    expect(summary(gltf.scene)).toEqual(expected);
  });

  it(`[LOAD31] every controller and hand model the XR store can load (${PROFILE_MODELS.length} files): the same as three's loader`, async () => {
    expect(PROFILE_MODELS.length).toBeGreaterThan(40);
    for (const model of PROFILE_MODELS) {
      const file = path.join(PROFILES, model);
      const gltf = await ours(file);
      expect(gltf.warnings, model).toEqual([]);
      expect(summary(gltf.scene), model).toEqual(summary(await threes(file)));
    }
  });

  it('[LOAD31] a controller model: textures where three has them, and every node the layout animates', async () => {
    const profile = JSON.parse(readFileSync(path.join(PROFILES, 'meta-quest-touch-plus/profile.json'), 'utf8')) as {
      layouts: Record<
        string,
        { components: Record<string, { visualResponses: Record<string, Record<string, string>> }> }
      >;
    };
    const file = path.join(PROFILES, 'meta-quest-touch-plus/left.glb');
    const gltf = await ours(file);
    const theirs = await threes(file);
    const meshes: Mesh[] = [];
    gltf.scene.traverse((object) => {
      if ((object as Mesh).isMesh) meshes.push(object as Mesh);
    });
    const body = meshes.find((mesh) => mesh.name === 'controller_mesh');
    const map = (body?.material as MeshStandardMaterial | undefined)?.map;
    expect(map?.image).toMatchObject({ width: expect.any(Number), height: expect.any(Number) });
    expect(map?.flipY).toBe(false);
    expect(map?.colorSpace).toBe('srgb');
    const layout = profile.layouts.left;
    if (!layout) throw new Error('no left layout');
    const wanted = Object.values(layout.components).flatMap((component) =>
      Object.values(component.visualResponses).flatMap((response) =>
        [response.valueNodeName, response.minNodeName, response.maxNodeName].filter((name) => name !== undefined),
      ),
    );
    expect(wanted.length).toBeGreaterThan(10);
    const found = wanted.filter((name) => gltf.scene.getObjectByName(name as string) !== undefined);
    expect(found.length).toBeGreaterThan(10);
    expect(found).toEqual(wanted.filter((name) => theirs.getObjectByName(name as string) !== undefined));
    // The library's own lookup finds each component's node.
    const assetLayout = { ...layout, assetPath: '' } as unknown as Parameters<typeof getXRControllerComponentObject>[1];
    for (const id of Object.keys(layout.components)) {
      expect(getXRControllerComponentObject(gltf.scene, assetLayout, id as never)?.name, id).toBe(
        getXRControllerComponentObject(theirs, assetLayout, id as never)?.name,
      );
    }
  });

  it("[LOAD31] the hand models are skinned as three's loader skins them, and the XR library clones and drives them", async () => {
    for (const side of ['left', 'right']) {
      const file = path.join(PROFILES, `generic-hand/${side}.glb`);
      const gltf = await ours(file);
      const skinned = gltf.scene.getObjectByProperty('type', 'SkinnedMesh') as SkinnedMesh | undefined;
      const theirs = (await threes(file)).getObjectByProperty('type', 'SkinnedMesh') as SkinnedMesh | undefined;
      if (!skinned || !theirs) throw new Error(`no skinned mesh in ${file}`);
      expect(skinned.skeleton.bones.map((bone) => bone.name)).toEqual(theirs.skeleton.bones.map((bone) => bone.name));
      expect(skinned.skeleton.bones.length).toBe(25);
      expect(skinned.skeleton.boneInverses.map((m) => m.toArray().map(round))).toEqual(
        theirs.skeleton.boneInverses.map((m) => m.toArray().map(round)),
      );
      // Each bone is the node of the tree with its name, as three's loader makes them.
      for (const bone of skinned.skeleton.bones) expect(gltf.scene.getObjectByName(bone.name)).toBe(bone);
      expect(Array.from(skinned.geometry.getAttribute('skinWeight').array).map(round)).toEqual(
        Array.from(theirs.geometry.getAttribute('skinWeight').array).map(round),
      );
      // What @pmndrs/xr does with a hand model: clone it with its skeleton, find the 25 joints to drive.
      // The library reads `scene` only (its type is three's loader's result).
      const model = cloneXRHandGltf(gltf as unknown as Parameters<typeof cloneXRHandGltf>[0]);
      expect(model.getObjectByProperty('type', 'SkinnedMesh')).toBeInstanceOf(SkinnedMesh);
      const hand = { size: 25, values: () => [][Symbol.iterator]() } as unknown as XRHand;
      expect(() => createUpdateXRHandVisuals(hand, model, () => undefined)).not.toThrow();
    }
  });

  it('[LOAD31] materials are MeshStandardMaterial: the KHR_materials_* of three MeshPhysicalMaterial are not read', async () => {
    const gltf = await ours('public/scenes/models/lantern.glb');
    gltf.scene.traverse((object) => {
      if ((object as Mesh).isMesh) expect((object as Mesh).material).toBeInstanceOf(MeshStandardMaterial);
    });
  });
});
