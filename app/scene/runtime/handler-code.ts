/**
 * The code that runs a scene's handlers: the interpreter (INT1-INT12) and the
 * writes of what a handler changed (INT4). `SceneRuntime` imports this module
 * on first use, after the room is interactive or with the first event that has
 * a handler, so a room's first frame never waits for it (docs/performance.md
 * LOAD19).
 */
export { dispatchEvent } from '../interpreter/interpreter.ts';
export { applyEffects } from './apply-effects.ts';
