import { describe, expect, it } from 'vitest';
import { room } from '../../testing/ids.ts';
import { formatCode, looksLikeRoomCode, requestRoomCode, resolveRoomCode } from './room-code.ts';

const respond = (body: unknown, status = 200): typeof fetch =>
  (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;

describe('room codes on the client', () => {
  it('recognises codes typed loosely', () => {
    expect(looksLikeRoomCode('k7m-2qx')).toBe(true);
    expect(looksLikeRoomCode(' K7M 2QX ')).toBe(true);
    expect(looksLikeRoomCode('K7M2Q0')).toBe(false);
    expect(looksLikeRoomCode('abcdefghjk')).toBe(false);
    expect(formatCode('K7M2QX')).toBe('K7M-2QX');
  });

  it('resolves a code through the server and explains each failure', async () => {
    expect(await resolveRoomCode('k7m2qx', respond({ room: 'abcdefghjk' }))).toEqual({
      ok: true,
      roomId: 'abcdefghjk',
    });
    expect(await resolveRoomCode('k7m2qx', respond({}, 404))).toMatchObject({ ok: false, error: /No room/ });
    expect(await resolveRoomCode('k7m2qx', respond({}, 429))).toMatchObject({ ok: false, error: /wait a minute/ });
    expect(await resolveRoomCode('k7m2qx', respond({ room: '../x' }))).toMatchObject({ ok: false, error: /invalid/ });
    expect(await requestRoomCode(room('abcdefghjk'), respond({ code: 'K7M2QX' }))).toBe('K7M2QX');
    expect(await requestRoomCode(room('abcdefghjk'), respond({ code: '<b>' }))).toBeUndefined();
  });
});
