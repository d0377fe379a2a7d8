/**
 * Bounds on one event's handler run (docs/scene-runtime.md INT5). A handler
 * that reaches one stops with a fault and changes nothing.
 */

/** Steps (expressions, statements, calls) one event may take. */
export const STEP_BUDGET = 10_000;

/** Handler-to-method calls nested at once (recursion stops here). */
export const MAX_CALL_DEPTH = 16;

/** Length of a string a handler builds. */
export const MAX_STRING_LENGTH = 10_000;

/** Length of a list a handler builds or stores. */
export const MAX_ARRAY_LENGTH = 1_000;

/** Changes (state, properties, transforms, spawns) one event may make. */
export const MAX_WRITES = 64;

/** Sounds one event may start. */
export const MAX_SOUNDS = 4;

/** Log lines kept per event. */
export const MAX_LOGS = 20;
