import { describe, expect, it } from 'vitest';
import { room } from '../../testing/ids.ts';
import { createRoomId, isValidRoomId, parseRoomInput, ROOM_ID_LENGTH, roomIdFromPath, roomPath } from './room-id.ts';

describe('room ids and links', () => {
  it('creates 16-character ids from the unambiguous alphabet, unbiased per byte', () => {
    const id = createRoomId();
    expect(id).toHaveLength(ROOM_ID_LENGTH);
    expect(id).toMatch(/^[a-km-np-z2-9]+$/);
    expect(createRoomId((bytes) => bytes.fill(0))).toBe('a'.repeat(16));
    expect(createRoomId((bytes) => bytes.fill(255))).toBe('9'.repeat(16));
    expect(new Set(Array.from({ length: 200 }, () => createRoomId())).size).toBe(200);
  });

  it('accepts 8-64 letters, digits, - and _ (never a 6-letter code)', () => {
    expect(isValidRoomId('abcdefgh')).toBe(true);
    expect(isValidRoomId('K7M2QX')).toBe(false);
    expect(isValidRoomId('a'.repeat(65))).toBe(false);
    expect(isValidRoomId('room with spaces')).toBe(false);
    expect(isValidRoomId('../../etc')).toBe(false);
  });

  it('reads a full link, a path or a bare id from the join box', () => {
    expect(parseRoomInput('https://holo.example/r/abcdefghjk#k=secret')).toEqual({ ok: true, roomId: 'abcdefghjk' });
    expect(parseRoomInput('  /r/abcdefghjk?x=1 ')).toEqual({ ok: true, roomId: 'abcdefghjk' });
    expect(parseRoomInput('abcdefghjk')).toEqual({ ok: true, roomId: 'abcdefghjk' });
    expect(parseRoomInput('')).toMatchObject({ ok: false, error: /Enter a room/ });
    expect(parseRoomInput('https://x/r/%E0%A4%A')).toMatchObject({ ok: false });
    expect(parseRoomInput('x'.repeat(3000))).toMatchObject({ ok: false, error: /too long/ });
    expect(parseRoomInput('<script>')).toMatchObject({ ok: false });
  });

  it('maps paths to room ids and back', () => {
    expect(roomPath(room('abcdefghjk'))).toBe('/r/abcdefghjk');
    expect(roomIdFromPath('/r/abcdefghjk')).toBe('abcdefghjk');
    expect(roomIdFromPath('/r/abcdefghjk/')).toBe('abcdefghjk');
    expect(roomIdFromPath('/r/bad%ZZ')).toBeUndefined();
    expect(roomIdFromPath('/r/')).toBeUndefined();
    expect(roomIdFromPath('/x/abcdefghjk')).toBeUndefined();
  });
});
