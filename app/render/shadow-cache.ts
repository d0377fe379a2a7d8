/**
 * Shadow maps drawn again only when a shadow could have changed (docs/performance.md DRAW3).
 *
 * Three draws every shadow-casting light's depth map in every frame: the whole scene once more
 * from each such light. In a room of a few hundred objects on software GL that pass was 60% of a
 * frame's cost (DRAW1), and most frames change nothing it draws: the camera moved, an avatar's
 * label turned, a keystroke re-parsed the script. `ShadowCasters` writes down, each frame, what
 * the maps depend on (every visible caster's world matrix, geometry and material, an instanced
 * mesh's instances, every casting light's place and shadow camera) and says whether that differs
 * from the last frame's; `cacheShadows` turns three's per-frame update off and asks for one
 * exactly then. The check walks the scene without allocating (one growing array, reused).
 *
 * Not seen by the check (so a scene doing these would show a stale shadow until something else
 * changes): a geometry's vertices rewritten in place, a material's property changed without its
 * `needsUpdate`. The room does neither; skinned meshes (bones move inside them) always redraw.
 *
 * @example
 *   const stop = cacheShadows(renderer, scene, { onDraw: () => stats.shadowDraws++ });
 */
import type { Camera, InstancedMesh, Light, LightShadow, Material, Mesh, Object3D, Scene, WebGLRenderer } from 'three';

interface ShadowCamera extends Camera {
  left?: number;
  right?: number;
  top?: number;
  bottom?: number;
  near?: number;
  far?: number;
  fov?: number;
}

/** A light that may cast a shadow (three's `Light` type leaves `shadow` to its subclasses). */
type CastingLight = Light & { isLight?: boolean; shadow?: LightShadow; target?: Object3D };

type Drawable = Mesh & { isLine?: boolean; isPoints?: boolean; isSkinnedMesh?: boolean };

export class ShadowCasters {
  private last = new Float64Array(256);
  private next = new Float64Array(256);
  private lastLength = -1;
  private length = 0;
  /** A skinned caster was seen this frame (its bones move without its matrix: never cached). */
  private alwaysChanges = false;

  /** The next `changed` says true (the maps were not drawn meanwhile, e.g. shadows were off). */
  forget(): void {
    this.lastLength = -1;
  }

  /** Whether what the shadow maps of `scene` show may differ from the last call's scene. */
  changed(scene: Object3D): boolean {
    this.length = 0;
    this.alwaysChanges = false;
    this.visit(scene);
    const same = !this.alwaysChanges && this.length === this.lastLength && this.equal();
    const swap = this.last;
    this.last = this.next;
    this.next = swap;
    this.lastLength = this.length;
    return !same;
  }

  private equal(): boolean {
    for (let i = 0; i < this.length; i++) if (this.last[i] !== this.next[i]) return false;
    return true;
  }

  private visit(object: Object3D): void {
    if (!object.visible) return;
    const light = object as CastingLight;
    if (light.isLight && light.castShadow && light.shadow)
      this.writeLight(light as CastingLight & { shadow: LightShadow });
    else if (object.castShadow) this.writeCaster(object as Drawable);
    const { children } = object;
    for (let i = 0; i < children.length; i++) this.visit(children[i] as Object3D);
  }

  private writeCaster(object: Drawable): void {
    if (!object.isMesh && !object.isLine && !object.isPoints) return;
    if (object.isSkinnedMesh) this.alwaysChanges = true;
    this.push(object.id);
    this.pushMatrix(object.matrixWorld.elements);
    this.push(object.geometry.id);
    const { material } = object;
    if (Array.isArray(material)) for (const each of material) this.pushMaterial(each);
    else this.pushMaterial(material);
    const instanced = object as unknown as InstancedMesh;
    // A batch (DRAW2) says itself when its instances moved: it reorders them as the camera turns.
    const version = object.userData.shadowVersion;
    if (typeof version === 'number') this.push(version);
    else if (instanced.isInstancedMesh) {
      this.push(instanced.count);
      this.push(instanced.instanceMatrix.version);
    }
  }

  private pushMaterial(material: Material): void {
    this.push(material.id);
    this.push(material.version);
    this.push(material.visible ? 1 : 0);
    this.push(material.side);
  }

  private writeLight(light: CastingLight & { shadow: LightShadow }): void {
    const { shadow } = light;
    this.push(light.id);
    this.pushMatrix(light.matrixWorld.elements);
    const { target } = light;
    if (target) this.pushMatrix(target.matrixWorld.elements);
    this.push(shadow.mapSize.x);
    this.push(shadow.mapSize.y);
    const camera = shadow.camera as ShadowCamera;
    this.push(camera.left ?? 0);
    this.push(camera.right ?? 0);
    this.push(camera.top ?? 0);
    this.push(camera.bottom ?? 0);
    this.push(camera.near ?? 0);
    this.push(camera.far ?? 0);
    this.push(camera.fov ?? 0);
    // A map three has not made yet (a new light, a lost context) must be drawn.
    this.push(shadow.map ? 1 : 0);
  }

  private pushMatrix(elements: ArrayLike<number>): void {
    for (let i = 0; i < 16; i++) this.push(elements[i] as number);
  }

  private push(value: number): void {
    if (this.length === this.next.length) {
      const grown = new Float64Array(this.next.length * 2);
      grown.set(this.next);
      this.next = grown;
    }
    this.next[this.length++] = value;
  }
}

/**
 * DRAW8: shadow maps are drawn at most this often while casters keep moving (about 20 a second: every
 * third frame at 60 Hz, with a little room for the frames' jitter): a bobbing object, walking avatars
 * or a thrown box would otherwise have the whole shadow pass drawn in every frame. A change made
 * meanwhile is drawn with the first frame after the interval.
 */
export const SHADOW_REFRESH_MS = 48;

export interface ShadowCacheOptions {
  /** Called for every frame whose maps are drawn. */
  onDraw?: () => void;
  /** The clock the refresh interval is measured on (tests); `performance.now` by default. */
  now?: () => number;
}

/**
 * Makes `renderer` draw `scene`'s shadow maps only in frames where `ShadowCasters` sees a change
 * (three's `shadowMap.autoUpdate` off, `needsUpdate` set then), checked after three has updated
 * the scene's world matrices and before it draws (the scene's `onBeforeRender`), and at most once
 * every SHADOW_REFRESH_MS (DRAW8). Returns the undo.
 */
export function cacheShadows(renderer: WebGLRenderer, scene: Scene, options: ShadowCacheOptions = {}): () => void {
  const { onDraw, now = () => performance.now() } = options;
  const casters = new ShadowCasters();
  const previous = scene.onBeforeRender;
  const shadowMap = renderer.shadowMap;
  shadowMap.autoUpdate = false;
  // A restored context has lost its maps: the next frame draws them.
  let restored = true;
  // A change seen in a frame that did not draw the maps (DRAW8): drawn in a later frame.
  let pending = false;
  let drawnAt = Number.NEGATIVE_INFINITY;
  const onRestored = () => {
    restored = true;
  };
  renderer.domElement.addEventListener?.('webglcontextrestored', onRestored);
  scene.onBeforeRender = function (this: Scene, ...args: Parameters<Scene['onBeforeRender']>) {
    previous.apply(this, args);
    if (!shadowMap.enabled) {
      casters.forget();
      pending = false;
      return;
    }
    const changed = casters.changed(scene);
    const time = now();
    if (!restored && !(pending || changed)) return;
    if (!restored && time - drawnAt < SHADOW_REFRESH_MS) {
      pending = true;
      return;
    }
    restored = false;
    pending = false;
    drawnAt = time;
    shadowMap.needsUpdate = true;
    onDraw?.();
  };
  return () => {
    scene.onBeforeRender = previous;
    shadowMap.autoUpdate = true;
    renderer.domElement.removeEventListener?.('webglcontextrestored', onRestored);
  };
}
