import { Euler, Matrix4, Quaternion, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { composePose, createPose, relativePose, transformToLocalPose, worldToTransform } from './pose.ts';

const DEG = Math.PI / 180;

describe('poses', () => {
  it('relativePose undoes composePose', () => {
    const hand = {
      position: new Vector3(1, 1.2, -0.5),
      quaternion: new Quaternion().setFromEuler(new Euler(0.3, 1, -0.2)),
    };
    const object = {
      position: new Vector3(1.1, 1.0, -0.8),
      quaternion: new Quaternion().setFromEuler(new Euler(0, 0.5, 0)),
    };
    const offset = relativePose(createPose(), hand, object);
    const back = composePose(createPose(), hand, offset);
    expect(back.position.distanceTo(object.position)).toBeLessThan(1e-9);
    expect(back.quaternion.angleTo(object.quaternion)).toBeLessThan(1e-6);
  });

  it('[MERGE1] a world pose becomes a transform relative to the parent, in degrees, keeping the node scale', () => {
    // Parent: at (2, 0, 0), turned 90° about y, scaled 2.
    const parent = new Matrix4().compose(
      new Vector3(2, 0, 0),
      new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), 90 * DEG),
      new Vector3(2, 2, 2),
    );
    const world = {
      position: new Vector3(2, 1, -2),
      quaternion: new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), 120 * DEG),
    };
    const transform = worldToTransform(world, parent, [0.5, 0.5, 0.5]);
    // -2 z in the world is +x of the turned parent; the parent's scale halves distances.
    expect(transform?.position).toEqual([1, 0.5, 0]);
    expect(transform?.rotation).toEqual([0, 30, 0]);
    expect(transform?.scale).toEqual([0.5, 0.5, 0.5]);
    // And back.
    const local = transformToLocalPose(transform as NonNullable<typeof transform>, createPose());
    expect(local.quaternion.angleTo(new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), 30 * DEG))).toBeLessThan(
      1e-6,
    );
  });

  it('a degenerate parent gives no transform instead of NaN', () => {
    const world = { position: new Vector3(1, 1, 1), quaternion: new Quaternion() };
    expect(worldToTransform(world, new Matrix4().makeScale(0, 0, 0), [1, 1, 1])).toBeUndefined();
  });
});
