import { Euler, Quaternion, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { type ListenerLike, placeListener, placeSource, type SourceLike } from './placement.ts';

const param = (value = 0) => ({ value });
const source = (): SourceLike => ({
  positionX: param(),
  positionY: param(),
  positionZ: param(),
  orientationX: param(1),
  orientationY: param(),
  orientationZ: param(),
});
const listener = (): ListenerLike => ({
  positionX: param(),
  positionY: param(),
  positionZ: param(),
  forwardX: param(),
  forwardY: param(),
  forwardZ: param(-1),
  upX: param(),
  upY: param(1),
  upZ: param(),
});

describe('voice placement', () => {
  it('[VOICE10] a voice sits at the head and points where the face looks (-Z of the head)', () => {
    const panner = source();
    const turned = new Quaternion().setFromEuler(new Euler(0, Math.PI / 2, 0)); // turned left: looks down -X
    placeSource(panner, new Vector3(1, 1.6, -2), turned);
    expect([panner.positionX.value, panner.positionY.value, panner.positionZ.value]).toEqual([1, 1.6, -2]);
    expect(panner.orientationX.value).toBeCloseTo(-1);
    expect(panner.orientationY.value).toBeCloseTo(0);
    expect(panner.orientationZ.value).toBeCloseTo(0);
  });

  it('[VOICE10] the listener takes the camera: forward -Z and up +Y rotated with it, for any rotation', () => {
    const ears = listener();
    for (let i = 0; i < 50; i++) {
      const rotation = new Quaternion().setFromEuler(new Euler(i * 0.37, i * 1.13, i * 0.71)).normalize();
      const position = new Vector3(i, -i / 2, i * 3);
      placeListener(ears, position, rotation);
      const forward = new Vector3(0, 0, -1).applyQuaternion(rotation);
      const up = new Vector3(0, 1, 0).applyQuaternion(rotation);
      expect(ears.positionX.value).toBe(position.x);
      expect(ears.positionZ.value).toBe(position.z);
      expect(ears.forwardX.value).toBeCloseTo(forward.x, 10);
      expect(ears.forwardY.value).toBeCloseTo(forward.y, 10);
      expect(ears.forwardZ.value).toBeCloseTo(forward.z, 10);
      expect(ears.upX.value).toBeCloseTo(up.x, 10);
      expect(ears.upY.value).toBeCloseTo(up.y, 10);
      expect(ears.upZ.value).toBeCloseTo(up.z, 10);
    }
  });

  it('[VOICE10] writes a parameter only when its value changed', () => {
    let writes = 0;
    let x = 0;
    const counted = source();
    Object.defineProperty(counted, 'positionX', {
      value: {
        get value() {
          return x;
        },
        set value(v: number) {
          writes++;
          x = v;
        },
      },
    });
    const still = new Quaternion();
    placeSource(counted, new Vector3(3, 0, 0), still);
    placeSource(counted, new Vector3(3, 0, 0), still);
    expect(writes).toBe(1);
  });
});
