/**
 * One shared BufferGeometry per primitive, each fitting a 1 m box, so a
 * node's `size` and `scale` are plain scale factors and a thousand boxes are
 * one geometry on the GPU. Flat primitives (plane, circle, ring) lie on the
 * floor (XZ) facing up, like the floors scripts describe with `plane`.
 * Never disposed: they live as long as the page.
 *
 * The lobby's primitives, and those whose classes the room registers anyway
 * (three-catalogue.ts), are here; the others load with the first scene that
 * has one (`rare-primitives.ts`, docs/performance.md LOAD20): until then
 * `primitiveGeometry` returns undefined and `usePrimitiveGeometry` draws the
 * node once its class has arrived.
 *
 * @example
 *   const geometry = usePrimitiveGeometry(node.geometry); // undefined for a moment for a torus knot
 */
import { useEffect, useReducer } from 'react';
import {
  BoxGeometry,
  type BufferGeometry,
  CircleGeometry,
  CylinderGeometry,
  IcosahedronGeometry,
  PlaneGeometry,
  SphereGeometry,
  TorusGeometry,
} from 'three';
import type { Primitive } from '../../scene/model/scene-model.ts';
import type { RarePrimitive } from './rare-primitives.ts';

const FACTORIES: Record<Exclude<Primitive, RarePrimitive>, () => BufferGeometry> = {
  box: () => new BoxGeometry(1, 1, 1),
  sphere: () => new SphereGeometry(0.5, 32, 16),
  cylinder: () => new CylinderGeometry(0.5, 0.5, 1, 32),
  plane: () => new PlaneGeometry(1, 1).rotateX(-Math.PI / 2),
  circle: () => new CircleGeometry(0.5, 48).rotateX(-Math.PI / 2),
  torus: () => new TorusGeometry(0.35, 0.15, 16, 48),
  icosahedron: () => new IcosahedronGeometry(0.5),
};

type RareFactories = Record<RarePrimitive, () => BufferGeometry>;
let rare: RareFactories | undefined;
let rareLowDetail: Partial<RareFactories> | undefined;
let rareLoad: Promise<RareFactories | undefined> | undefined;

/** Fetches the rare primitives' classes (LOAD20); resolves undefined when they could not load. */
export function loadRarePrimitives(): Promise<RareFactories | undefined> {
  rareLoad ??= import('./rare-primitives.ts').then(
    (module) => {
      rare = module.RARE_FACTORIES;
      rareLowDetail = module.RARE_LOW_DETAIL;
      return rare;
    },
    (error: unknown) => {
      // The service worker precaches the chunk, so this is a first visit that lost its network.
      console.error(`holoroom: the scene's rarer shapes could not load: ${String(error)}`);
      rareLoad = undefined;
      return undefined;
    },
  );
  return rareLoad;
}

/**
 * DRAW4: the same primitives with fewer segments, for objects that are small on the screen
 * (mesh-batches.ts draws an object this way while its bounds span fewer than LOW_DETAIL_PIXELS).
 * Primitives without curved sides have no lighter form; the rare ones' lighter forms load with
 * them (rare-primitives.ts).
 */
const LOW_DETAIL: Partial<Record<Primitive, () => BufferGeometry>> = {
  sphere: () => new SphereGeometry(0.5, 12, 8),
  cylinder: () => new CylinderGeometry(0.5, 0.5, 1, 12),
  circle: () => new CircleGeometry(0.5, 16).rotateX(-Math.PI / 2),
  torus: () => new TorusGeometry(0.35, 0.15, 8, 16),
};

const cache = new Map<Primitive, BufferGeometry>();
const lowDetailCache = new Map<Primitive, BufferGeometry>();

/** The shared geometry of `primitive`; undefined for a rare one whose class has not loaded yet. */
export function primitiveGeometry(primitive: Primitive): BufferGeometry | undefined {
  let geometry = cache.get(primitive);
  if (geometry) return geometry;
  const factory =
    primitive in FACTORIES
      ? FACTORIES[primitive as Exclude<Primitive, RarePrimitive>]
      : rare?.[primitive as RarePrimitive];
  if (!factory) return undefined;
  geometry = factory();
  cache.set(primitive, geometry);
  return geometry;
}

/** `primitiveGeometry` in a component: loads a rare primitive's class and draws again once it has arrived. */
export function usePrimitiveGeometry(primitive: Primitive): BufferGeometry | undefined {
  const [, arrived] = useReducer((count: number) => count + 1, 0);
  const geometry = primitiveGeometry(primitive);
  useEffect(() => {
    if (geometry) return;
    let live = true;
    void loadRarePrimitives().then(() => {
      if (live) arrived();
    });
    return () => {
      live = false;
    };
  }, [geometry]);
  return geometry;
}

/** Flat primitives are seen from both sides. */
export function isFlat(primitive: Primitive): boolean {
  return primitive === 'plane' || primitive === 'circle' || primitive === 'ring';
}

/** The primitive with fewer segments (DRAW4), or null if it has no lighter form. Shared, never disposed. */
export function lowDetailGeometry(primitive: Primitive): BufferGeometry | null {
  const factory = LOW_DETAIL[primitive] ?? rareLowDetail?.[primitive as RarePrimitive];
  if (!factory) return null;
  let geometry = lowDetailCache.get(primitive);
  if (!geometry) {
    geometry = factory();
    lowDetailCache.set(primitive, geometry);
  }
  return geometry;
}
