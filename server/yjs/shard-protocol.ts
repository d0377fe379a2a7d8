/**
 * Messages between the thread that owns the sockets (room-sync.ts) and a
 * shard worker that owns a share of the rooms (shard-host.ts). Every job the
 * main thread posts gets exactly one `done` back, in order, carrying what the
 * job produced: socket sends, closes, and the time it took (SEC7, SEC8).
 */

import type { SnapshotPeople, SnapshotReason } from './room-history.ts';

/**
 * Cluster mode (docs/scaling.md): a room as read from Redis, handed to the
 * shard with the join that loads it. `lastId` is the last stream entry in it.
 */
export interface RoomImage {
  updates: Uint8Array[];
  lastId: string;
  bytes: number;
  /** HIST1: when the room's newest snapshot was taken (ms), if it has one. */
  historyAt?: number;
}

export type ShardJob =
  | { t: 'join'; conn: number; room: string; image?: RoomImage }
  /** Cluster: an update another instance stored under stream id `id`. */
  | { t: 'remote'; room: string; id: string; update: Uint8Array }
  /** Cluster: presence entries owned by connections of `instance`. */
  | { t: 'remote-presence'; room: string; instance: number; update: Uint8Array }
  /** Cluster: another instance loaded the room and asks for everyone's presence. */
  | { t: 'presence-query'; room: string }
  /** Cluster: an instance died; its connections' presence goes. */
  | { t: 'instance-gone'; instance: number }
  /** Cluster: the room was compacted to `bytes` (its stored size, for RS8). */
  | { t: 'stored'; room: string; bytes: number }
  /** Cluster: forget the room without writing anything (its copy here is not to be trusted). */
  | { t: 'evict'; room: string }
  /** Cluster compaction: one snapshot of these updates. */
  | { t: 'snapshot'; updates: Uint8Array[] }
  /** `grabOnly`: a viewer's update, taken only if every change in it is a grab's (docs/roles.md ROLE11). */
  | { t: 'msg'; conn: number; data: Uint8Array; grabOnly?: boolean }
  | { t: 'leave'; conn: number }
  /** Unload idle rooms (all empty ones when `memoryOver`), apply retention, report. */
  | { t: 'tick'; memoryOver: boolean }
  | { t: 'inspect'; room: string }
  | { t: 'shutdown' };

export type ToShard = ShardJob & { seq: number };

export type ShardOutput =
  | { t: 'send'; conn: number; data: Uint8Array }
  /** To every connection of `room` except `except` (-1: none). */
  | { t: 'room'; room: string; data: Uint8Array; except: number }
  /** `reason` is a fixed sentence of the server's, never input (SEC3). */
  | { t: 'close'; conn: number; code: number; reason: string }
  | { t: 'challenge'; conn: number }
  | { t: 'loaded'; room: string }
  | { t: 'unloaded'; room: string }
  /** Cluster: the room is not live in this shard; join again with its image. */
  | { t: 'need-image'; conn: number; room: string }
  /** Cluster: store this update (from `conn`) before anything after it for the room goes out (RS10). */
  | { t: 'persist'; room: string; conn: number; update: Uint8Array }
  /** Cluster: presence entries of this instance's connections, for the other instances. */
  | { t: 'presence'; room: string; update: Uint8Array }
  /** Cluster (CL20): a snapshot for the room's history, kept in Redis by the main thread. */
  | { t: 'history'; room: string; snapshot: Uint8Array; reason: SnapshotReason; people: SnapshotPeople };

/** What a test may read of a live room (server/yjs tests, benchmarks). */
export interface RoomInspection {
  update: Uint8Array;
  storedBytes: number;
  pendingBytes: number;
  heldBytes: number;
  /** SEC11: the estimate of memory the server-wide budget counts. */
  memoryBytes: number;
  /** Each connection id with the presence client ids it claims (SEC15). */
  claims: [number, number[]][];
}

export interface ShardDone {
  t: 'done';
  seq: number;
  /** Milliseconds the job took in the worker (SEC8 charges them to the connection). */
  ms: number;
  outputs: ShardOutput[];
  /** After a tick: estimated memory of the shard's live rooms together (SEC11). */
  heldBytes?: number;
  inspection?: RoomInspection;
  /** After a `snapshot` job. */
  snapshot?: Uint8Array;
}

interface ShardLog {
  t: 'log';
  level: 'debug' | 'info' | 'warn' | 'error';
  area: string;
  message: string;
  fields: Record<string, unknown>;
}

export type FromShard = ShardDone | ShardLog | { t: 'ready' };
