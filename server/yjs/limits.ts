/** Limits of the room sync endpoint (rule ids in room-sync.ts and live-room.ts). */
import { MAX_UPDATE_BYTES } from '../../app/sync/doc/limits.ts';
import type { LiveRoomOptions } from './live-room.ts';

export interface RoomSyncLimits extends LiveRoomOptions {
  /** RS1: one update plus its framing. */
  maxFrameBytes: number;
  /** RS2: messages per second per socket, with a burst for the join handshake. */
  messagesPerSecond: number;
  messageBurst: number;
  /** RS2: bytes per second per socket; the burst admits one full-size update. */
  bytesPerSecond: number;
  byteBurst: number;
  /** RS6 */
  maxSockets: number;
  maxSocketsPerRoom: number;
  maxLiveRooms: number;
  maxRoomsPerAddress: number;
  /** RS7: ping interval; a socket silent for two intervals is dropped. Also how often idle rooms are checked. */
  heartbeatMs: number;
  /** How long a room with nobody in it stays in memory before it is compacted and unloaded. */
  unloadAfterMs: number;
}

export const DEFAULT_ROOM_SYNC_LIMITS: RoomSyncLimits = {
  maxFrameBytes: MAX_UPDATE_BYTES + 64,
  // Typing, cursor moves and presence renewals: ~30/s for a fast typist; bursts on join.
  messagesPerSecond: 100,
  messageBurst: 400,
  bytesPerSecond: 1024 * 1024,
  byteBurst: MAX_UPDATE_BYTES * 2,
  maxSockets: 5_000,
  maxSocketsPerRoom: 64,
  maxLiveRooms: 1_000,
  // Distinct rooms, not sockets: people behind one NAT (an office, a school) share an address.
  maxRoomsPerAddress: 32,
  heartbeatMs: 30_000,
  unloadAfterMs: 60_000,
  compactAfterUpdates: 500,
  compactAfterBytes: 1024 * 1024,
  maxRoomBytes: 32 * 1024 * 1024,
};
