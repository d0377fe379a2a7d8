/**
 * Messages between the thread that owns the sockets (room-sync.ts) and a
 * shard worker that owns a share of the rooms (shard-host.ts). Every job the
 * main thread posts gets exactly one `done` back, in order, carrying what the
 * job produced: socket sends, closes, and the time it took (SEC7, SEC8).
 */

export type ShardJob =
  | { t: 'join'; conn: number; room: string }
  | { t: 'msg'; conn: number; data: Uint8Array }
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
  | { t: 'unloaded'; room: string };

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
}

export interface ShardLog {
  t: 'log';
  level: 'debug' | 'info' | 'warn' | 'error';
  area: string;
  message: string;
  fields: Record<string, unknown>;
}

export type FromShard = ShardDone | ShardLog | { t: 'ready' };
