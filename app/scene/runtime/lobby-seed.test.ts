// Seeding new rooms with the lobby: once, never doubled (SEED1-SEED4).
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { docOf, openRoomDoc } from '../../../testing/sync/room-docs.ts';
import { createStore } from '../../core/store.ts';
import type { RoomStatus } from '../../sync/room-session.ts';
import { SEED_ALONE_MS, SEED_OFFLINE_MS, type SeedInput, seedDecision, startLobbySeeding } from './lobby-seed.ts';

const LOBBY = 'composition "Lobby" {\n  object "Welcome" { text: "Hi" }\n}\n';

const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
};

describe('seed update', () => {
  it('[SEED3] two peers seeding the same empty room at once end with one copy', () => {
    const a = openRoomDoc();
    const b = openRoomDoc();
    expect(a.seedScript(LOBBY)).toBe(true);
    expect(b.seedScript(LOBBY)).toBe(true);
    sync(docOf(a), docOf(b));
    expect(a.scriptText()).toBe(LOBBY);
    expect(b.scriptText()).toBe(LOBBY);
  });

  it('[SEED3] a room that held the seed and was edited or emptied ignores it again', () => {
    const a = openRoomDoc();
    a.seedScript(LOBBY);
    a.editScript(a.scriptLength, 0, 'object "Mine" {}\n');
    const late = openRoomDoc();
    late.seedScript(LOBBY); // seeded before it heard from anyone
    sync(docOf(a), docOf(late));
    expect(late.scriptText()).toBe(`${LOBBY}object "Mine" {}\n`);

    a.editScript(0, a.scriptLength);
    const third = openRoomDoc();
    third.seedScript(LOBBY);
    sync(docOf(a), docOf(third));
    expect(third.scriptText()).toBe('');
  });

  it('[SEED4] a different lobby text is a different seed', () => {
    const a = openRoomDoc();
    const b = openRoomDoc();
    a.seedScript(LOBBY);
    b.seedScript(`${LOBBY}// v2\n`);
    sync(docOf(a), docOf(b));
    expect(a.scriptText().length).toBe(LOBBY.length * 2 + '// v2\n'.length);
  });

  it('[SEED1] a script with text is never seeded', () => {
    const a = openRoomDoc();
    a.editScript(0, 0, 'object "X" {}');
    expect(a.seedScript(LOBBY)).toBe(false);
    expect(a.scriptText()).toBe('object "X" {}');
  });
});

describe('when to seed', () => {
  const input = (status: Partial<SeedInput['status']>, rest: Partial<SeedInput> = {}): SeedInput => ({
    scriptEmpty: true,
    status: { localLoaded: true, server: 'connecting', signaling: 'connecting', webrtcPeers: 0, ...status },
    webrtcSynced: false,
    othersHere: false,
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

  it('[SEED5] with no server, someone known to be here is waited for as long as an unreachable server', () => {
    const alone = { server: 'off', signaling: 'connected' } as const;
    expect(seedDecision(input(alone, { othersHere: true, elapsedMs: SEED_ALONE_MS }))).toBe('wait');
    expect(seedDecision(input(alone, { othersHere: true, elapsedMs: SEED_OFFLINE_MS - 1 }))).toBe('wait');
    expect(seedDecision(input(alone, { othersHere: true, elapsedMs: SEED_OFFLINE_MS }))).toBe('seed');
    // Their connection came up and synced: at once.
    expect(seedDecision(input({ ...alone, webrtcPeers: 1 }, { othersHere: true, webrtcSynced: true }))).toBe('seed');
    // Their copy had text: never.
    expect(seedDecision(input(alone, { othersHere: true, scriptEmpty: false, elapsedMs: SEED_OFFLINE_MS }))).toBe(
      'skip',
    );
  });

  it('[SEED1][SEED2] the page controller seeds when the server syncs, then stops watching', async () => {
    vi.useFakeTimers();
    try {
      const room = openRoomDoc();
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
      startLobbySeeding({
        room,
        status,
        webrtcSynced: () => false,
        othersHere: () => false,
        loadLobby,
        now: () => Date.now(),
      });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(loadLobby).not.toHaveBeenCalled();
      status.set({ ...status.get(), server: 'synced' });
      await vi.advanceTimersByTimeAsync(10);
      expect(room.scriptText()).toBe(LOBBY);
      // Emptied later: the page decided once and does not seed again.
      room.editScript(0, room.scriptLength);
      status.set({ ...status.get(), server: 'connected' });
      status.set({ ...status.get(), server: 'synced' });
      await vi.advanceTimersByTimeAsync(SEED_OFFLINE_MS);
      expect(room.scriptText()).toBe('');
      expect(loadLobby).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
