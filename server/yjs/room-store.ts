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
 * Durability: WAL with synchronous=NORMAL survives a killed process (what the
 * persistence test does); surviving power loss needs synchronous=FULL, set
 * with `durability: 'full'`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

const STORE_FILE = 'rooms.sqlite3';
/** Bumped when the schema changes incompatibly. */
const STORE_SCHEMA_VERSION = 1;

export interface RoomLog {
  updates: Uint8Array[];
  /** Sequence number of the last row, to compact up to. */
  lastSeq: number;
  bytes: number;
}

export interface StoreOptions {
  durability?: 'normal' | 'full';
}

export class RoomStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, Uint8Array]>;
  private readonly selectRoom: Database.Statement<[string], { seq: number; data: Buffer }>;
  private readonly deleteUpTo: Database.Statement<[string, number]>;
  private readonly selectRooms: Database.Statement<[], { room: string }>;
  private readonly sizeOfRoom: Database.Statement<[string], { rows: number; bytes: number | null }>;
  private closed = false;

  constructor(dataDir: string, options: StoreOptions = {}) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, STORE_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS room_updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        room TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS room_updates_by_room ON room_updates (room, seq);
    `);
    const version = this.db.prepare('SELECT value FROM store_meta WHERE key = ?').get('schema') as
      | { value: string }
      | undefined;
    if (version === undefined) {
      this.db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?)').run('schema', String(STORE_SCHEMA_VERSION));
    } else if (version.value !== String(STORE_SCHEMA_VERSION)) {
      this.db.close();
      throw new Error(`${STORE_FILE} has schema ${version.value}; this server reads ${STORE_SCHEMA_VERSION}`);
    }
    this.insert = this.db.prepare('INSERT INTO room_updates (room, data) VALUES (?, ?)');
    this.selectRoom = this.db.prepare('SELECT seq, data FROM room_updates WHERE room = ? ORDER BY seq');
    this.deleteUpTo = this.db.prepare('DELETE FROM room_updates WHERE room = ? AND seq <= ?');
    this.selectRooms = this.db.prepare('SELECT DISTINCT room FROM room_updates ORDER BY room');
    this.sizeOfRoom = this.db.prepare(
      'SELECT COUNT(*) AS rows, SUM(LENGTH(data)) AS bytes FROM room_updates WHERE room = ?',
    );
  }

  /** Appends one update; durable when this returns. Returns its sequence number. */
  append(room: string, update: Uint8Array): number {
    return Number(this.insert.run(room, update).lastInsertRowid);
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
   */
  compact(room: string, snapshot: Uint8Array, upToSeq: number): number {
    const run = this.db.transaction(() => {
      this.deleteUpTo.run(room, upToSeq);
      return Number(this.insert.run(room, snapshot).lastInsertRowid);
    });
    return run();
  }

  size(room: string): { rows: number; bytes: number } {
    const row = this.sizeOfRoom.get(room);
    return { rows: row?.rows ?? 0, bytes: row?.bytes ?? 0 };
  }

  rooms(): string[] {
    return this.selectRooms.all().map((row) => row.room);
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
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
