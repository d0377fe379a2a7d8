/**
 * The scene's batched drawing (docs/performance.md DRAW2-DRAW4) and the shadow cache (DRAW3): one
 * chunk, loaded once the room is interactive (LOAD24). The first frames draw every object as its own
 * mesh, as `?draw=plain` does; then the scene layer switches to batches in one React commit.
 * Nothing here imports the room's own modules (LOAD20): what it needs from them is handed in.
 */
export { MeshBatches } from './scene/mesh-batches.ts';
export { cacheShadows } from './shadow-cache.ts';
