/**
 * SessionModeration (MOD1, MOD5, ROT1, ROT3): what verified owner entries do
 * to one session's transports, with real Ed25519 keys and a real Yjs document
 * (the transports are recorded calls: RoomSession hands its providers in).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomDoc } from './doc/room-doc.ts';
import { type CreatedRoom, createProtectedRoom } from './roles/credential-keys.ts';
import { CLOSE_REMOVED } from './roles/moderation.ts';
import { type RoomCredential, readRoleLink } from './roles/room-credential.ts';
import { loadSessionKey, sessionId } from './roles/session-key.ts';
import { SessionModeration } from './session-moderation.ts';

async function moderated(credential: RoomCredential, entries = new RoomDoc(new Y.Doc()).ownerEntries()) {
  const moderation = new SessionModeration(credential, await loadSessionKey(undefined), entries);
  const calls: string[] = [];
  moderation.attach({
    closeSession: (session) => calls.push(`close ${session}`),
    disconnectAll: () => calls.push('disconnect all'),
  });
  return { moderation, calls, entries };
}

function viewerOf(room: CreatedRoom): RoomCredential {
  return { role: 'viewer', ownerPublicKey: room.owner.ownerPublicKey };
}

describe('SessionModeration', () => {
  it("[MOD1][MOD5] the owner's kick closes another session's connections, and removes its own page for good", async () => {
    const room = await createProtectedRoom();
    const owner = await moderated(room.owner);
    const viewer = await moderated(viewerOf(room), owner.entries);
    expect(await owner.moderation.kick(viewer.moderation.session)).toBe(true);
    await owner.moderation.entries.settled();
    await viewer.moderation.entries.settled();
    expect(owner.calls).toEqual([`close ${viewer.moderation.session}`]);
    expect(owner.moderation.removed.get()).toBe(false);
    expect(viewer.calls).toEqual(['disconnect all']);
    expect(viewer.moderation.removed.get()).toBe(true);
  });

  it('[MOD1] only the owner kicks, and only a session id', async () => {
    const room = await createProtectedRoom();
    const owner = await moderated(room.owner);
    const viewer = await moderated(viewerOf(room), owner.entries);
    expect(await viewer.moderation.kick(owner.moderation.session)).toBe(false);
    expect(await owner.moderation.kick('not-a-session')).toBe(false);
    expect(owner.entries.length).toBe(0);
  });

  it('[MOD5] a server close with CLOSE_REMOVED removes the page; other closes do not', async () => {
    const room = await createProtectedRoom();
    const viewer = await moderated(viewerOf(room));
    expect(viewer.moderation.serverClosed(4403)).toBe(false);
    expect(viewer.moderation.removed.get()).toBe(false);
    expect(viewer.moderation.serverClosed(CLOSE_REMOVED)).toBe(true);
    expect(viewer.moderation.serverClosed(CLOSE_REMOVED)).toBe(true);
    expect(viewer.calls).toEqual(['disconnect all']);
  });

  it('[ROT1][ROT3] rotating the editor link tells an editor page of the old link, not the owner', async () => {
    const room = await createProtectedRoom();
    const owner = await moderated(room.owner);
    const editorLink = await readRoleLink(room.roomId, room.editorHash);
    if (!editorLink.credential) throw new Error('the editor link of a new room reads');
    const editor = await moderated(editorLink.credential, owner.entries);
    expect(await owner.moderation.rotateEditorLink()).toBe(true);
    expect(await editor.moderation.rotateEditorLink()).toBe(false);
    await editor.moderation.entries.settled();
    expect(editor.moderation.entries.editorEpoch.get()).toBe(1);
    expect(editor.moderation.editorLinkReplaced.get()).toBe(true);
    expect(owner.moderation.editorLinkReplaced.get()).toBe(false);
  });

  it('[MOD5] names its session in a signaling URL', async () => {
    const room = await createProtectedRoom();
    const { moderation } = await moderated(viewerOf(room));
    const url = new URL(moderation.withSession('ws://127.0.0.1:9/signal?x=1'));
    expect(url.searchParams.get('session')).toBe(sessionId(moderation.key.publicKey));
    expect(url.searchParams.get('x')).toBe('1');
  });
});
