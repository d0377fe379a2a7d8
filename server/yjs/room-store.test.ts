import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../log.ts';
import { LiveRoom } from './live-room.ts';
import { updateMessage } from './messages.ts';
import { RoomStore } from './room-store.ts';

const quiet = createLogger('error', () => {});
const options = {
  compactAfterUpdates: 10,
  compactAfterBytes: 1 << 20,
  maxRoomBytes: 1 << 20,
  maxPendingBytes: 1 << 20,
  maxPresencePerConnection: 4,
  syncRepliesPerMinute: 6,
  syncReplyBytesPerSecond: 1 << 24,
};
const nowhere = { send() {}, broadcast() {}, challenge() {} };
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'holoroom-store-'));

describe('room store (SQLite)', () => {
  it('keeps appended updates across reopening', () => {
    const dir = tempDir();
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.getText('script').insert(0, 'hello');
    doc.getText('script').insert(5, ' world');
    const store = new RoomStore(dir);
    for (const u of updates) store.append('room-one', u);
    store.append('room-two', updates[0] as Uint8Array);
    store.close();

    const reopened = new RoomStore(dir);
    const log = reopened.load('room-one');
    expect(log.updates).toHaveLength(2);
    const copy = new Y.Doc();
    for (const u of log.updates) Y.applyUpdate(copy, u);
    expect(copy.getText('script').toString()).toBe('hello world');
    expect(reopened.rooms()).toEqual(['room-one', 'room-two']);
    reopened.close();
  });

  it('[RS11] compaction replaces the log with one snapshot row holding the same state', () => {
    const dir = tempDir();
    const store = new RoomStore(dir);
    const doc = new Y.Doc();
    let lastSeq = 0;
    doc.on('update', (u: Uint8Array) => {
      lastSeq = store.append('r', u);
    });
    for (let i = 0; i < 50; i++) doc.getText('script').insert(i, 'x');
    expect(store.size('r').rows).toBe(50);
    store.compact('r', Y.encodeStateAsUpdate(doc), lastSeq);
    expect(store.size('r').rows).toBe(1);
    const copy = new Y.Doc();
    for (const u of store.load('r').updates) Y.applyUpdate(copy, u);
    expect(copy.getText('script').toString()).toBe('x'.repeat(50));
    store.close();
  });

  it('[RS10] [RS11] a live room persists every accepted update and compacts on its own', () => {
    const dir = tempDir();
    const store = new RoomStore(dir);
    const room = new LiveRoom('lr', store, quiet, options, nowhere);
    const peer = 1;
    room.join(peer);
    const writer = new Y.Doc();
    writer.on('update', (update: Uint8Array) => {
      expect(room.receive(peer, updateMessage(update))).toBeUndefined();
    });
    for (let i = 0; i < 25; i++) writer.getText('script').insert(i, 'y');
    // 25 updates with compaction every 10 rows: never more than 10 rows on disk.
    expect(store.size('lr').rows).toBeLessThanOrEqual(10);
    room.leave(peer);
    room.unload();
    store.close();

    const reopened = new RoomStore(dir);
    const again = new LiveRoom('lr', reopened, quiet, options, nowhere);
    expect(again.doc.getText('script').toString()).toBe('y'.repeat(25));
    expect(reopened.size('lr').rows).toBe(1);
    again.unload();
    reopened.close();
  });
});
