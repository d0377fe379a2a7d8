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

/**
 * Parts (values, list items, record entries) of one value a handler stores.
 * Lists may hold each other (`[a, a, a]`), so a value built in a few steps can
 * stand for millions of numbers: storing it costs a step per part, and past
 * this many it is a fault (INT10).
 */
export const MAX_STORED_PARTS = 10_000;

/**
 * Bytes (JSON) of everything one event writes to the room document (INT10):
 * well below the 4 MiB a peer or the server accepts as one update (CAP3), so
 * a handler's change is never an update the others refuse.
 */
export const MAX_EFFECT_BYTES = 256 * 1024;
