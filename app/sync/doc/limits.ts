/**
 * Size limits for a room's shared state, shared by the client and the server
 * so both judge the same update the same way (rule ids: docs/room-doc.md).
 */

/** CAP1: the scene script's cap in UTF-16 code units (1 MB of ASCII). */
export const SCRIPT_MAX_CHARS = 1_000_000;

/** CAP2: the cap on per-object runtime state entries in a room. */
export const MAX_OBJECT_STATES = 2_000;

/**
 * CAP3: the largest single Yjs update accepted from a peer or the server.
 * A full-state update of a room at both caps is about 1.2 MB, so 4 MiB leaves
 * room for undo history a peer may keep and still stops a flood.
 */
export const MAX_UPDATE_BYTES = 4 * 1024 * 1024;

/** CAP3: the largest awareness (presence) update accepted. */
export const MAX_AWARENESS_BYTES = 64 * 1024;

/** CAP3: the most client entries one awareness update may carry. */
export const MAX_AWARENESS_ENTRIES = 512;

/** CAP3: presence states are small records; deeper nesting is refused before it is stored or re-encoded. */
export const MAX_PRESENCE_JSON_DEPTH = 16;

/**
 * CAP5: the most structs one update may carry. A full room at both caps,
 * typed by a few people, is a few tens of thousands.
 */
export const MAX_UPDATE_STRUCTS = 200_000;

/** CAP5: the most distinct client ids (authors) one update may carry. */
export const MAX_UPDATE_CLIENTS = 10_000;

/**
 * CAP6: what a remote update may make of the room. Local writes stop at the
 * soft caps (CAP1, CAP2); peers racing each other may pass them together and
 * still converge, so remote updates are refused only past twice the caps,
 * which no honest race reaches and every hostile flood does.
 */
export const SCRIPT_HARD_MAX_CHARS = 2 * SCRIPT_MAX_CHARS;
export const OBJECT_STATES_HARD_MAX = 2 * MAX_OBJECT_STATES;
