/**
 * HIST3 (docs/history.md): a room's history stays within its retention
 * (count per kind, age, bytes per room), counts against the store's quota,
 * goes with its room, and a store written before history existed opens.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { HistoryPolicy, SnapshotReason } from './room-history.ts';
import { RoomStore } from './room-store.ts';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'holoroom-history-'));
const policy: HistoryPolicy = { everyMs: 0, keepPeriodic: 3, keepWipes: 2, maxAgeMs: 10_000, maxBytesPerRoom: 1_000 };
const nobody = { present: [], by: [] };

/** A store whose clock the test moves. */
function storeAt(dir = tempDir(), diskQuotaBytes = Number.POSITIVE_INFINITY) {
  const clock = { now: 1_000_000 };
  const store = new RoomStore(dir, { now: () => clock.now, diskQuotaBytes });
  return { store, clock, dir };
}

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);
const reasons = (store: RoomStore, room: string) => store.history.list(room).map((s) => `${s.reason}:${s.bytes}`);

describe('room history retention', () => {
  it('[HIST3] keeps the newest periodic and wipe snapshots apart, so wipes never push out periodic ones', () => {
    const { store, clock } = storeAt();
    const keep = (reason: SnapshotReason, size: number) => {
      clock.now += 10;
      return store.keepSnapshot('room-a', bytes(size), reason, nobody, policy);
    };
    for (let i = 1; i <= 5; i++) keep('periodic', i);
    for (let i = 1; i <= 6; i++) keep('wipe', 10 + i);
    expect(reasons(store, 'room-a')).toEqual(['wipe:16', 'wipe:15', 'periodic:5', 'periodic:4', 'periodic:3']);
    store.close();
  });

  it('[HIST3] drops snapshots past their age and the oldest beyond the bytes per room; a larger one is not kept', () => {
    const { store, clock } = storeAt();
    store.keepSnapshot('room-a', bytes(400), 'periodic', nobody, policy);
    clock.now += 6_000;
    store.keepSnapshot('room-a', bytes(400), 'wipe', nobody, policy);
    clock.now += 5_000; // the first is now 11 s old
    store.keepSnapshot('room-a', bytes(300), 'periodic', nobody, policy);
    expect(reasons(store, 'room-a')).toEqual(['periodic:300', 'wipe:400']);
    store.keepSnapshot('room-a', bytes(400), 'wipe', nobody, policy); // 1,100 bytes: the oldest goes
    expect(reasons(store, 'room-a')).toEqual(['wipe:400', 'periodic:300']);
    expect(store.keepSnapshot('room-a', bytes(1_001), 'wipe', nobody, policy)).toBeUndefined();
    // The periodic sweep (shard-host.ts) removes old snapshots of rooms nobody edits.
    clock.now += 20_000;
    expect(store.history.expire(clock.now - policy.maxAgeMs)).toBe(2);
    expect(store.history.list('room-a')).toEqual([]);
    store.close();
  });

  it('[HIST3] snapshots count against the store quota and go with their room', () => {
    const { store } = storeAt(tempDir(), 2_000);
    store.append('room-a', bytes(500));
    expect(store.keepSnapshot('room-a', bytes(900), 'periodic', nobody, policy)).toBeTypeOf('number');
    expect(store.storeBytes()).toBe(1_400);
    expect(store.keepSnapshot('room-a', bytes(700), 'wipe', nobody, policy)).toBeUndefined();
    expect(() => store.append('room-a', bytes(700))).toThrow(/quota/);
    store.keepSnapshot('room-b', bytes(100), 'periodic', { present: ['Ann'], by: [] }, policy);
    store.remove('room-a');
    expect(store.history.list('room-a')).toEqual([]);
    expect(store.history.list('room-b').map((s) => s.present)).toEqual([['Ann']]);
    store.close();
  });

  it('[HIST3] opens a store written before history existed (schema 2) and keeps its rooms', () => {
    const { store, dir } = storeAt();
    store.append('room-a', bytes(5));
    store.close();
    const db = new Database(path.join(dir, 'rooms.sqlite3'));
    db.exec("DROP TABLE room_history; UPDATE store_meta SET value = '2' WHERE key = 'schema'");
    db.close();
    const reopened = new RoomStore(dir, { now: () => 5_000_000 });
    expect(reopened.load('room-a').updates).toHaveLength(1);
    // Upgrading from 2 adds the history and leaves each room's retention clock as it was (SEC13).
    expect(reopened.touchedAt('room-a')).toBe(1_000_000);
    expect(reopened.keepSnapshot('room-a', bytes(5), 'periodic', nobody, policy)).toBeTypeOf('number');
    reopened.close();
  });
});
