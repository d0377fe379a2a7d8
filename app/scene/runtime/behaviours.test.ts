// Per-frame behaviours on real three.js objects (Node): what each animation
// writes, and that removing one leaves the list consistent.
import { MeshStandardMaterial, Object3D } from 'three';
import { describe, expect, it } from 'vitest';
import type { LocalTransform } from '../model/scene-model.ts';
import { Behaviours } from './behaviours.ts';

const base: LocalTransform = { position: [1, 2, 3], rotation: [0, 90, 0], scale: [1, 1, 1] };

describe('behaviours', () => {
  it('[TRAIT2] spin turns around the axis at degrees per second from the script rotation', () => {
    const behaviours = new Behaviours();
    const object = new Object3D();
    behaviours.addMotion('a', object, base, { kind: 'spin', axis: 'y', speed: 45, amplitude: 0 });
    behaviours.tick(2);
    expect(object.rotation.y).toBeCloseTo(((90 + 90) * Math.PI) / 180);
    expect(object.position.toArray()).toEqual([0, 0, 0]);
  });

  it('[TRAIT2] bob moves within the amplitude around the script position; pulse scales', () => {
    const behaviours = new Behaviours();
    // React has already placed the objects where the script says.
    const bobbing = new Object3D();
    bobbing.position.set(...base.position);
    const pulsing = new Object3D();
    behaviours.addMotion('b', bobbing, base, { kind: 'bob', axis: 'y', speed: 0.5, amplitude: 0.1 });
    behaviours.addMotion('c', pulsing, base, { kind: 'pulse', axis: 'y', speed: 1, amplitude: 0.2 });
    for (let t = 0; t < 4; t += 0.13) {
      behaviours.tick(t);
      expect(Math.abs(bobbing.position.y - 2)).toBeLessThanOrEqual(0.1 + 1e-9);
      expect(bobbing.position.x).toBe(1);
      expect(pulsing.scale.x).toBeGreaterThanOrEqual(0.8 - 1e-9);
      expect(pulsing.scale.x).toBeLessThanOrEqual(1.2 + 1e-9);
    }
  });

  it('[TRAIT1] glow pulses between 70 % and 100 % of its resting intensity', () => {
    const behaviours = new Behaviours();
    const material = new MeshStandardMaterial({ emissiveIntensity: 2 });
    behaviours.addGlow('g', material, 2, 1);
    const seen: number[] = [];
    for (let t = 0; t < 2; t += 0.05) {
      behaviours.tick(t);
      seen.push(material.emissiveIntensity);
    }
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(1.4 - 1e-9);
    expect(Math.max(...seen)).toBeLessThanOrEqual(2 + 1e-9);
    expect(Math.max(...seen) - Math.min(...seen)).toBeGreaterThan(0.4);
  });

  it('removing an entry stops it and keeps the others running', () => {
    const behaviours = new Behaviours();
    const a = new Object3D();
    const b = new Object3D();
    const removeA = behaviours.addMotion('a', a, base, { kind: 'spin', axis: 'y', speed: 10, amplitude: 0 });
    behaviours.addMotion('b', b, base, { kind: 'spin', axis: 'x', speed: 10, amplitude: 0 });
    removeA();
    removeA();
    expect(behaviours.size).toBe(1);
    behaviours.tick(1);
    expect(a.rotation.y).toBe(0);
    expect(b.rotation.x).toBeCloseTo((10 * Math.PI) / 180);
  });
});
