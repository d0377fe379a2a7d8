/**
 * glTF models for the scene (KIND3): fetched from this site only (MODEL1, the
 * path was checked when the model was built; the fetch is same-origin by
 * construction), stopped once it passes MAX_MODEL_BYTES (LIMIT3), parsed by
 * three's GLTFLoader, refused above MAX_MODEL_TRIANGLES. Each URL loads once;
 * instances are clones sharing geometry and materials.
 */
import type { Group, Mesh, Object3D } from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { MAX_MODEL_BYTES, MAX_MODEL_TRIANGLES } from '../../scene/model/limits.ts';

export interface LoadedModel {
  scene: Group;
  bytes: number;
  triangles: number;
}

class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

const MAX_CACHED = 32;
const cache = new Map<string, Promise<LoadedModel>>();

/** The body of a model response, stopped once it passes MAX_MODEL_BYTES, declared or streamed (LIMIT3). */
export async function readCapped(response: Response, url: string): Promise<ArrayBuffer> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_MODEL_BYTES) {
    throw new ModelLoadError(
      `${url} is ${(declared / 1e6).toFixed(1)} MB; models may be ${MAX_MODEL_BYTES / 1e6} MB (LIMIT3)`,
    );
  }
  const reader = response.body?.getReader();
  if (!reader) return response.arrayBuffer();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_MODEL_BYTES) {
      await reader.cancel();
      throw new ModelLoadError(`${url} is larger than ${MAX_MODEL_BYTES / 1e6} MB (LIMIT3)`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes.buffer;
}

/** The triangles of a parsed model; a model above MAX_MODEL_TRIANGLES is refused (LIMIT3). */
export function checkedTriangles(root: Object3D, path: string): number {
  const triangles = countTriangles(root);
  if (triangles > MAX_MODEL_TRIANGLES) {
    throw new ModelLoadError(`${path} has ${triangles} triangles; models may have ${MAX_MODEL_TRIANGLES} (LIMIT3)`);
  }
  return triangles;
}

function countTriangles(root: Object3D): number {
  let triangles = 0;
  root.traverse((object) => {
    const mesh = object as Mesh;
    if (!mesh.isMesh) return;
    const geometry = mesh.geometry;
    const count = geometry.index ? geometry.index.count : (geometry.getAttribute('position')?.count ?? 0);
    triangles += Math.floor(count / 3);
  });
  return triangles;
}

async function load(path: string): Promise<LoadedModel> {
  // Same origin only: `path` is a path (MODEL1), and the request must not leave this site.
  const url = new URL(path, location.origin);
  if (url.origin !== location.origin) throw new ModelLoadError(`${path} is not on this site (MODEL1)`);
  const response = await fetch(url, { credentials: 'same-origin', redirect: 'error' });
  if (!response.ok) throw new ModelLoadError(`${path} answered ${response.status}`);
  const buffer = await readCapped(response, path);
  const base = url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
  const gltf = await new GLTFLoader().parseAsync(buffer, base);
  const triangles = checkedTriangles(gltf.scene, path);
  return { scene: gltf.scene, bytes: buffer.byteLength, triangles };
}

/** The model at `path`, loaded once per page (failures are not cached, so a fixed file loads on retry). */
export function loadModel(path: string): Promise<LoadedModel> {
  let pending = cache.get(path);
  if (!pending) {
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    pending = load(path);
    cache.set(path, pending);
    pending.catch(() => cache.delete(path));
  }
  return pending;
}
