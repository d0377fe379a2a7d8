import { describe, expect, it } from 'vitest';
import type { KeyValueStorage } from '../../core/identity.ts';
import { createProtectedRoom } from './credential-keys.ts';
import { forgetEditorHash, keepRoleHash, linkOrKeptHash } from './kept-keys.ts';
import { readRoleLink } from './room-credential.ts';

function memoryStorage(): KeyValueStorage {
  const data = new Map<string, string>();
  return { getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

describe('kept keys', () => {
  it('[ROLE9] an owner who comes back by the bare link is the owner again; an editor link does not replace it', async () => {
    const room = await createProtectedRoom();
    const storage = memoryStorage();
    expect(linkOrKeptHash(storage, room.roomId, '')).toBe('');
    keepRoleHash(storage, room.roomId, room.ownerHash);
    keepRoleHash(storage, room.roomId, room.editorHash);
    const hash = linkOrKeptHash(storage, room.roomId, '');
    expect((await readRoleLink(room.roomId, hash)).credential?.role).toBe('owner');
    // A link with its own key is used as it is.
    expect(linkOrKeptHash(storage, room.roomId, room.editorHash)).toBe(room.editorHash);
    // Other rooms are not affected; a viewer's link keeps nothing.
    expect(linkOrKeptHash(storage, 'another-room-id', '')).toBe('');
    keepRoleHash(storage, 'another-room-id', '');
    expect(linkOrKeptHash(storage, 'another-room-id', '')).toBe('');
  });

  it('[ROLE9] storage that throws or holds junk changes nothing but the role', async () => {
    const room = await createProtectedRoom();
    const broken: KeyValueStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    keepRoleHash(broken, room.roomId, room.ownerHash);
    expect(linkOrKeptHash(broken, room.roomId, '')).toBe('');
    const junk = memoryStorage();
    junk.setItem(`holoroom.room-key.${room.roomId}`, '#owner=garbage');
    const read = await readRoleLink(room.roomId, linkOrKeptHash(junk, room.roomId, ''));
    expect(read.ok).toBe(false);
    expect(read.credential?.role).toBe('viewer');
  });

  it('[ROT3] a replaced editor link is forgotten; a kept owner key is not', async () => {
    const room = await createProtectedRoom();
    const editorDevice = memoryStorage();
    keepRoleHash(editorDevice, room.roomId, room.editorHash);
    forgetEditorHash(editorDevice, room.roomId);
    expect((await readRoleLink(room.roomId, linkOrKeptHash(editorDevice, room.roomId, ''))).credential?.role).toBe(
      'viewer',
    );
    const ownerDevice = memoryStorage();
    keepRoleHash(ownerDevice, room.roomId, room.ownerHash);
    forgetEditorHash(ownerDevice, room.roomId);
    expect(linkOrKeptHash(ownerDevice, room.roomId, '')).toBe(room.ownerHash);
  });
});
