/**
 * One shared BufferGeometry per primitive, each fitting a 1 m box, so a
 * node's `size` and `scale` are plain scale factors and a thousand boxes are
 * one geometry on the GPU. Flat primitives (plane, circle, ring) lie on the
 * floor (XZ) facing up, like the floors scripts describe with `plane`.
 * Never disposed: they live as long as the page.
 */
import {
  BoxGeometry,
  type BufferGeometry,
  CapsuleGeometry,
  CircleGeometry,
  ConeGeometry,
  CylinderGeometry,
  DodecahedronGeometry,
  IcosahedronGeometry,
  OctahedronGeometry,
  PlaneGeometry,
  RingGeometry,
  SphereGeometry,
  TetrahedronGeometry,
  TorusGeometry,
  TorusKnotGeometry,
} from 'three';
import type { Primitive } from '../../scene/model/scene-model.ts';

const FACTORIES: Record<Primitive, () => BufferGeometry> = {
  box: () => new BoxGeometry(1, 1, 1),
  sphere: () => new SphereGeometry(0.5, 32, 16),
  cylinder: () => new CylinderGeometry(0.5, 0.5, 1, 32),
  cone: () => new ConeGeometry(0.5, 1, 32),
  plane: () => new PlaneGeometry(1, 1).rotateX(-Math.PI / 2),
  circle: () => new CircleGeometry(0.5, 48).rotateX(-Math.PI / 2),
  ring: () => new RingGeometry(0.25, 0.5, 48).rotateX(-Math.PI / 2),
  torus: () => new TorusGeometry(0.35, 0.15, 16, 48),
  capsule: () => new CapsuleGeometry(0.25, 0.5, 8, 16),
  tetrahedron: () => new TetrahedronGeometry(0.5),
  octahedron: () => new OctahedronGeometry(0.5),
  dodecahedron: () => new DodecahedronGeometry(0.5),
  icosahedron: () => new IcosahedronGeometry(0.5),
  torusknot: () => new TorusKnotGeometry(0.3, 0.1, 128, 16),
};

/**
 * DRAW4: the same primitives with fewer segments, for objects that are small on the screen
 * (mesh-batches.ts draws an object this way while its bounds span fewer than LOW_DETAIL_PIXELS).
 * Primitives without curved sides have no lighter form.
 */
const LOW_DETAIL: Partial<Record<Primitive, () => BufferGeometry>> = {
  sphere: () => new SphereGeometry(0.5, 12, 8),
  cylinder: () => new CylinderGeometry(0.5, 0.5, 1, 12),
  cone: () => new ConeGeometry(0.5, 1, 12),
  circle: () => new CircleGeometry(0.5, 16).rotateX(-Math.PI / 2),
  ring: () => new RingGeometry(0.25, 0.5, 16).rotateX(-Math.PI / 2),
  torus: () => new TorusGeometry(0.35, 0.15, 8, 16),
  capsule: () => new CapsuleGeometry(0.25, 0.5, 3, 8),
  torusknot: () => new TorusKnotGeometry(0.3, 0.1, 48, 6),
};

const cache = new Map<Primitive, BufferGeometry>();
const lowDetailCache = new Map<Primitive, BufferGeometry>();

export function primitiveGeometry(primitive: Primitive): BufferGeometry {
  let geometry = cache.get(primitive);
  if (!geometry) {
    geometry = FACTORIES[primitive]();
    cache.set(primitive, geometry);
  }
  return geometry;
}

/** Flat primitives are seen from both sides. */
export function isFlat(primitive: Primitive): boolean {
  return primitive === 'plane' || primitive === 'circle' || primitive === 'ring';
}

/** The primitive with fewer segments (DRAW4), or null if it has no lighter form. Shared, never disposed. */
export function lowDetailGeometry(primitive: Primitive): BufferGeometry | null {
  const factory = LOW_DETAIL[primitive];
  if (!factory) return null;
  let geometry = lowDetailCache.get(primitive);
  if (!geometry) {
    geometry = factory();
    lowDetailCache.set(primitive, geometry);
  }
  return geometry;
}
