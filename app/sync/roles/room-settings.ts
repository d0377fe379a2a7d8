/**
 * The owner's room settings (docs/roles.md ROLE11), apart from the entries
 * that carry them (owner-entries.ts) so the owner's panel can show the default
 * without loading the entries' code (docs/performance.md LOAD13).
 */

/** What the owner lets everyone in the room do (ROLE11); the latest settings entry decides. */
export interface RoomSettings {
  /** Viewers may grab and move shared objects (and nothing else). */
  viewersMayGrab: boolean;
}

export const DEFAULT_ROOM_SETTINGS: RoomSettings = { viewersMayGrab: false };
