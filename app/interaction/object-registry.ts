/**
 * The three.js object of every drawn scene node, by its stable id: the hook
 * for interaction code (issue 7: grabbing moves `get(id)` and writes its pose
 * to the room document under the same id). Each node's group also carries
 * `userData.sceneId`, `grabbable`, `collidable` and `networked`, so a ray hit
 * leads back to the node.
 *
 * @example
 *   const object = registry.get('Shelf/product_a'); // a THREE.Group
 */
import { type Camera, type Object3D, Vector3 } from 'three';
import type { ObjectId } from '../core/ids.ts';

const scratch = new Vector3();

export class SceneObjectRegistry {
  private readonly objects = new Map<ObjectId, Object3D>();
  private readonly listeners = new Set<(ids: readonly ObjectId[]) => void>();
  private viewer: { camera: Camera; canvas: HTMLCanvasElement } | undefined;

  /** The camera and canvas drawing the scene (set by SceneLayer). */
  setViewer(camera: Camera, canvas: HTMLCanvasElement): void {
    this.viewer = { camera, canvas };
  }

  /** The camera and canvas drawing the scene, once SceneLayer set them (for picking at a screen point). */
  drawnBy(): { camera: Camera; canvas: HTMLCanvasElement } | undefined {
    return this.viewer;
  }

  /**
   * Where node `id`'s origin appears on the page (CSS pixels, like mouse
   * events), or undefined when it is not drawn or behind the camera. For
   * desktop interaction and browser tests.
   */
  screenPoint(id: ObjectId): { x: number; y: number } | undefined {
    const object = this.objects.get(id);
    if (!object || !this.viewer) return undefined;
    object.getWorldPosition(scratch);
    scratch.project(this.viewer.camera);
    if (scratch.z > 1) return undefined;
    const rect = this.viewer.canvas.getBoundingClientRect();
    return { x: rect.left + ((scratch.x + 1) / 2) * rect.width, y: rect.top + ((1 - scratch.y) / 2) * rect.height };
  }

  get(id: ObjectId): Object3D | undefined {
    return this.objects.get(id);
  }

  ids(): ObjectId[] {
    return [...this.objects.keys()];
  }

  get size(): number {
    return this.objects.size;
  }

  /** Registers a node's object; the returned function unregisters it (if it is still that object). */
  add(id: ObjectId, object: Object3D): () => void {
    this.objects.set(id, object);
    this.notify(id);
    return () => {
      if (this.objects.get(id) !== object) return;
      this.objects.delete(id);
      this.notify(id);
    };
  }

  /** Called with the ids added or removed (not per frame). */
  subscribe(listener: (ids: readonly ObjectId[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(id: ObjectId): void {
    for (const listener of this.listeners) listener([id]);
  }
}
