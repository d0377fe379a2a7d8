/**
 * Limits of the room sync endpoint (rule ids in room-sync.ts, live-room.ts and
 * docs/security.md). The ones an operator sets come from the environment
 * (server/config.ts); the rest are constants here, each with its reason.
 */
import { MAX_UPDATE_BYTES } from '../../app/sync/doc/limits.ts';
import type { LiveRoomOptions } from './live-room.ts';
import type { HistoryPolicy } from './room-history.ts';

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
  /** RS7: ping interval; a socket silent for two intervals is dropped. */
  heartbeatMs: number;
  /** How long a room with nobody in it stays in memory before it is compacted and unloaded. */
  unloadAfterMs: number;
  /** SEC7 `SYNC_WORKERS`: shard worker threads. */
  workers: number;
  /** SEC7 `SYNC_WORK_TIMEOUT_MS`: longest one message may occupy its shard. */
  workTimeoutMs: number;
  /** SEC7: longest loading a room (a join) may take. */
  joinTimeoutMs: number;
  /** SEC7: how long an address that caused a shard restart may not open /sync sockets. */
  penaltyMs: number;
  /** SEC8: shard time per connection, sustained (ms per second) and burst (ms). */
  cpuMsPerSecond: number;
  cpuBurstMs: number;
  /** SEC8: the same per client address, over all its connections. */
  addressCpuMsPerSecond: number;
  addressCpuBurstMs: number;
  /**
   * SEC9: a socket with more unread bytes than this (besides one larger
   * message it is still reading: a big room for a late joiner) is dropped.
   */
  maxBufferedBytes: number;
  /** SEC9: unread bytes of all sync sockets together; the largest queues are dropped beyond it. */
  maxTotalBufferedBytes: number;
  /** SEC9: messages of one connection waiting for its shard before the server stops reading from it. */
  maxQueuedMessages: number;
  /** SEC11 `MEMORY_BUDGET_MB`: memory all live rooms may take (estimated, live-room.ts IN_MEMORY_FACTOR). */
  memoryBudgetBytes: number;
  /** SEC12 `DISK_QUOTA_MB`: bytes all stored rooms may take. */
  diskQuotaBytes: number;
  /** SEC12, tests only: SQLite's page cap, to make the disk "full". */
  sqliteMaxPageCount?: number;
  /** SEC13 `ROOM_RETENTION_DAYS`, in ms (0: keep forever). */
  retentionMs: number;
  /** SEC13: how often each shard looks for rooms past retention. */
  retentionSweepMs: number;
  /** SEC15: how long the holder of a contested presence id has to answer a ping. */
  claimChallengeMs: number;
  /** ROLE5 (docs/roles.md): how long a connection to a protected room may take to prove a role; then it is a viewer. */
  roleProofTimeoutMs: number;
  /** Cluster mode, CL10: bytes per second (bursts of 4x) one room may take in on one instance and send on. */
  clusterRoomBytesPerSecond: number;
  /** Cluster mode, CL14: bytes per second (bursts of 4x) one room may bring in from the cluster. */
  clusterRoomInboundBytesPerSecond: number;
}

const MB = 1024 * 1024;

/** HIST1-HIST3 (docs/history.md): under constant edits, 24 periodic snapshots reach 4 hours back. */
export const DEFAULT_HISTORY_POLICY: HistoryPolicy = {
  everyMs: 10 * 60 * 1000,
  keepPeriodic: 24,
  keepWipes: 8,
  maxAgeMs: 30 * 24 * 60 * 60 * 1000,
  maxBytesPerRoom: 16 * MB,
};

export const DEFAULT_ROOM_SYNC_LIMITS: RoomSyncLimits = {
  maxFrameBytes: MAX_UPDATE_BYTES + 64,
  // Typing, cursor moves and presence renewals: ~30/s for a fast typist; bursts on join.
  messagesPerSecond: 100,
  messageBurst: 400,
  bytesPerSecond: MB,
  byteBurst: MAX_UPDATE_BYTES * 2,
  maxSockets: 5_000,
  maxSocketsPerRoom: 64,
  maxLiveRooms: 1_000,
  // Distinct rooms, not sockets: people behind one NAT (an office, a school) share an address.
  maxRoomsPerAddress: 32,
  heartbeatMs: 30_000,
  unloadAfterMs: 60_000,
  compactAfterUpdates: 500,
  compactAfterBytes: MB,
  maxRoomBytes: 32 * MB,
  // Structs wait on missing clocks only briefly when peers deliver out of order.
  maxPendingBytes: MB,
  // Holoroom's client claims one (its own); a stock client may relay a few more.
  maxPresencePerConnection: 4,
  // A client asks for the whole room once per connection.
  syncRepliesPerMinute: 4,
  // Replies to clients that hold part of the room are usually small.
  syncReplyBytesPerSecond: 16 * MB,
  workers: 2,
  // A full 4 MiB update of honest edits integrates in well under a second here.
  workTimeoutMs: 3_000,
  joinTimeoutMs: 30_000,
  penaltyMs: 60_000,
  cpuMsPerSecond: 250,
  cpuBurstMs: 2_000,
  addressCpuMsPerSecond: 500,
  addressCpuBurstMs: 4_000,
  maxBufferedBytes: 512 * 1024,
  maxTotalBufferedBytes: 64 * MB,
  maxQueuedMessages: 64,
  memoryBudgetBytes: 512 * MB,
  diskQuotaBytes: 4096 * MB,
  retentionMs: 180 * 24 * 60 * 60 * 1000,
  retentionSweepMs: 60 * 60 * 1000,
  claimChallengeMs: 3_000,
  roleProofTimeoutMs: 10_000,
  // A room of 64 typists sends well under a megabyte a second; a late joiner's sync step 2 is one burst.
  clusterRoomBytesPerSecond: 4 * MB,
  // Four instances' worth of a busy room.
  clusterRoomInboundBytesPerSecond: 16 * MB,
  history: DEFAULT_HISTORY_POLICY,
};
