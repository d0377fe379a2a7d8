/**
 * The GLTFLoader the build gives the XR library (LOAD32), driven as the library
 * drives it: `loadAsync(url)` (@pmndrs/xr's controller and hand models) and
 * `load(url, onLoad, onProgress, onError)` (React Three Fiber's `useLoader`),
 * on the hand model the server hosts under /xr-profiles/, from a real HTTP
 * server standing in for the page's origin.
 */
import { readFileSync } from 'node:fs';
import { SkinnedMesh } from 'three';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FileServer, startFileServer } from '../../../testing/gltf/file-server.ts';
import { MAX_MODEL_BYTES } from '../../scene/model/limits.ts';
import { GLTFLoader, XR_MODEL_MAX_BYTES, type XRLibraryGltf } from './xr-library-loader.ts';

const HAND = 'node_modules/@webxr-input-profiles/assets/dist/profiles/generic-hand/left.glb';
let server: FileServer;

beforeAll(async () => {
  server = await startFileServer();
  server.files.set('/xr-profiles/generic-hand/left.glb', new Uint8Array(readFileSync(HAND)));
  // The page the XR store runs on: the loader resolves URLs against it and fetches from its origin only.
  vi.stubGlobal('location', new URL(`${server.origin}/r/someroom`));
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await server.close();
});

describe("the XR library's GLTFLoader", () => {
  it('[LOAD32] loadAsync, as @pmndrs/xr calls it: the hand model, skinned, with its scene', async () => {
    const gltf = await new GLTFLoader().loadAsync(`${server.origin}/xr-profiles/generic-hand/left.glb`);
    expect(gltf.scene.getObjectByProperty('type', 'SkinnedMesh')).toBeInstanceOf(SkinnedMesh);
    expect(gltf.scenes).toContain(gltf.scene);
    expect(gltf.animations).toEqual([]);
  });

  it("[LOAD32] load with callbacks, as React Three Fiber's useLoader calls it; a failure reaches onError", async () => {
    const loader = new GLTFLoader();
    const gltf = await new Promise<XRLibraryGltf>((resolve, reject) =>
      loader.load('/xr-profiles/generic-hand/left.glb', resolve, undefined, reject),
    );
    expect(gltf.scene.getObjectByName('wrist')).toBeDefined();
    const missing = await new Promise<Error>((resolve, reject) =>
      loader.load('/xr-profiles/none.glb', () => reject(new Error('loaded')), undefined, resolve),
    );
    expect(missing.message).toMatch(/\/xr-profiles\/none\.glb could not be loaded: .*answered 404/);
    // MODEL1: nothing from another origin, not even a URL the library builds from a CDN base.
    await expect(
      loader.loadAsync(
        'https://cdn.jsdelivr.net/npm/@webxr-input-profiles/assets@1.0/dist/profiles/generic-hand/left.glb',
      ),
    ).rejects.toThrow(/not on this site \(MODEL1\)/);
    expect(server.requests.filter((path) => !path.startsWith('/xr-profiles/'))).toEqual([]);
  });

  it("[LOAD32] [LIMIT3] a controller or hand model may be as large as a scene's model, no larger", async () => {
    expect(XR_MODEL_MAX_BYTES).toBe(MAX_MODEL_BYTES);
    server.files.set('/xr-profiles/huge.glb', new Uint8Array(XR_MODEL_MAX_BYTES + 1));
    await expect(new GLTFLoader().loadAsync('/xr-profiles/huge.glb')).rejects.toThrow(/LIMIT3/);
  });
});
