// The primitives' shared geometries: the lobby's at once, the rarer ones once their classes have loaded (LOAD20).
import { Box3, Vector3 } from 'three';
import { expect, it } from 'vitest';
import { PRIMITIVES } from '../../scene/model/scene-model.ts';
import { loadRarePrimitives, lowDetailGeometry, primitiveGeometry } from './primitive-geometry.ts';

const LOBBY = ['box', 'sphere', 'cylinder', 'icosahedron'] as const;
const RARE = ['cone', 'ring', 'capsule', 'tetrahedron', 'octahedron', 'dodecahedron', 'torusknot'] as const;

it("[LOAD20] the lobby's primitives are there at once, the rarer ones once their classes have loaded; every one about a 1 m box", async () => {
  for (const primitive of LOBBY) expect(primitiveGeometry(primitive), primitive).toBeDefined();
  for (const primitive of RARE) expect(primitiveGeometry(primitive), primitive).toBeUndefined();
  // Their lighter forms (DRAW4) come with them, not before.
  expect(lowDetailGeometry('cone')).toBeNull();
  expect(await loadRarePrimitives()).toBeDefined();
  const size = new Vector3();
  for (const primitive of PRIMITIVES) {
    const geometry = primitiveGeometry(primitive);
    expect(geometry, primitive).toBeDefined();
    // One shared geometry per primitive.
    expect(primitiveGeometry(primitive)).toBe(geometry);
    geometry?.computeBoundingBox();
    (geometry?.boundingBox ?? new Box3()).getSize(size);
    // About 1 m: the torus knot's tube reaches a little past it (1.045 m).
    expect(Math.max(size.x, size.y, size.z), primitive).toBeGreaterThan(0.45);
    expect(Math.max(size.x, size.y, size.z), primitive).toBeLessThanOrEqual(1.05);
  }
});

it('[DRAW4] curved primitives, lobby and rare, have a lighter form with fewer vertices; flat-sided ones have none', async () => {
  await loadRarePrimitives();
  for (const primitive of ['sphere', 'cylinder', 'circle', 'torus', 'cone', 'ring', 'capsule', 'torusknot'] as const) {
    const low = lowDetailGeometry(primitive);
    const full = primitiveGeometry(primitive);
    expect(low, primitive).not.toBeNull();
    expect(low?.getAttribute('position').count, primitive).toBeLessThan(full?.getAttribute('position').count ?? 0);
  }
  for (const primitive of ['box', 'plane', 'tetrahedron'] as const)
    expect(lowDetailGeometry(primitive), primitive).toBeNull();
});
