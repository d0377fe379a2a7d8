/**
 * ROLE8, LOAD16: "Create a protected room" says what went wrong: the keys' code that could not load
 * (offline on a first visit) is not reported as a browser without Ed25519.
 */
import { describe, expect, it } from 'vitest';
import { readRoleLink } from './room-credential.ts';
import { KEYS_CODE_NOT_LOADED, KEYS_NOT_MADE, startProtectedRoom } from './start-protected-room.ts';

/** Where no module is: importing it fails as a chunk the page cannot fetch does. */
const MISSING_CHUNK = new URL('./credential-keys-not-there.ts', import.meta.url).href;

describe('starting a protected room', () => {
  it('[ROLE8][LOAD16] loads the keys’ code, makes the owner key and gives the owner link, whose key the room accepts', async () => {
    const started = await startProtectedRoom();
    if (!started.ok) throw new Error(started.error);
    const [path, hash] = started.path.split('#') as [string, string];
    expect(path).toMatch(/^\/r\/p_[A-Za-z0-9_-]+$/);
    const roomId = decodeURIComponent(path.slice('/r/'.length));
    const read = await readRoleLink(roomId, `#${hash}`);
    expect(read.ok && read.credential?.role).toBe('owner');
  });

  it('[ROLE8][LOAD16] whose keys’ code cannot load says so and asks to check the connection, not that the browser lacks Ed25519', async () => {
    const started = await startProtectedRoom(() => import(/* @vite-ignore */ MISSING_CHUNK));
    expect(started).toEqual({ ok: false, error: KEYS_CODE_NOT_LOADED });
    expect(KEYS_CODE_NOT_LOADED).toMatch(/could not load.*check your connection/);
  });

  it('[ROLE8] in a browser that cannot make Ed25519 keys says that', async () => {
    const keys = await import('./credential-keys.ts');
    const started = await startProtectedRoom(async () => ({
      ...keys,
      createProtectedRoom: () => Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError')),
    }));
    expect(started).toEqual({ ok: false, error: KEYS_NOT_MADE });
  });
});
