// LiveRoom on its own: one integration per update (SEC6), and storage that
// fails underneath it (SEC12) never throws out of it and never leaves memory
// ahead of the disk.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLogger, type LogEntry } from '../log.ts';
import { CLOSE_STORAGE, LiveRoom } from './live-room.ts';
import { syncStep1Message, updateMessage } from './messages.ts';
import { RoomStore } from './room-store.ts';

const options = {
  compactAfterUpdates: 1_000,
  compactAfterBytes: 1 << 24,
  maxRoomBytes: 1 << 24,
  maxPendingBytes: 1 << 20,
  maxPresencePerConnection: 4,
  syncRepliesPerMinute: 6,
  syncReplyBytesPerSecond: 1 << 24,
};
const nowhere = { send() {}, broadcast() {}, challenge() {} };

function setup(store = new RoomStore(mkdtempSync(path.join(tmpdir(), 'holoroom-live-')))) {
  const logs: LogEntry[] = [];
  const room = new LiveRoom(
    'liveroom1',
    store,
    createLogger('debug', (e) => logs.push(e)),
    options,
    nowhere,
  );
  room.join(1);
  return { room, store, logs };
}

/** Updates of one writer typing `n` characters, one update per keystroke. */
function keystrokes(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < n; i++) doc.getText('script').insert(i, 'k');
  return updates;
}

/** A store whose disk is "full" for the operation named. */
class FailingStore extends RoomStore {
  failAppend = false;
  failCompact = false;
  override append(room: string, update: Uint8Array, quota?: number): number {
    if (this.failAppend) throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    return super.append(room, update, quota);
  }
  override compact(room: string, snapshot: Uint8Array, upToSeq: number): number {
    if (this.failCompact) throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    return super.compact(room, snapshot, upToSeq);
  }
}

/** Applies what a y-websocket client would of the sync messages `sent` (step 2 and updates). */
function applySent(doc: Y.Doc, sent: Uint8Array[]): void {
  for (const message of sent) {
    // [messageSync, step2 | update, varUint8Array payload]: the payload starts after its length.
    const decoder = decoding.createDecoder(message);
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
  }
}

describe('live room', () => {
  it('[SEC9] answers everyone who asks for the whole room with the same shared bytes, current to the last update', () => {
    const sent = new Map<number, Uint8Array[]>();
    const output = {
      send: (conn: number, message: Uint8Array) => sent.set(conn, [...(sent.get(conn) ?? []), message]),
      broadcast() {},
      challenge() {},
    };
    const room = new LiveRoom(
      'sharedreply1',
      new RoomStore(mkdtempSync(path.join(tmpdir(), 'holoroom-live-'))),
      createLogger('error', () => {}),
      options,
      output,
    );
    room.join(1);
    const updates = keystrokes(30);
    for (const update of updates.slice(0, 20)) room.receive(1, updateMessage(update));
    const fresh = () => syncStep1Message(new Y.Doc());
    room.join(2);
    sent.delete(2);
    room.receive(2, fresh());
    for (const update of updates.slice(20)) room.receive(1, updateMessage(update));
    room.join(3);
    sent.delete(3);
    room.receive(3, fresh());
    const third = sent.get(3) ?? [];
    const whole = third[third.length - 1];
    // The whole room is one buffer in shared memory, the same for both. The updates since go
    // before it, so a client is complete when the step 2 (which makes it count as synced) arrives.
    expect(whole?.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(whole?.buffer).toBe(sent.get(2)?.[0]?.buffer);
    expect(third).toHaveLength(11);
    const joiner = new Y.Doc();
    applySent(joiner, third.slice(0, 10));
    expect(joiner.getText('script').toString()).toBe('');
    applySent(joiner, third.slice(10));
    expect(joiner.getText('script').toString()).toBe('k'.repeat(30));
  });

  it('[SEC6] integrates each update once, into the document itself (no shadow copy)', () => {
    const { room } = setup();
    let transactions = 0;
    room.doc.on('afterTransaction', () => transactions++);
    const updates = keystrokes(20);
    for (const update of updates) expect(room.receive(1, updateMessage(update))).toBeUndefined();
    expect(transactions).toBe(updates.length);
    expect(room.doc.getText('script').toString()).toBe('k'.repeat(20));
  });

  it('[SEC12] a write the disk refuses closes the sender with 4507 and leaves memory equal to the disk', () => {
    const store = new FailingStore(mkdtempSync(path.join(tmpdir(), 'holoroom-live-')));
    const { room, logs } = setup(store);
    const [first, second] = keystrokes(2) as [Uint8Array, Uint8Array];
    expect(room.receive(1, updateMessage(first))).toBeUndefined();
    store.failAppend = true;
    expect(room.receive(1, updateMessage(second))).toEqual({
      code: CLOSE_STORAGE,
      reason: 'server storage unavailable',
    });
    expect(room.doc.getText('script').toString()).toBe('k');
    expect(logs.some((e) => e.message === 'refusing a write the store did not take')).toBe(true);
    // The disk recovers: the same update is taken now.
    store.failAppend = false;
    expect(room.receive(1, updateMessage(second))).toBeUndefined();
    expect(room.doc.getText('script').toString()).toBe('kk');
  });

  it('[SEC12] a compaction the disk refuses while unloading is logged, keeps the log, and does not throw', () => {
    const store = new FailingStore(mkdtempSync(path.join(tmpdir(), 'holoroom-live-')));
    const { room, logs } = setup(store);
    for (const update of keystrokes(5)) room.receive(1, updateMessage(update));
    room.leave(1);
    store.failCompact = true;
    expect(() => room.unload()).not.toThrow();
    expect(logs.some((e) => e.message === 'compaction failed; the update log is kept')).toBe(true);
    expect(store.size('liveroom1').rows).toBe(5);
  });
});
