/**
 * Limits that protect the renderer from a script (written by anyone in the
 * room). Each has a rule id in docs/scene-runtime.md; when a script runs into
 * one, the model keeps what fits (in script order) and carries a LimitNotice
 * the room shows.
 */

/** LIMIT1: nodes drawn (objects, groups, lights, labels, models); the rest of the script is not drawn. */
export const MAX_SCENE_NODES = 1_000;

/** LIMIT2: nesting of groups and objects; deeper blocks are skipped. */
export const MAX_NESTING = 16;

/** LIMIT3: a model file's size; larger downloads are stopped. */
export const MAX_MODEL_BYTES = 16 * 1024 * 1024;

/** LIMIT3: triangles in one loaded model. */
export const MAX_MODEL_TRIANGLES = 500_000;

/** LIMIT4: lights other than ambient/hemisphere (each costs every pixel of every object). */
export const MAX_LIGHTS = 8;

/** LIMIT5: `using` chains (a template using a template ...). */
export const MAX_TEMPLATE_DEPTH = 8;

/** LIMIT6: objects made by `spawn` that the room keeps at once. */
export const MAX_SPAWNED = 64;

/** LIMIT7: characters in one text label. */
export const MAX_TEXT_CHARS = 500;

/** Warnings kept per model; the rest are counted (RT1). */
export const MAX_WARNINGS = 200;

/** Sizes and positions beyond this (metres) are clamped, so one typo cannot blow up the view. */
export const MAX_COORDINATE = 10_000;
