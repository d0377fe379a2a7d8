/**
 * The room's size and scale for locomotion and throws (docs/interaction.md
 * LOCO4, LOCO6), from the scene's `environment` (docs/scene-runtime.md ENV5,
 * ENV7): the floor is y = 0 out to `floorRadius`; `scale` is the size of a
 * person in the room (2 = twice life size: eyes, steps and reach double).
 */
import type { EnvironmentSpec } from '../../scene/model/scene-model.ts';

export interface RoomBounds {
  /** Metres from the room's centre that people can stand and objects can land (the floor disc). */
  floorRadius: number;
  /** Person scale: XR origin scale, desktop eye height and speeds are multiplied by it. */
  scale: number;
}

const DEFAULT_FLOOR_RADIUS = 30;
export const DEFAULT_BOUNDS: RoomBounds = { floorRadius: DEFAULT_FLOOR_RADIUS, scale: 1 };

/** The bounds a scene's environment gives; the default room's without one. */
export function roomBounds(environment: EnvironmentSpec | undefined): RoomBounds {
  if (!environment) return DEFAULT_BOUNDS;
  return { floorRadius: environment.floorRadius, scale: environment.scale };
}
