/**
 * What a room loads with its first `@physics` body (docs/performance.md
 * LOAD15): who simulates which body (room-physics.ts, with the claim rules of
 * body-claims.ts and the scene as bodies and colliders, world-spec.ts) and
 * where the world runs (engine/hosts.ts, PHYS9). One module, so one chunk: the
 * room imports it dynamically (app/room/room-bodies.ts) and a room without
 * bodies never fetches it. The engine itself (Rapier) is a chunk of its own
 * again, loaded by the host (load-engine.ts, PHYS8).
 *
 * @example
 *   const { RoomPhysics, loadPhysicsHost } = await import('./physics-runtime.ts');
 *   const physics = new RoomPhysics({ ...ports, loadHost: loadPhysicsHost });
 */
export { loadPhysicsHost } from './engine/hosts.ts';
export { RoomPhysics } from './room-physics.ts';
