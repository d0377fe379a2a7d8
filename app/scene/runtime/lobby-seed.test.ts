// Seeding new rooms with the lobby: once, never doubled (SEED1-SEED4).
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createStore } from '../../core/store.ts';
import { RoomDoc } from '../../sync/doc/room-doc.ts';
import type { RoomStatus } from '../../sync/room-session.ts';
import {
  applySeed,
  SEED_ALONE_MS,
  SEED_OFFLINE_MS,
  type SeedInput,
  seedDecision,
  startLobbySeeding,
} from './lobby-seed.ts';

const LOBBY = 'composition "Lobby" {\n  object "Welcome" { text: "Hi" }\n}\n';

const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
};

describe('seed update', () => {
  it('[SEED3] two peers seeding the same empty room at once end with one copy', () => {
    const a = new RoomDoc(new Y.Doc());
    const b = new RoomDoc(new Y.Doc());
    expect(applySeed(a, LOBBY)).toBe(true);
    expect(applySeed(b, LOBBY)).toBe(true);
    sync(a.doc, b.doc);
    expect(a.script.toString()).toBe(LOBBY);
    expect(b.script.toString()).toBe(LOBBY);
  });

  it('[SEED3] a room that held the seed and was edited or emptied ignores it again', () => {
    const a = new RoomDoc(new Y.Doc());
    applySeed(a, LOBBY);
    a.script.insert(a.script.length, 'object "Mine" {}\n');
    const late = new RoomDoc(new Y.Doc());
    applySeed(late, LOBBY); // seeded before it heard from anyone
    sync(a.doc, late.doc);
    expect(late.script.toString()).toBe(`${LOBBY}object "Mine" {}\n`);

    a.script.delete(0, a.script.length);
    const third = new RoomDoc(new Y.Doc());
    applySeed(third, LOBBY);
    sync(a.doc, third.doc);
    expect(third.script.toString()).toBe('');
  });

  it('[SEED4] a different lobby text is a different seed', () => {
    const a = new RoomDoc(new Y.Doc());
    const b = new RoomDoc(new Y.Doc());
    applySeed(a, LOBBY);
    applySeed(b, `${LOBBY}// v2\n`);
    sync(a.doc, b.doc);
    expect(a.script.toString().length).toBe(LOBBY.length * 2 + '// v2\n'.length);
  });

  it('[SEED1] a script with text is never seeded', () => {
    const a = new RoomDoc(new Y.Doc());
    a.script.insert(0, 'object "X" {}');
    expect(applySeed(a, LOBBY)).toBe(false);
    expect(a.script.toString()).toBe('object "X" {}');
  });
});

describe('when to seed', () => {
  const input = (status: Partial<SeedInput['status']>, rest: Partial<SeedInput> = {}): SeedInput => ({
    scriptEmpty: true,
    status: { localLoaded: true, server: 'connecting', signaling: 'connecting', webrtcPeers: 0, ...status },
    webrtcSynced: false,
    elapsedMs: 0,
    ...rest,
  });

  it('[SEED2] waits for the local copy, skips a script with text', () => {
    expect(seedDecision(input({ localLoaded: false, server: 'synced' }))).toBe('wait');
    expect(seedDecision(input({ server: 'synced' }, { scriptEmpty: false }))).toBe('skip');
  });

  it('[SEED2] seeds once the server synced an empty room, or a WebRTC peer did', () => {
    expect(seedDecision(input({ server: 'connected' }))).toBe('wait');
    expect(seedDecision(input({ server: 'synced' }))).toBe('seed');
    expect(seedDecision(input({ server: 'off', webrtcPeers: 1 }))).toBe('wait');
    expect(seedDecision(input({ server: 'off', webrtcPeers: 1 }, { webrtcSynced: true }))).toBe('seed');
  });

  it('[SEED2] seeds alone only when nobody can be reached', () => {
    expect(seedDecision(input({ server: 'off', signaling: 'connected' }, { elapsedMs: SEED_ALONE_MS - 1 }))).toBe(
      'wait',
    );
    expect(seedDecision(input({ server: 'off', signaling: 'connected' }, { elapsedMs: SEED_ALONE_MS }))).toBe('seed');
    expect(seedDecision(input({ server: 'refused', signaling: 'unreachable' }))).toBe('seed');
    expect(seedDecision(input({ server: 'connecting' }, { elapsedMs: SEED_OFFLINE_MS - 1 }))).toBe('wait');
    expect(seedDecision(input({ server: 'connecting' }, { elapsedMs: SEED_OFFLINE_MS }))).toBe('seed');
  });

  it('[SEED1][SEED2] the page controller seeds when the server syncs, then stops watching', async () => {
    vi.useFakeTimers();
    try {
      const room = new RoomDoc(new Y.Doc());
      const status = createStore<RoomStatus>({
        signaling: 'connected',
        webrtcPeers: 0,
        broadcastPeers: 0,
        peers: [],
        server: 'connecting',
        localLoaded: true,
        rejected: { count: 0 },
      });
      const loadLobby = vi.fn(async () => LOBBY);
      startLobbySeeding({ room, status, webrtcSynced: () => false, loadLobby, now: () => Date.now() });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(loadLobby).not.toHaveBeenCalled();
      status.set({ ...status.get(), server: 'synced' });
      await vi.advanceTimersByTimeAsync(10);
      expect(room.script.toString()).toBe(LOBBY);
      // Emptied later: the page decided once and does not seed again.
      room.script.delete(0, room.script.length);
      status.set({ ...status.get(), server: 'connected' });
      status.set({ ...status.get(), server: 'synced' });
      await vi.advanceTimersByTimeAsync(SEED_OFFLINE_MS);
      expect(room.script.toString()).toBe('');
      expect(loadLobby).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
