import { Plane, Ray, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { dragPlane, dragPoint, MAX_DRAG_DISTANCE } from './drag-plane.ts';

describe('drag plane', () => {
  const eye = new Vector3(0, 1.7, 5);
  const rayTo = (x: number, y: number, z: number) => new Ray(eye.clone(), new Vector3(x, y, z).sub(eye).normalize());

  it('[DESK5] horizontal: the pressed point slides over the floor at its own height', () => {
    const plane = dragPlane('horizontal', new Vector3(0, 1, 0), new Vector3(0, 0, -1), new Plane());
    const out = new Vector3();
    expect(dragPoint(rayTo(1, 1, -1), plane, out)).toBe(true);
    expect(out.y).toBeCloseTo(1);
    expect(out.x).toBeCloseTo(1);
    expect(out.z).toBeCloseTo(-1);
  });

  it('[DESK5] vertical (Shift): the point moves up and sideways on the plane facing the viewer', () => {
    const plane = dragPlane('vertical', new Vector3(0, 1, 0), new Vector3(0, -0.3, -1).normalize(), new Plane());
    const out = new Vector3();
    expect(dragPoint(rayTo(0.5, 2, 0), plane, out)).toBe(true);
    expect(out.z).toBeCloseTo(0);
    expect(out.y).toBeCloseTo(2);
  });

  it('[DESK5] a ray that misses the plane, or meets it too far away, leaves the object where it is', () => {
    const plane = dragPlane('horizontal', new Vector3(0, 1, 0), new Vector3(0, 0, -1), new Plane());
    const out = new Vector3();
    // Looking up: the plane below is behind the ray.
    expect(dragPoint(new Ray(eye.clone(), new Vector3(0, 1, 0)), plane, out)).toBe(false);
    // Almost level: the hit is beyond the limit.
    const grazing = new Ray(eye.clone(), new Vector3(0, -0.001, -1).normalize());
    expect(dragPoint(grazing, plane, out)).toBe(false);
    expect(MAX_DRAG_DISTANCE).toBeLessThan(700);
  });
});
