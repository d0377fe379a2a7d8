/**
 * DESK5 (docs/interaction.md): dragging an object with a mouse or a finger.
 * A press on a @grabbable grabs it at the point pressed; while the pointer
 * moves, that point slides on a plane through it: the horizontal plane (the
 * object moves over the floor), or with Shift the vertical plane facing the
 * viewer (it moves up and down and sideways). The grab itself is a
 * GrabCoordinator hold whose "hand" is the point on the plane, so ownership,
 * streaming and release are the same as in a headset.
 */
import { type Plane, type Ray, Vector3 } from 'three';

export type DragMode = 'horizontal' | 'vertical';

/** Farther than this from the viewer the plane is nearly edge-on: the object stays where it was. */
export const MAX_DRAG_DISTANCE = 60;

const normal = new Vector3();

/** The plane through `point` for `mode`; `viewForward` is where the viewer looks. */
export function dragPlane(mode: DragMode, point: Vector3, viewForward: Vector3, out: Plane): Plane {
  if (mode === 'horizontal') normal.set(0, 1, 0);
  else {
    normal.set(viewForward.x, 0, viewForward.z);
    if (normal.lengthSq() < 1e-9) normal.set(0, 0, 1);
    normal.normalize();
  }
  return out.setFromNormalAndCoplanarPoint(normal, point);
}

/**
 * Where the pointer's ray meets the plane, in `out`; false when it does not
 * (parallel, behind the viewer, or beyond MAX_DRAG_DISTANCE).
 */
export function dragPoint(ray: Ray, plane: Plane, out: Vector3): boolean {
  if (ray.intersectPlane(plane, out) === null) return false;
  return out.distanceTo(ray.origin) <= MAX_DRAG_DISTANCE;
}
