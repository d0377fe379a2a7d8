/**
 * MOD3-MOD5, ROT2 (docs/roles.md): owner decisions on the real server
 * (ephemeral loopback port). A kick: the removed session's `/sync`, `/signal`
 * and `/relay` sockets are closed, and it is refused when it comes back with
 * the same session; forged and garbled owner entries and session proofs are
 * refused and kick nobody. A rotation: editors of the old epoch are viewers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { objectId, type PeerId } from '../app/core/ids.ts';
import { RoomDoc } from '../app/sync/doc/room-doc.ts';
import {
  type CreatedRoom,
  createProtectedRoom,
  editorHash,
  mintEditorCapability,
} from '../app/sync/roles/credential-keys.ts';
import { createSessionProof, serverAudience } from '../app/sync/roles/join-proof.ts';
import { CLOSE_REMOVED } from '../app/sync/roles/moderation.ts';
import {
  MAX_OWNER_ENTRIES,
  signEditorEpoch,
  signKick,
  signRoomSettings,
  signVoiceMute,
} from '../app/sync/roles/owner-entries.ts';
import { readRoleMessage, writeOwnerEntry, writeSession } from '../app/sync/roles/role-messages.ts';
import { readRoleLink } from '../app/sync/roles/room-credential.ts';
import { loadSessionKey, type SessionKey, sessionId } from '../app/sync/roles/session-key.ts';
import { webrtcTopic } from '../app/sync/webrtc-topic.ts';
import { upgradeStatus } from './abuse/harness.ts';
import { OwnerDecisions } from './owner-decisions.ts';
import { closed, openSocket, startTestServer, type TestServer } from './test/helpers.ts';
import { connectTestClient, eventually, type TestClient } from './test/sync-client.ts';
import { updateMessage } from './yjs/messages.ts';
import { CLOSE_ROLE_REFUSED, ConnectionRoles } from './yjs/sync-roles.ts';

let server: TestServer;
const clients: TestClient[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.terminate();
  await server?.close();
});

async function person(
  room: CreatedRoom,
  hash: string,
  sessionKey: SessionKey,
  ownerEntries?: Uint8Array[],
  viewersMayGrab?: () => boolean,
) {
  const read = await readRoleLink(room.roomId, hash);
  if (!read.credential) throw new Error('no credential');
  const client = connectTestClient(server.url, room.roomId, new Y.Doc(), read.credential, {
    sessionKey,
    ...(ownerEntries ? { ownerEntries } : {}),
    ...(viewersMayGrab ? { viewersMayGrab } : {}),
  });
  clients.push(client);
  return client;
}

/** The close the client's /sync got (y-websocket stops reconnecting for 4400-4499 and says `closed`). */
function syncClosed(client: TestClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => client.provider.once('closed', (event) => resolve(event)));
}

/** A /signal socket naming `session`, subscribed to the room's topic. */
async function signal(room: CreatedRoom, session: SessionKey): Promise<WebSocket> {
  const socket = await openSocket(server.wsUrl(`/signal?session=${sessionId(session.publicKey)}`));
  sockets.push(socket);
  socket.send(JSON.stringify({ type: 'subscribe', topics: [webrtcTopic(room.roomId)] }));
  socket.send(JSON.stringify({ type: 'ping' }));
  return socket;
}

function relayUrlOf(room: CreatedRoom, peer: number, session: SessionKey): string {
  return server.wsUrl(`/relay?room=${room.roomId}&peer=${peer}&v=1&session=${sessionId(session.publicKey)}`);
}

/** A raw /sync socket with the server's challenge, to send crafted role messages. */
async function rawSync(room: CreatedRoom) {
  const socket = new WebSocket(server.wsUrl(`/sync?room=${room.roomId}&v=1`));
  sockets.push(socket);
  const challenge = new Promise<Uint8Array>((resolve) => {
    socket.on('message', (data: Buffer) => {
      const read = readRoleMessage(new Uint8Array(data));
      if (read.ok && read.message.kind === 'challenge') resolve(read.message.challenge);
    });
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, challenge: await challenge, audience: serverAudience(new URL(server.url).host) };
}

describe('kick on the server (MOD3-MOD5)', () => {
  it('[MOD5] a kicked session’s /sync, /signal and /relay sockets close, and it is refused when it comes back', async () => {
    server = await startTestServer();
    const room = await createProtectedRoom();
    const [ownerSession, viewerSession, otherSession] = await Promise.all([
      loadSessionKey(undefined),
      loadSessionKey(undefined),
      loadSessionKey(undefined),
    ]);
    const owner = await person(room, room.ownerHash, ownerSession);
    const viewer = await person(room, '', viewerSession);
    const other = await person(room, '', otherSession);
    await Promise.all([owner.synced(), viewer.synced(), other.synced()]);
    const viewerSignal = await signal(room, viewerSession);
    const otherSignal = await signal(room, otherSession);
    const viewerRelay = await openSocket(relayUrlOf(room, 11, viewerSession));
    sockets.push(viewerRelay);
    const viewerClosed = syncClosed(viewer);
    const signalClosed = closed(viewerSignal);
    const relayClosed = closed(viewerRelay);
    // Whether the server checks the viewer's session proof before or after the kick arrives, it is closed.
    const entry = await signKick(room.owner, 1, viewerSession.publicKey);
    owner.provider.ws?.send(writeOwnerEntry(entry));

    const removed = { code: CLOSE_REMOVED, reason: 'removed from this room by its owner' };
    expect(await viewerClosed).toEqual(removed);
    expect(await signalClosed).toEqual(removed);
    expect(await relayClosed).toEqual(removed);
    // Nobody else is touched.
    expect(other.provider.wsconnected).toBe(true);
    expect(owner.provider.wsconnected).toBe(true);
    expect(otherSignal.readyState).toBe(WebSocket.OPEN);

    // Back with the same session: /sync closes it once it proves the session, /signal when it
    // subscribes to the room, /relay refuses the upgrade.
    const returning = await person(room, '', viewerSession);
    expect(await syncClosed(returning)).toEqual(removed);
    expect(await closed(await signal(room, viewerSession))).toEqual(removed);
    const relayAgain = new WebSocket(relayUrlOf(room, 12, viewerSession));
    sockets.push(relayAgain);
    expect(await upgradeStatus(relayAgain)).toBe(403);
    // A new session (another browser profile) is a new viewer: kick names sessions, not people.
    const fresh = await person(room, '', await loadSessionKey(undefined));
    await fresh.synced();
    expect(fresh.provider.wsconnected).toBe(true);
  });

  it('[MOD3] after a restart the server learns the kick from the first page that passes the room’s entries on', async () => {
    server = await startTestServer();
    const room = await createProtectedRoom();
    const kickedSession = await loadSessionKey(undefined);
    const entry = await signKick(room.owner, 1, kickedSession.publicKey);
    // This server never saw the kick; an editor's page that holds the entry connects.
    const editor = await person(room, room.editorHash, await loadSessionKey(undefined), [entry]);
    await editor.synced();
    await eventually(
      () => server.roomSync.decisions.isKicked(room.roomId, sessionId(kickedSession.publicKey)),
      5_000,
      () => 'the server never learned the kick',
    );
    const returning = await person(room, '', kickedSession);
    expect((await syncClosed(returning)).code).toBe(CLOSE_REMOVED);
  });

  it('[MOD6] a voice mute the owner passes on verifies on the server and removes nobody', async () => {
    server = await startTestServer();
    const room = await createProtectedRoom();
    const [ownerSession, speakerSession] = await Promise.all([loadSessionKey(undefined), loadSessionKey(undefined)]);
    const owner = await person(room, room.ownerHash, ownerSession);
    const speaker = await person(room, '', speakerSession);
    await Promise.all([owner.synced(), speaker.synced()]);
    owner.provider.ws?.send(writeOwnerEntry(await signVoiceMute(room.owner, 1, speakerSession.publicKey, true)));
    // A kick sent after it is checked after it (one after another per connection): once it holds, the mute was read.
    const other = await loadSessionKey(undefined);
    owner.provider.ws?.send(writeOwnerEntry(await signKick(room.owner, 2, other.publicKey)));
    await eventually(
      () => server.roomSync.decisions.isKicked(room.roomId, sessionId(other.publicKey)),
      5_000,
      () => 'the kick after the mute never arrived',
    );
    expect(server.roomSync.decisions.isKicked(room.roomId, sessionId(speakerSession.publicKey))).toBe(false);
    expect(owner.provider.wsconnected).toBe(true);
    expect(speaker.provider.wsconnected).toBe(true);
  });

  it('[MOD3] [MOD4] forged owner entries and session proofs are refused (4403) and kick nobody', async () => {
    server = await startTestServer();
    const room = await createProtectedRoom();
    const other = await createProtectedRoom();
    const victimSession = await loadSessionKey(undefined);
    const cases: { what: string; send: (raw: Awaited<ReturnType<typeof rawSync>>) => Promise<Uint8Array[]> }[] = [
      {
        what: 'a kick signed by another room’s owner',
        send: async () => [writeOwnerEntry(await signKick(other.owner, 1, victimSession.publicKey))],
      },
      {
        what: 'a kick with a flipped bit',
        send: async () => {
          const entry = await signKick(room.owner, 1, victimSession.publicKey);
          entry[20] = (entry[20] as number) ^ 1;
          return [writeOwnerEntry(entry)];
        },
      },
      { what: 'an oversized entry', send: async () => [writeOwnerEntry(new Uint8Array(400))] },
      { what: 'a garbled entry', send: async () => [writeOwnerEntry(new Uint8Array([1, 1, 0]))] },
      {
        what: 'a session proof for another challenge',
        send: async ({ audience }) => {
          const proof = await createSessionProof(
            room.owner.ownerPublicKey,
            victimSession,
            audience,
            new Uint8Array(32),
          );
          return proof ? [writeSession(proof)] : [];
        },
      },
      {
        what: 'a second session proof',
        send: async ({ audience, challenge }) => {
          const proof = await createSessionProof(room.owner.ownerPublicKey, victimSession, audience, challenge);
          return proof ? [writeSession(proof), writeSession(proof)] : [];
        },
      },
    ];
    for (const { what, send } of cases) {
      const raw = await rawSync(room);
      const closing = closed(raw.socket);
      for (const message of await send(raw)) raw.socket.send(message);
      expect({ what, close: (await closing).code }).toEqual({ what, close: CLOSE_ROLE_REFUSED });
      const victim = await person(room, '', victimSession);
      await victim.synced();
      expect({ what, connected: victim.provider.wsconnected }).toEqual({ what, connected: true });
    }
  });

  it('[MOD3] one connection passes on at most MAX_OWNER_ENTRIES entries', async () => {
    const room = await createProtectedRoom();
    const session = await loadSessionKey(undefined);
    const kicked = new OwnerDecisions();
    kicked.kick(room.roomId, sessionId(session.publicKey));
    const hooks = { send: () => {}, forward: () => {}, refuse: () => {}, removed: () => {} };
    const roles = ConnectionRoles.open(room.roomId, '127.0.0.1:1', hooks, kicked, 10_000);
    if (!roles) throw new Error('a protected room has roles');
    const entry = writeOwnerEntry(await signKick(room.owner, 1, session.publicKey));
    const decisions = Array.from({ length: MAX_OWNER_ENTRIES + 1 }, () => roles.receive(entry));
    roles.close();
    // A kick already known costs no signature check; past the limit the connection is refused.
    expect(decisions.slice(0, MAX_OWNER_ENTRIES).every((decision) => decision === 'consumed')).toBe(true);
    expect(decisions.at(-1)).toBe('refuse');
  });

  it('[ROT2] after a rotation an editor of the old epoch is a viewer: its update closes it (4403) and changes nothing', async () => {
    server = await startTestServer();
    const room = await createProtectedRoom();
    const owner = await person(room, room.ownerHash, await loadSessionKey(undefined));
    const oldEditor = await person(room, room.editorHash, await loadSessionKey(undefined));
    await Promise.all([owner.synced(), oldEditor.synced()]);
    oldEditor.doc.getText('script').insert(0, 'kept');
    await eventually(
      () => owner.doc.getText('script').toString() === 'kept',
      5_000,
      () => 'the editor’s edit never arrived',
    );
    owner.provider.ws?.send(writeOwnerEntry(await signEditorEpoch(room.owner, 1, 1)));
    await eventually(
      () => server.roomSync.decisions.editorEpoch(room.roomId) === 1,
      5_000,
      () => 'the server never learned the epoch',
    );
    const closing = syncClosed(oldEditor);
    oldEditor.doc.getText('script').insert(0, 'wiped ');
    expect((await closing).code).toBe(CLOSE_ROLE_REFUSED);
    // An old link that joins now is a viewer from the start; a link of the new epoch edits.
    const lateOld = await person(room, room.editorHash, await loadSessionKey(undefined));
    await lateOld.synced();
    const lateClosing = syncClosed(lateOld);
    lateOld.doc.getText('script').insert(0, 'late ');
    expect((await lateClosing).code).toBe(CLOSE_ROLE_REFUSED);
    const newEditor = await person(
      room,
      editorHash(await mintEditorCapability(room.owner, 1)),
      await loadSessionKey(undefined),
    );
    await newEditor.synced();
    newEditor.doc.getText('script').insert(newEditor.doc.getText('script').length, '!');
    await eventually(
      () => owner.doc.getText('script').toString() === 'kept!',
      5_000,
      () => `the owner has ${owner.doc.getText('script').toString()}`,
    );
    expect(newEditor.provider.wsconnected).toBe(true);
  });

  it('[ROLE11] where the owner lets viewers grab, the server takes a viewer’s grab and nothing else; before, not even that', async () => {
    server = await startTestServer();
    const room = await createProtectedRoom();
    const crate = objectId('Crate');
    const at = (x: number) => ({
      position: [x, 0, 0] as [number, number, number],
      rotation: [0, 0, 0] as [number, number, number],
      scale: [1, 1, 1] as [number, number, number],
    });
    const owner = await person(room, room.ownerHash, await loadSessionKey(undefined));
    await owner.synced();
    const ownerRoom = new RoomDoc(owner.doc);
    ownerRoom.replaceScript('box Crate { grabbable: true }');
    ownerRoom.setTransform(crate, at(0));
    // A viewer whose page believes viewers may grab, before the owner said so: its grab closes it.
    const early = await person(room, '', await loadSessionKey(undefined), undefined, () => true);
    await early.synced();
    await eventually(
      () => new RoomDoc(early.doc).hasObjectState(crate),
      5_000,
      () => 'the viewer never got the room',
    );
    const earlyClosed = syncClosed(early);
    new RoomDoc(early.doc).setOwner(crate, early.doc.clientID as PeerId);
    expect((await earlyClosed).code).toBe(CLOSE_ROLE_REFUSED);

    owner.provider.ws?.send(writeOwnerEntry(await signRoomSettings(room.owner, 1, { viewersMayGrab: true })));
    await eventually(
      () => server.roomSync.decisions.settings(room.roomId).viewersMayGrab,
      5_000,
      () => 'the server never learned the setting',
    );
    const viewer = await person(room, '', await loadSessionKey(undefined), undefined, () => true);
    await viewer.synced();
    const viewerRoom = new RoomDoc(viewer.doc);
    await eventually(
      () => viewerRoom.hasObjectState(crate),
      5_000,
      () => 'the viewer never got the room',
    );
    viewerRoom.setOwner(crate, viewer.doc.clientID as PeerId);
    viewerRoom.transact(() => {
      viewerRoom.setTransform(crate, at(2));
      viewerRoom.setOwner(crate, null);
    });
    await eventually(
      () => ownerRoom.getObjectState(crate)?.transform?.position[0] === 2,
      5_000,
      () => 'the viewer’s grab never reached the owner through the server',
    );
    expect(ownerRoom.ownerOf(crate)).toBeNull();
    expect(ownerRoom.hasObjectState(objectId('Lamp'))).toBe(false);

    // A crafted update on the viewer's socket: a grab and a script edit together. Refused as a whole.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(viewer.doc));
    const before = Y.encodeStateVector(copy);
    const copyRoom = new RoomDoc(copy);
    copyRoom.transact(() => {
      copyRoom.setTransform(crate, at(3));
      copyRoom.editScript(0, 0, 'wiped ');
    });
    const closing = syncClosed(viewer);
    viewer.provider.ws?.send(new Uint8Array(updateMessage(Y.encodeStateAsUpdate(copy, before))));
    expect((await closing).code).toBe(CLOSE_ROLE_REFUSED);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ownerRoom.scriptText()).toBe('box Crate { grabbable: true }');
    expect(ownerRoom.getObjectState(crate)?.transform?.position[0]).toBe(2);
    expect(owner.provider.wsconnected).toBe(true);
  });
});
