/**
 * The drawn scene as interaction code sees it: scene objects by id (the
 * runtime's SceneObjectRegistry), their traits from `userData`, world poses,
 * the room-document transform of a world pose, surfaces to land on, and
 * picking (which grabbable object is under a ray or within reach of a hand).
 * three.js only; React components hold one of these.
 */
import { Box3, type Camera, Matrix4, type Object3D, Raycaster, Sphere, Vector2, Vector3 } from 'three';
import { type ObjectId, objectId } from '../core/ids.ts';
import type { SceneRuntime } from '../scene/runtime/scene-runtime.ts';
import type { GrabScene } from './grab/grab-coordinator.ts';
import type { RoomBounds } from './move/room-bounds.ts';
import type { SceneObjectRegistry } from './object-registry.ts';
import { type Pose, worldToTransform } from './pose.ts';

const DEG = Math.PI / 180;
/** How far beyond an object's bounds a hand still reaches it. */
const NEAR_GRAB_MARGIN = 0.06;

const scratchMatrix = new Matrix4();
const inverseParent = new Matrix4();
const scratchScale = new Vector3();
const down = new Vector3(0, -1, 0);
const origin = new Vector3();
const box = new Box3();
const sphere = new Sphere();
const ndc = new Vector2();
const worldPosition = new Vector3();
const segment = new Vector3();
/** Collidables are looked up at most this often while something flies (not per integration step). */
const COLLIDABLES_REFRESH_MS = 500;

function visibleInWorld(object: Object3D): boolean {
  for (let current: Object3D | null = object; current; current = current.parent) if (!current.visible) return false;
  return true;
}

export class SceneObjects {
  private readonly raycaster = new Raycaster();
  private collidableCache: Object3D[] = [];
  private root: Object3D | undefined;
  private collidablesAt = Number.NEGATIVE_INFINITY;
  bounds: RoomBounds;

  constructor(
    readonly registry: SceneObjectRegistry,
    private readonly runtime: SceneRuntime,
    bounds: RoomBounds,
    private readonly dispatchEvent: (id: ObjectId, event: 'grab' | 'release') => void,
    private readonly lastStreamed: (id: ObjectId) => Pose | undefined,
  ) {
    this.bounds = bounds;
  }

  grabbable(id: ObjectId): boolean {
    const object = this.registry.get(id);
    return object?.userData.grabbable === true && visibleInWorld(object);
  }

  /** World pose of a drawn object, into `target`; false when it is not drawn. */
  worldPose(id: ObjectId, target: Pose): boolean {
    const object = this.registry.get(id);
    if (!object) return false;
    object.updateWorldMatrix(true, false);
    object.matrixWorld.decompose(target.position, target.quaternion, scratchScale);
    return true;
  }

  /** How far the object reaches below its origin, for landing throws. */
  bottomOf(id: ObjectId): number {
    const object = this.registry.get(id);
    if (!object) return 0;
    object.updateWorldMatrix(true, true);
    box.setFromObject(object);
    object.getWorldPosition(worldPosition);
    return box.isEmpty() ? 0 : Math.max(0, worldPosition.y - box.min.y);
  }

  /** Draws `id` at a world pose (its parent's transform undone; the node's own scale kept). */
  applyWorldPose(id: ObjectId, pose: Pose): void {
    const object = this.registry.get(id);
    if (!object) return;
    const parent = object.parent;
    if (parent) {
      parent.updateWorldMatrix(true, false);
      inverseParent.copy(parent.matrixWorld).invert();
      scratchMatrix.compose(pose.position, pose.quaternion, scratchScale.set(1, 1, 1));
      scratchMatrix.premultiply(inverseParent).decompose(object.position, object.quaternion, scratchScale);
    } else {
      object.position.copy(pose.position);
      object.quaternion.copy(pose.quaternion);
    }
  }

  /** Draws `id` at its document (or script) transform again. */
  revert(id: ObjectId): void {
    const object = this.registry.get(id);
    const node = this.runtime.view.get().model?.byId.get(id);
    if (!object || !node) return;
    const { position, rotation, scale } = node.transform;
    object.position.set(...position);
    object.rotation.set(rotation[0] * DEG, rotation[1] * DEG, rotation[2] * DEG);
    object.scale.set(...scale);
  }

  /**
   * The nearest grabbable object a ray hits first (nothing in front of it),
   * within `maxDistance`.
   */
  pickGrabbable(
    rayOrigin: Vector3,
    direction: Vector3,
    maxDistance: number,
  ): { id: ObjectId; point: Vector3; distance: number } | undefined {
    this.raycaster.set(rayOrigin, direction);
    this.raycaster.far = maxDistance;
    return this.firstGrabbable();
  }

  /** The same for a screen point (CSS pixels inside `canvas`) seen by `camera`. */
  pickAtScreen(
    x: number,
    y: number,
    camera: Camera,
    canvas: HTMLCanvasElement,
  ): { id: ObjectId; point: Vector3; distance: number } | undefined {
    const rect = canvas.getBoundingClientRect();
    ndc.set(((x - rect.left) / rect.width) * 2 - 1, -((y - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(ndc, camera);
    this.raycaster.far = 200;
    return this.firstGrabbable();
  }

  /** The ray of a screen point, for dragging. */
  screenRay(x: number, y: number, camera: Camera, canvas: HTMLCanvasElement): Raycaster['ray'] {
    const rect = canvas.getBoundingClientRect();
    ndc.set(((x - rect.left) / rect.width) * 2 - 1, -((y - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(ndc, camera);
    return this.raycaster.ray;
  }

  private firstGrabbable(): { id: ObjectId; point: Vector3; distance: number } | undefined {
    const root = this.sceneRoot();
    if (!root) return undefined;
    const hits = this.raycaster.intersectObject(root, true);
    for (const hit of hits) {
      if (!visibleInWorld(hit.object) || (hit.object as { isSprite?: boolean }).isSprite) continue;
      // The first solid thing under the ray decides: a grabbable behind a wall cannot be taken.
      const found = this.grabbableAncestor(hit.object);
      if (!found) return undefined;
      return { id: found, point: hit.point.clone(), distance: hit.distance };
    }
    return undefined;
  }

  private grabbableAncestor(object: Object3D): ObjectId | undefined {
    for (let current: Object3D | null = object; current; current = current.parent) {
      const id = current.userData?.sceneId;
      if (typeof id === 'string' && current.userData.grabbable === true) return objectId(id);
    }
    return undefined;
  }

  /** The grabbable object whose bounds `point` is inside or nearest to (within NEAR_GRAB_MARGIN). */
  nearestGrabbable(point: Vector3): ObjectId | undefined {
    let best: ObjectId | undefined;
    let bestDistance = NEAR_GRAB_MARGIN;
    for (const id of this.registry.ids()) {
      const object = this.registry.get(id);
      if (!object) continue;
      if (object.userData.grabbable !== true || !visibleInWorld(object)) continue;
      object.updateWorldMatrix(true, true);
      box.setFromObject(object);
      if (box.isEmpty()) continue;
      box.getBoundingSphere(sphere);
      if (sphere.distanceToPoint(point) > NEAR_GRAB_MARGIN) continue;
      const distance = box.distanceToPoint(point);
      if (distance <= bestDistance) {
        bestDistance = distance;
        best = id;
      }
    }
    return best;
  }

  private sceneRoot(): Object3D | undefined {
    // The layer's root group stays for the page's life; look it up again only if it was replaced.
    if (this.root?.parent) return this.root;
    for (const id of this.registry.ids()) {
      let current = this.registry.get(id);
      while (current?.parent && current.name !== 'scene-root') current = current.parent;
      if (current?.name === 'scene-root') {
        this.root = current;
        return current;
      }
    }
    return undefined;
  }

  /** THROW2 surfaces: the floor (y = 0 within the room) and @collidable objects below (x, y, z). */
  surfaceBelow = (x: number, y: number, z: number): number => {
    let best = Math.hypot(x, z) <= this.bounds.floorRadius && y >= 0 ? 0 : Number.NEGATIVE_INFINITY;
    const collidables = this.collidables();
    if (collidables.length === 0) return best;
    this.raycaster.set(origin.set(x, y, z), down);
    this.raycaster.far = Number.POSITIVE_INFINITY;
    for (const hit of this.raycaster.intersectObjects(collidables, true)) {
      if (hit.point.y > best) best = hit.point.y;
      break;
    }
    return best;
  };

  /** LOCO3: the first @collidable surface on the segment from `from` to `to`, with its world normal. */
  segmentCast = (from: Vector3, to: Vector3, hit: { point: Vector3; normal: Vector3 }): boolean => {
    const collidables = this.collidables();
    if (collidables.length === 0) return false;
    const length = segment.subVectors(to, from).length();
    if (length === 0) return false;
    this.raycaster.set(from, segment.divideScalar(length));
    this.raycaster.far = length;
    const first = this.raycaster.intersectObjects(collidables, true)[0];
    if (!first) return false;
    hit.point.copy(first.point);
    if (first.face) hit.normal.copy(first.face.normal).transformDirection(first.object.matrixWorld);
    else hit.normal.set(0, 1, 0);
    return true;
  };

  /** Objects marked @collidable (TRAIT7), drawn; refreshed every COLLIDABLES_REFRESH_MS. */
  collidables(): Object3D[] {
    const now = performance.now();
    if (now - this.collidablesAt < COLLIDABLES_REFRESH_MS) return this.collidableCache;
    this.collidablesAt = now;
    const found: Object3D[] = [];
    for (const id of this.registry.ids()) {
      const object = this.registry.get(id);
      if (object?.userData.collidable === true && visibleInWorld(object)) found.push(object);
    }
    this.collidableCache = found;
    return found;
  }

  /** The GrabScene port of GrabCoordinator. */
  grabScene(): GrabScene {
    return {
      traits: (id) => {
        const object = this.registry.get(id);
        if (!object) return undefined;
        return { grabbable: this.grabbable(id), throwable: object.userData.throwable === true };
      },
      toTransform: (id, world) => {
        const object = this.registry.get(id);
        if (!object) return undefined;
        const parent = object.parent;
        parent?.updateWorldMatrix(true, false);
        const scale = this.runtime.view.get().model?.byId.get(id)?.transform.scale ?? object.scale.toArray();
        return worldToTransform(world, parent ? parent.matrixWorld : scratchMatrix.identity(), scale);
      },
      surfaceBelow: this.surfaceBelow,
      dispatch: this.dispatchEvent,
      lastStreamedPose: this.lastStreamed,
    };
  }
}
