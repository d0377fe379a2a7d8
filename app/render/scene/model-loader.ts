/**
 * glTF models for the scene (KIND3): fetched from this site only, with the
 * files they name (MODEL1: the path was checked when the model was built, and
 * the loader refuses any other origin), stopped once they pass MAX_MODEL_BYTES
 * together (LIMIT3), parsed by our glTF loader (app/render/gltf/, LOAD31),
 * refused above MAX_MODEL_TRIANGLES. Each URL loads once; instances are clones
 * sharing geometry and materials. The loader (and the parts of three only glTF
 * needs: skins) is its own chunk, fetched when a scene first has a model, not
 * before the room is interactive (docs/performance.md, LOAD4).
 */
import type { Group, Mesh, Object3D } from 'three';
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
  // Same origin only: `path` is a path (MODEL1), and neither it nor a file it names may leave this site.
  const url = new URL(path, location.origin);
  if (url.origin !== location.origin) throw new ModelLoadError(`${path} is not on this site (MODEL1)`);
  const { loadGltf } = await import('../gltf/gltf-loader.ts');
  const result = await loadGltf(url.href, { origin: location.origin, maxBytes: MAX_MODEL_BYTES });
  if (!result.ok) throw new ModelLoadError(`${path}: ${result.error}`);
  const triangles = checkedTriangles(result.gltf.scene, path);
  return { scene: result.gltf.scene, bytes: result.gltf.bytes, triangles };
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
