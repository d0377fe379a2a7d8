/**
 * The `GLTFLoader` the XR library gets (LOAD32): @pmndrs/xr and @react-three/xr
 * import three's `three/examples/jsm/loaders/GLTFLoader.js` for controller and
 * hand models, and the build hands them this module instead
 * (`xrLibraryGltfLoader` in vite.config.ts). They call `loadAsync(url)` (the
 * controller and hand models of @pmndrs/xr) and `load(url, onLoad, onProgress,
 * onError)` (React Three Fiber's `useLoader`, for @react-three/xr's hand), and
 * read `scene`. The models come from this site (`/xr-profiles/`, app/xr/xr-store.ts)
 * under the same limits as a scene's models (MODEL1, LIMIT3).
 */
import type { Group } from 'three';
import { loadGltf } from './gltf-loader.ts';

/**
 * Bytes a controller or hand model may take: a scene model's cap (LIMIT3, `MAX_MODEL_BYTES`; a test keeps
 * them equal). Written here, not imported: importing the scene's limits from the XR chunk made the bundler
 * split them, and the scene vocabulary with them, out of the room's chunk into two more the room fetches.
 */
export const XR_MODEL_MAX_BYTES = 16 * 1024 * 1024;

/** What the XR library reads of a loaded model (three's loader's result, less what it never reads). */
export interface XRLibraryGltf {
  scene: Group;
  scenes: Group[];
  /** Never read: animations are not loaded (LOAD31). */
  animations: [];
}

export class GLTFLoader {
  /** Callback form, as three's loaders have it; progress is not reported. */
  load(
    url: string,
    onLoad: (gltf: XRLibraryGltf) => void,
    _onProgress?: unknown,
    onError?: (error: Error) => void,
  ): void {
    this.loadAsync(url).then(onLoad, (error: Error) => {
      if (onError) onError(error);
      else console.error(error);
    });
  }

  /** The model at `url` (resolved against the page), from this site only. */
  async loadAsync(url: string): Promise<XRLibraryGltf> {
    const result = await loadGltf(new URL(url, location.href).href, {
      origin: location.origin,
      maxBytes: XR_MODEL_MAX_BYTES,
    });
    if (!result.ok) throw new Error(`${url} could not be loaded: ${result.error}`);
    return { scene: result.gltf.scene, scenes: result.gltf.scenes, animations: [] };
  }
}
