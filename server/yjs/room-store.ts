/**
 * On-disk store for room documents: one SQLite file (better-sqlite3) in the
 * data directory holding each room as an append-only log of Yjs updates that
 * is periodically compacted into a single snapshot update.
 *
 * Why SQLite (docs/room-doc.md, "Server store"): one embedded file with
 * transactions, so an append is durable once `append` returns (WAL) and a
 * compaction (delete the log, insert the snapshot) is atomic: a SIGKILL at any
 * moment leaves either the old log or the new snapshot, never neither. It is
 * synchronous, which matches the server's one-update-at-a-time handling, and
 * the native module builds here; y-leveldb would add a dependency for the same job.
 *
 * Several connections (one per sync shard, server/yjs/shards.ts) share the
 * file; WAL lets them read while one writes, and a busy timeout queues writers.
 *
 * Quotas (docs/security.md SEC12): `room_meta` keeps each room's stored bytes
 * and when it was last touched; an append that would take a room past its
 * quota or the store past the total quota throws a QuotaError and writes
 * nothing. Retention (SEC13) removes rooms untouched for longer than a limit.
 *
 * Durability: WAL with synchronous=NORMAL survives a killed process (what the
 * persistence test does); surviving power loss needs synchronous=FULL, set
 * with `durability: 'full'`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type HistoryPolicy, RoomHistory, type SnapshotPeople, type SnapshotReason } from './room-history.ts';

const STORE_FILE = 'rooms.sqlite3';
/** Bumped when the schema changes; version 1 and 2 files are upgraded in place. */
const STORE_SCHEMA_VERSION = 3;

export interface RoomLog {
  updates: Uint8Array[];
  /** Sequence number of the last row, to compact up to. */
  lastSeq: number;
  bytes: number;
}

export interface StoreOptions {
  durability?: 'normal' | 'full';
  /** SEC12: bytes all rooms may take together (Infinity: no quota). */
  diskQuotaBytes?: number;
  /**
   * SQLite's own cap on the file (`PRAGMA max_page_count`): past it every write
   * fails with SQLITE_FULL exactly as on a full disk. Tests use it to prove the
   * server survives that (SEC12); operators leave it unset.
   */
  maxPageCount?: number;
  now?: () => number;
}

/** A write refused because it would exceed a quota (SEC12); nothing was written. */
export class QuotaError extends Error {
  override name = 'QuotaError';
}

export class RoomStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, Uint8Array]>;
  private readonly selectRoom: Database.Statement<[string], { seq: number; data: Buffer }>;
  private readonly deleteUpTo: Database.Statement<[string, number]>;
  private readonly deleteRoom: Database.Statement<[string]>;
  private readonly selectRooms: Database.Statement<[], { room: string }>;
  private readonly sizeOfRoom: Database.Statement<[string], { rows: number; bytes: number | null }>;
  private readonly touch: Database.Statement<[string, number, number, number]>;
  private readonly setBytes: Database.Statement<[number, number, string]>;
  private readonly metaOfRoom: Database.Statement<[string], { bytes: number; touched: number }>;
  private readonly totalBytes: Database.Statement<[], { total: number | null }>;
  private readonly untouched: Database.Statement<[number], { room: string }>;
  private readonly deleteMeta: Database.Statement<[string]>;
  private readonly now: () => number;
  private readonly diskQuotaBytes: number;
  /** Snapshots of each room (docs/history.md), in the same file. */
  readonly history: RoomHistory;
  /** The store's total as last read plus what this connection appended since (other shards write too). */
  private total = 0;
  private totalReadAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(dataDir: string, options: StoreOptions = {}) {
    mkdirSync(dataDir, { recursive: true });
    this.now = options.now ?? Date.now;
    this.diskQuotaBytes = options.diskQuotaBytes ?? Number.POSITIVE_INFINITY;
    this.db = new Database(path.join(dataDir, STORE_FILE), { timeout: 10_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    if (options.maxPageCount !== undefined) this.db.pragma(`max_page_count = ${options.maxPageCount}`);
    this.migrate();
    this.insert = this.db.prepare('INSERT INTO room_updates (room, data) VALUES (?, ?)');
    this.selectRoom = this.db.prepare('SELECT seq, data FROM room_updates WHERE room = ? ORDER BY seq');
    this.deleteUpTo = this.db.prepare('DELETE FROM room_updates WHERE room = ? AND seq <= ?');
    this.deleteRoom = this.db.prepare('DELETE FROM room_updates WHERE room = ?');
    this.selectRooms = this.db.prepare('SELECT DISTINCT room FROM room_updates ORDER BY room');
    this.sizeOfRoom = this.db.prepare(
      'SELECT COUNT(*) AS rows, SUM(LENGTH(data)) AS bytes FROM room_updates WHERE room = ?',
    );
    this.touch = this.db.prepare(
      `INSERT INTO room_meta (room, bytes, touched) VALUES (?, ?, ?)
       ON CONFLICT (room) DO UPDATE SET bytes = bytes + ?, touched = excluded.touched`,
    );
    this.setBytes = this.db.prepare('UPDATE room_meta SET bytes = ?, touched = ? WHERE room = ?');
    this.metaOfRoom = this.db.prepare('SELECT bytes, touched FROM room_meta WHERE room = ?');
    // SEC12, HIST3: snapshots count against the store's quota like the rooms themselves.
    this.totalBytes = this.db.prepare(
      `SELECT (SELECT COALESCE(SUM(bytes), 0) FROM room_meta)
            + (SELECT COALESCE(SUM(bytes), 0) FROM room_history) AS total`,
    );
    this.untouched = this.db.prepare('SELECT room FROM room_meta WHERE touched < ? ORDER BY touched');
    this.deleteMeta = this.db.prepare('DELETE FROM room_meta WHERE room = ?');
    this.history = new RoomHistory(this.db);
  }

  /** Creates the tables, or upgrades a version 1 file (no room_meta) or 2 (no room_history) in one transaction. */
  private migrate(): void {
    const run = this.db.transaction(() => {
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS room_updates (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          room TEXT NOT NULL,
          data BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS room_updates_by_room ON room_updates (room, seq);
        CREATE TABLE IF NOT EXISTS room_meta (
          room TEXT PRIMARY KEY,
          bytes INTEGER NOT NULL,
          touched INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS room_meta_by_touched ON room_meta (touched);
        CREATE TABLE IF NOT EXISTS room_history (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          room TEXT NOT NULL,
          taken INTEGER NOT NULL,
          reason TEXT NOT NULL,
          people TEXT NOT NULL,
          bytes INTEGER NOT NULL,
          data BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS room_history_by_room ON room_history (room, id);
      `);
      const row = this.db.prepare('SELECT value FROM store_meta WHERE key = ?').get('schema') as
        | { value: string }
        | undefined;
      const version = row === undefined ? undefined : Number(row.value);
      if (version === STORE_SCHEMA_VERSION) return;
      if (version !== undefined && version !== 1 && version !== 2) {
        throw new Error(`${STORE_FILE} has schema ${row?.value}; this server reads ${STORE_SCHEMA_VERSION}`);
      }
      // New file, or version 1: every room counts as touched now. (Version 2 only lacked room_history.)
      if (version !== 2) {
        this.db
          .prepare(
            `INSERT OR REPLACE INTO room_meta (room, bytes, touched)
             SELECT room, SUM(LENGTH(data)), ? FROM room_updates GROUP BY room`,
          )
          .run(this.now());
      }
      this.db
        .prepare('INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)')
        .run('schema', String(STORE_SCHEMA_VERSION));
    });
    try {
      run.immediate();
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /**
   * Appends one update; durable when this returns. Returns its sequence number.
   * Throws QuotaError when the room would pass `roomQuotaBytes` or the store its
   * total quota, and the SQLite error (e.g. SQLITE_FULL) when the disk refuses.
   */
  append(room: string, update: Uint8Array, roomQuotaBytes = Number.POSITIVE_INFINITY): number {
    const roomBytes = this.metaOfRoom.get(room)?.bytes ?? 0;
    if (roomBytes + update.byteLength > roomQuotaBytes) throw new QuotaError('room is over its disk quota');
    if (this.storeBytes() + update.byteLength > this.diskQuotaBytes) throw new QuotaError('store is over its quota');
    const run = this.db.transaction(() => {
      const seq = Number(this.insert.run(room, update).lastInsertRowid);
      this.touch.run(room, update.byteLength, this.now(), update.byteLength);
      return seq;
    });
    const seq = run();
    this.total += update.byteLength;
    return seq;
  }

  load(room: string): RoomLog {
    const updates: Uint8Array[] = [];
    let lastSeq = 0;
    let bytes = 0;
    for (const row of this.selectRoom.iterate(room)) {
      updates.push(new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength));
      lastSeq = row.seq;
      bytes += row.data.byteLength;
    }
    return { updates, lastSeq, bytes };
  }

  /**
   * Replaces every row up to `upToSeq` with `snapshot` in one transaction.
   * Rows appended after `upToSeq` stay (they are already in the snapshot or
   * will be merged by the next compaction; applying an update twice is a no-op).
   * A compaction only shrinks a room, so it is never refused by a quota.
   */
  compact(room: string, snapshot: Uint8Array, upToSeq: number): number {
    const run = this.db.transaction(() => {
      this.deleteUpTo.run(room, upToSeq);
      const seq = Number(this.insert.run(room, snapshot).lastInsertRowid);
      const bytes = this.sizeOfRoom.get(room)?.bytes ?? 0;
      if (this.metaOfRoom.get(room)) this.setBytes.run(bytes, this.now(), room);
      else this.touch.run(room, bytes, this.now(), bytes);
      return seq;
    });
    const seq = run();
    this.totalReadAt = Number.NEGATIVE_INFINITY;
    return seq;
  }

  size(room: string): { rows: number; bytes: number } {
    const row = this.sizeOfRoom.get(room);
    return { rows: row?.rows ?? 0, bytes: row?.bytes ?? 0 };
  }

  rooms(): string[] {
    return this.selectRooms.all().map((row) => row.room);
  }

  /** When the room was last written or loaded (ms since epoch), if it is stored. */
  touchedAt(room: string): number | undefined {
    return this.metaOfRoom.get(room)?.touched;
  }

  /** Marks a room as used now (loading counts as use for retention). */
  markUsed(room: string): void {
    if (this.metaOfRoom.get(room)) this.touch.run(room, 0, this.now(), 0);
  }

  /** SEC13: rooms not touched since `before` (ms since epoch), oldest first. */
  untouchedSince(before: number): string[] {
    return this.untouched.all(before).map((row) => row.room);
  }

  /**
   * HIST1-HIST3: keeps a snapshot of the room. Returns its id, or undefined
   * when it was not kept: larger than the room's history may hold, or the
   * store's quota (SEC12) is reached. Throws what SQLite throws.
   */
  keepSnapshot(
    room: string,
    snapshot: Uint8Array,
    reason: SnapshotReason,
    people: SnapshotPeople,
    policy: HistoryPolicy,
  ): number | undefined {
    if (this.storeBytes() + snapshot.byteLength > this.diskQuotaBytes) return undefined;
    const id = this.history.keep(room, snapshot, reason, people, policy, this.now());
    this.totalReadAt = Number.NEGATIVE_INFINITY;
    return id;
  }

  newestSnapshotAt(room: string): number | undefined {
    return this.history.newestAt(room);
  }

  /** Deletes a room and everything stored for it, its history included. */
  remove(room: string): void {
    this.db.transaction(() => {
      this.deleteRoom.run(room);
      this.deleteMeta.run(room);
      this.history.removeRoom(room);
    })();
    this.totalReadAt = Number.NEGATIVE_INFINITY;
  }

  /** SEC12: bytes of all stored rooms, re-read from the file at most once a second. */
  storeBytes(): number {
    const t = this.now();
    if (t - this.totalReadAt >= 1000) {
      this.total = this.totalBytes.get()?.total ?? 0;
      this.totalReadAt = t;
    }
    return this.total;
  }

  /** Bytes of the database files on disk (main file + WAL), for benchmarks. */
  fileBytes(): number {
    const pageCount = this.db.pragma('page_count', { simple: true }) as number;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    return pageCount * pageSize;
  }

  /** Reclaims free pages (after compactions) and folds the WAL into the main file. */
  vacuum(): void {
    this.db.exec('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }
}
