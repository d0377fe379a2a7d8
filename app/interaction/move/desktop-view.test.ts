import { Quaternion, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import {
  clampView,
  createView,
  keyboardMove,
  lookAt,
  lookDrag,
  MAX_PITCH_DEG,
  moveAlongView,
  panView,
  RUN_FACTOR,
  viewFromQuaternion,
  viewQuaternion,
  WALK_SPEED,
} from './desktop-view.ts';

const forwardOf = (view: ReturnType<typeof createView>) =>
  new Vector3(0, 0, -1).applyQuaternion(viewQuaternion(view, new Quaternion()));

describe('desktop view', () => {
  it('lookAt faces the target, and the quaternion round-trips through viewFromQuaternion', () => {
    const view = lookAt(createView(), [0, 1.7, 5], [0, 1, 0]);
    const forward = forwardOf(view);
    const expected = new Vector3(0, -0.7, -5).normalize();
    expect(forward.distanceTo(expected)).toBeLessThan(1e-9);
    const copy = createView();
    viewFromQuaternion(copy, view.position, viewQuaternion(view, new Quaternion()));
    expect(copy.yaw).toBeCloseTo(view.yaw);
    expect(copy.pitch).toBeCloseTo(view.pitch);
  });

  it('[DESK1] the world follows the pointer: dragging right turns left, dragging down looks up; pitch is bounded', () => {
    const view = createView();
    lookDrag(view, 100, 0, 60, 600);
    expect(view.yaw).toBeCloseTo((10 * Math.PI) / 180);
    expect(forwardOf(view).x).toBeLessThan(0);
    lookDrag(view, 0, 100, 60, 600);
    expect(forwardOf(view).y).toBeGreaterThan(0);
    lookDrag(view, 0, 100_000, 60, 600);
    expect(view.pitch).toBeCloseTo((MAX_PITCH_DEG * Math.PI) / 180);
  });

  it('[DESK2] WASD and the arrows walk level at WALK_SPEED; Shift runs; E/Q rise and sink; other keys do nothing', () => {
    const view = createView();
    view.pitch = 0.5;
    expect(keyboardMove(view, new Set(['KeyW']), 100, 1)).toBe(true);
    expect(view.position.z).toBeCloseTo(5 - WALK_SPEED * 0.1);
    expect(view.position.y).toBeCloseTo(1.7);
    keyboardMove(view, new Set(['ArrowRight', 'ShiftLeft']), 100, 1);
    expect(view.position.x).toBeCloseTo(WALK_SPEED * RUN_FACTOR * 0.1);
    keyboardMove(view, new Set(['KeyE']), 100, 1);
    expect(view.position.y).toBeCloseTo(1.7 + WALK_SPEED * 0.1);
    // Diagonals are not faster.
    const diagonal = createView();
    keyboardMove(diagonal, new Set(['KeyW', 'KeyA']), 100, 1);
    expect(Math.hypot(diagonal.position.x, diagonal.position.z - 5)).toBeCloseTo(WALK_SPEED * 0.1);
    expect(keyboardMove(view, new Set(['KeyX']), 100, 1)).toBe(false);
  });

  it('[DESK3] the wheel moves along the view; two fingers pan sideways and up', () => {
    const view = lookAt(createView(), [0, 1.7, 5], [0, 1.7, 0]);
    moveAlongView(view, 2);
    expect(view.position.z).toBeCloseTo(3);
    panView(view, 100, -100, 1);
    // The world follows the fingers: fingers right -> the view moves left; fingers up -> down.
    expect(view.position.x).toBeCloseTo(-1);
    expect(view.position.y).toBeCloseTo(0.7);
  });

  it('[DESK6] the view stays on the floor and within the height limits', () => {
    const view = createView();
    view.position.set(30, 100, 40);
    clampView(view, 25, 1);
    expect(Math.hypot(view.position.x, view.position.z)).toBeCloseTo(25);
    expect(view.position.y).toBe(50);
    view.position.y = -3;
    clampView(view, 25, 2);
    expect(view.position.y).toBeCloseTo(0.4);
  });
});
