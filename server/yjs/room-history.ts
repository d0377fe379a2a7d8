/**
 * A room's history (docs/history.md): snapshots of its document kept in the
 * same SQLite file as the rooms (`room_history`), each one whole Yjs update,
 * with when it was taken, why, and who was in the room. Retention (HIST3) runs
 * in the transaction that adds a snapshot, so a room's history never exceeds
 * its bounds, even for a moment.
 */
import type Database from 'better-sqlite3';

/** HIST1-HIST3: when snapshots are taken and how many stay. */
export interface HistoryPolicy {
  /** HIST1: at most one periodic snapshot per this many ms while the room changes (0: none). */
  everyMs: number;
  /** HIST3: the newest periodic snapshots kept per room. */
  keepPeriodic: number;
  /** HIST3: the newest before-a-wipe snapshots kept per room (counted apart, so wipes cannot push out periodic ones). */
  keepWipes: number;
  /** HIST3: snapshots older than this are removed. */
  maxAgeMs: number;
  /** HIST3: bytes of one room's snapshots together; the oldest go first. A larger snapshot is not kept. */
  maxBytesPerRoom: number;
}

/** `periodic` (HIST1) or taken just before a large deletion was stored (`wipe`, HIST2). */
export type SnapshotReason = 'periodic' | 'wipe';

/** Who was in the room: presence names as people declared them (self-declared, docs/history.md). */
export interface SnapshotPeople {
  /** Everyone present in the room's presence when it was taken. */
  present: string[];
  /** HIST2: the names the connection that sent the wipe claimed. */
  by: string[];
}

export interface SnapshotInfo extends SnapshotPeople {
  id: number;
  /** ms since epoch */
  takenAt: number;
  reason: SnapshotReason;
  bytes: number;
}

/** At most this many names are stored per snapshot (presence is capped per connection, not per room). */
const MAX_NAMES = 16;

interface Row {
  id: number;
  taken: number;
  reason: string;
  people: string;
  bytes: number;
}

export class RoomHistory {
  private readonly insert: Database.Statement<[string, number, string, string, number, Uint8Array]>;
  private readonly selectList: Database.Statement<[string], Row>;
  private readonly selectData: Database.Statement<[string, number], { data: Buffer }>;
  private readonly selectNewest: Database.Statement<[string], { taken: number }>;
  private readonly trimReason: Database.Statement<[string, string, string, string, number]>;
  private readonly deleteOlder: Database.Statement<[string, number]>;
  private readonly deleteAllOlder: Database.Statement<[number]>;
  private readonly deleteIds: Database.Statement<[string, number]>;
  private readonly deleteRoom: Database.Statement<[string]>;
  private readonly sizes: Database.Statement<[string], { id: number; bytes: number }>;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO room_history (room, taken, reason, people, bytes, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.selectList = db.prepare(
      'SELECT id, taken, reason, people, bytes FROM room_history WHERE room = ? ORDER BY id DESC',
    );
    this.selectData = db.prepare('SELECT data FROM room_history WHERE room = ? AND id = ?');
    this.selectNewest = db.prepare('SELECT MAX(taken) AS taken FROM room_history WHERE room = ?');
    this.trimReason = db.prepare(
      `DELETE FROM room_history WHERE room = ? AND reason = ? AND id NOT IN
         (SELECT id FROM room_history WHERE room = ? AND reason = ? ORDER BY id DESC LIMIT ?)`,
    );
    this.deleteOlder = db.prepare('DELETE FROM room_history WHERE room = ? AND taken < ?');
    this.deleteAllOlder = db.prepare('DELETE FROM room_history WHERE taken < ?');
    this.deleteIds = db.prepare('DELETE FROM room_history WHERE room = ? AND id <= ?');
    this.deleteRoom = db.prepare('DELETE FROM room_history WHERE room = ?');
    this.sizes = db.prepare('SELECT id, bytes FROM room_history WHERE room = ? ORDER BY id DESC');
  }

  /**
   * Adds a snapshot and applies HIST3 in one transaction. Returns its id, or
   * undefined when it alone is larger than the room's history may be.
   */
  keep(
    room: string,
    snapshot: Uint8Array,
    reason: SnapshotReason,
    people: SnapshotPeople,
    policy: HistoryPolicy,
    now: number,
  ): number | undefined {
    if (snapshot.byteLength > policy.maxBytesPerRoom) return undefined;
    const stored = JSON.stringify(cappedPeople(people));
    return this.db.transaction(() => {
      const id = Number(this.insert.run(room, now, reason, stored, snapshot.byteLength, snapshot).lastInsertRowid);
      this.deleteOlder.run(room, now - policy.maxAgeMs);
      this.trimReason.run(room, 'periodic', room, 'periodic', policy.keepPeriodic);
      this.trimReason.run(room, 'wipe', room, 'wipe', policy.keepWipes);
      let total = 0;
      for (const row of this.sizes.all(room)) {
        total += row.bytes;
        if (total > policy.maxBytesPerRoom) {
          this.deleteIds.run(room, row.id);
          break;
        }
      }
      return id;
    })();
  }

  /** The room's snapshots, newest first, without their data. */
  list(room: string): SnapshotInfo[] {
    return this.selectList.all(room).map((row) => {
      const people = readPeople(row.people);
      return {
        id: row.id,
        takenAt: row.taken,
        reason: row.reason === 'wipe' ? 'wipe' : 'periodic',
        bytes: row.bytes,
        ...people,
      };
    });
  }

  /** One snapshot's Yjs update, if the room has a snapshot with this id. */
  get(room: string, id: number): Uint8Array | undefined {
    const row = this.selectData.get(room, id);
    return row ? new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) : undefined;
  }

  /** When the room's newest snapshot was taken. */
  newestAt(room: string): number | undefined {
    return this.selectNewest.get(room)?.taken ?? undefined;
  }

  /** HIST3: removes every room's snapshots taken before `before` (the periodic sweep). */
  expire(before: number): number {
    return this.deleteAllOlder.run(before).changes;
  }

  removeRoom(room: string): void {
    this.deleteRoom.run(room);
  }
}

/** The names a snapshot keeps: at most MAX_NAMES of each. */
export function cappedPeople(people: SnapshotPeople): SnapshotPeople {
  return { present: people.present.slice(0, MAX_NAMES), by: people.by.slice(0, MAX_NAMES) };
}

/** Names stored by `keep`; anything else reads as nobody (the store may have been edited by hand). */
export function readPeople(text: string): SnapshotPeople {
  try {
    const value = JSON.parse(text) as { present?: unknown; by?: unknown };
    const names = (list: unknown) =>
      Array.isArray(list) ? list.filter((name): name is string => typeof name === 'string').slice(0, MAX_NAMES) : [];
    return { present: names(value.present), by: names(value.by) };
  } catch {
    return { present: [], by: [] };
  }
}
