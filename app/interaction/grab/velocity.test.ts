import { Quaternion, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { MAX_SPIN, MAX_THROW_SPEED, THROW_WINDOW_MS, VelocityTracker } from './velocity.ts';

const identity = new Quaternion();

function track(samples: [number, number, number, number][], rotation = (_t: number) => identity) {
  const tracker = new VelocityTracker();
  for (const [t, x, y, z] of samples) tracker.add(t, new Vector3(x, y, z), rotation(t));
  const linear = new Vector3();
  const angular = new Vector3();
  tracker.estimate(linear, angular);
  return { linear, angular };
}

/** A seeded generator, so the noisy samples are the same every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('VelocityTracker', () => {
  it('[THROW1] is the slope of the recent positions, robust to one jittery frame', () => {
    const random = seeded(7);
    // 3 m/s along x, 1 m/s up, with ±2 mm tracking noise, sampled at an uneven ~72 Hz.
    const samples: [number, number, number, number][] = [];
    let t = 0;
    for (let i = 0; i < 20; i++) {
      t += 12 + random() * 4;
      const noise = () => (random() - 0.5) * 0.004;
      samples.push([t, (3 * t) / 1000 + noise(), 1 + t / 1000 + noise(), noise()]);
    }
    const { linear } = track(samples);
    expect(linear.x).toBeCloseTo(3, 0);
    expect(Math.abs(linear.x - 3)).toBeLessThan(0.15);
    expect(Math.abs(linear.y - 1)).toBeLessThan(0.15);
    expect(Math.abs(linear.z)).toBeLessThan(0.15);
  });

  it('[THROW1] only the last THROW_WINDOW_MS count: a hand that stopped has stopped', () => {
    const samples: [number, number, number, number][] = [];
    for (let t = 0; t <= 300; t += 10) samples.push([t, t < 150 ? t / 100 : 1.5, 1, 0]);
    expect(track(samples).linear.length()).toBeCloseTo(0, 6);
    expect(THROW_WINDOW_MS).toBeLessThan(150);
  });

  it('[THROW1] speed and spin are capped', () => {
    const fast = track([
      [0, 0, 0, 0],
      [10, 5, 0, 0],
    ]);
    expect(fast.linear.length()).toBeCloseTo(MAX_THROW_SPEED);
    const spinning = track(
      [
        [0, 0, 0, 0],
        [10, 0, 0, 0],
        [20, 0, 0, 0],
      ],
      (t) => new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), t * 0.1),
    );
    expect(spinning.angular.length()).toBeCloseTo(MAX_SPIN);
  });

  it('[THROW1] spin is the rotation over the window, about its axis', () => {
    // Half a turn per second about +y.
    const { angular } = track(
      [
        [0, 0, 0, 0],
        [50, 0, 0, 0],
        [100, 0, 0, 0],
      ],
      (t) => new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), (Math.PI * t) / 1000),
    );
    expect(angular.y).toBeCloseTo(Math.PI, 3);
    expect(Math.abs(angular.x) + Math.abs(angular.z)).toBeLessThan(1e-6);
  });

  it('needs two samples; a repeated time replaces the last sample', () => {
    expect(track([[0, 1, 1, 1]]).linear.length()).toBe(0);
    expect(
      track([
        [0, 0, 0, 0],
        [10, 9, 9, 9],
        [10, 0.01, 0, 0],
      ]).linear.x,
    ).toBeCloseTo(1);
  });
});
