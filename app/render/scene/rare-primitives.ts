/**
 * The primitives a room rarely draws, with the three.js classes only they use:
 * fetched by `primitive-geometry.ts` with the first scene that has one, not
 * before a room is interactive (docs/performance.md LOAD20). Each fits a 1 m box.
 */
import {
  type BufferGeometry,
  CapsuleGeometry,
  ConeGeometry,
  DodecahedronGeometry,
  OctahedronGeometry,
  RingGeometry,
  TetrahedronGeometry,
  TorusKnotGeometry,
} from 'three';

/** The primitives loaded on first use; `primitive-geometry.ts` has every other one. */
export type RarePrimitive = 'cone' | 'ring' | 'capsule' | 'tetrahedron' | 'octahedron' | 'dodecahedron' | 'torusknot';

export const RARE_FACTORIES: Record<RarePrimitive, () => BufferGeometry> = {
  cone: () => new ConeGeometry(0.5, 1, 32),
  ring: () => new RingGeometry(0.25, 0.5, 48).rotateX(-Math.PI / 2),
  capsule: () => new CapsuleGeometry(0.25, 0.5, 8, 16),
  tetrahedron: () => new TetrahedronGeometry(0.5),
  octahedron: () => new OctahedronGeometry(0.5),
  dodecahedron: () => new DodecahedronGeometry(0.5),
  torusknot: () => new TorusKnotGeometry(0.3, 0.1, 128, 16),
};

/** Their lighter forms for objects small on the screen (DRAW4, primitive-geometry.ts). */
export const RARE_LOW_DETAIL: Partial<Record<RarePrimitive, () => BufferGeometry>> = {
  cone: () => new ConeGeometry(0.5, 1, 12),
  ring: () => new RingGeometry(0.25, 0.5, 16).rotateX(-Math.PI / 2),
  capsule: () => new CapsuleGeometry(0.25, 0.5, 3, 8),
  torusknot: () => new TorusKnotGeometry(0.3, 0.1, 48, 6),
};
