import { describe, expect, it } from 'vitest';
import type { KeyValueStorage } from './identity.ts';
import type { RoomId } from './ids.ts';
import { cleanRoomName, invitation, ROOM_NAME_MAX_CHARS, roomTitle } from './room-name.ts';
import {
  loadVisitedRooms,
  MAX_PEOPLE_PER_ROOM,
  MAX_VISITED_BYTES,
  MAX_VISITED_ROOMS,
  recordVisit,
  removeVisitedRoom,
  VISITED_ROOMS_KEY,
} from './visited-rooms.ts';

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => data[k] ?? null,
    setItem: (k, v) => {
      data[k] = v;
    },
  };
}

const room = (n: number) => `room${String(n).padStart(4, '0')}` as RoomId;

describe('visited rooms', () => {
  it('[VISIT1] records a visit with name, scene, time and people, newest first; a new visit replaces the people', () => {
    const storage = memoryStorage();
    recordVisit(storage, { roomId: room(1), name: 'Standup', scene: 'Lobby', people: ['Ada'] }, { now: 1000 });
    recordVisit(storage, { roomId: room(2), scene: 'Gallery' }, { now: 2000 });
    recordVisit(storage, { roomId: room(1), people: ['Grace'] }, { now: 3000, sameVisit: true });
    expect(loadVisitedRooms(storage)).toEqual([
      { roomId: room(1), name: 'Standup', scene: 'Lobby', visitedAt: 3000, people: ['Ada', 'Grace'] },
      { roomId: room(2), name: '', scene: 'Gallery', visitedAt: 2000, people: [] },
    ]);
    // A later visit starts a new list of who was there.
    recordVisit(storage, { roomId: room(1), people: ['Linus'] }, { now: 4000 });
    expect(loadVisitedRooms(storage)[0]).toMatchObject({ name: 'Standup', people: ['Linus'] });
  });

  it('[VISIT2] keeps at most 20 rooms, 8 people each, and 16 KiB in all, dropping the oldest', () => {
    const storage = memoryStorage();
    for (let n = 0; n < MAX_VISITED_ROOMS + 5; n++) recordVisit(storage, { roomId: room(n) }, { now: n });
    const rooms = loadVisitedRooms(storage);
    expect(rooms).toHaveLength(MAX_VISITED_ROOMS);
    expect(rooms[0]?.roomId).toBe(room(MAX_VISITED_ROOMS + 4));
    expect(rooms.some((r) => r.roomId === room(0))).toBe(false);

    const people = Array.from({ length: 30 }, (_, i) => `Person ${i}`);
    recordVisit(storage, { roomId: room(99), people }, { now: 100 });
    expect(loadVisitedRooms(storage)[0]?.people).toHaveLength(MAX_PEOPLE_PER_ROOM);

    // Long names everywhere: the byte cap drops the oldest rooms, never the newest.
    const big = memoryStorage();
    const longName = '😀'.repeat(ROOM_NAME_MAX_CHARS);
    const longPeople = Array.from({ length: 8 }, (_, i) => `${'😀'.repeat(30)}${i}`);
    for (let n = 0; n < MAX_VISITED_ROOMS; n++) {
      recordVisit(big, { roomId: room(n), name: longName, scene: longName, people: longPeople }, { now: n });
    }
    expect((big.data[VISITED_ROOMS_KEY] ?? '').length).toBeLessThanOrEqual(MAX_VISITED_BYTES);
    const kept = loadVisitedRooms(big);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(MAX_VISITED_ROOMS);
    expect(kept[0]?.roomId).toBe(room(MAX_VISITED_ROOMS - 1));
  });

  it('[VISIT3] tolerates corrupt, hostile or foreign stored data and keeps the valid entries', () => {
    for (const stored of ['{', 'null', '"text"', '{"roomId":"abcdefgh"}', '[1,2,3]', `[${'['.repeat(5000)}`]) {
      expect(loadVisitedRooms(memoryStorage({ [VISITED_ROOMS_KEY]: stored }))).toEqual([]);
    }
    const mixed = JSON.stringify([
      { roomId: 'not a room id!', visitedAt: 5 },
      { roomId: 'goodroom1', visitedAt: 'yesterday' },
      {
        roomId: 'goodroom2',
        visitedAt: 7,
        name: 'A\u0000\u0007 name\n',
        people: ['Ada', 42, 'Ada', 'x'.repeat(10_000)],
      },
      { roomId: 'goodroom2', visitedAt: 3, name: 'duplicate' },
      { roomId: '__proto__', visitedAt: 1 },
      { roomId: 'goodroom3', visitedAt: Number.NaN },
    ]);
    const rooms = loadVisitedRooms(memoryStorage({ [VISITED_ROOMS_KEY]: mixed }));
    expect(rooms).toHaveLength(2);
    expect(rooms[0]).toMatchObject({ roomId: 'goodroom2', name: 'A name', scene: '' });
    expect(rooms[0]?.people[0]).toBe('Ada');
    expect(rooms[0]?.people.every((p) => p.length <= 32)).toBe(true);
    expect(rooms[1]?.roomId).toBe('__proto__');

    const throwing: KeyValueStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(loadVisitedRooms(throwing)).toEqual([]);
    expect(recordVisit(throwing, { roomId: room(1) })).toHaveLength(1);
    expect(loadVisitedRooms(undefined)).toEqual([]);
  });

  it('[VISIT4] removes one room and keeps the others', () => {
    const storage = memoryStorage();
    recordVisit(storage, { roomId: room(1) }, { now: 1 });
    recordVisit(storage, { roomId: room(2) }, { now: 2 });
    removeVisitedRoom(storage, room(2));
    expect(loadVisitedRooms(storage).map((r) => r.roomId)).toEqual([room(1)]);
  });
});

describe('room names', () => {
  it('[NAME1] are cleaned of control characters and whitespace runs and capped at 60 characters', () => {
    expect(cleanRoomName('  Team\u0000 \t standup\u2028 ')).toBe('Team standup');
    expect(cleanRoomName(42)).toBe('');
    expect(cleanRoomName('😀'.repeat(100))).toBe('😀'.repeat(ROOM_NAME_MAX_CHARS));
    expect(cleanRoomName(`${'x'.repeat(1_000_000)}`)).toHaveLength(ROOM_NAME_MAX_CHARS);
    expect(roomTitle('')).toBe('Untitled room');
  });

  it('[NAME2] go into the share text', () => {
    expect(invitation('Standup', 'https://h/r/abc')).toEqual({
      title: 'Join "Standup" in Holoroom',
      text: 'Join "Standup" in Holoroom',
      url: 'https://h/r/abc',
    });
    expect(invitation('', 'https://h/r/abc').title).toBe('Join my Holoroom');
  });
});
