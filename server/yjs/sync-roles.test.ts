/**
 * ROLE5 (docs/roles.md): the server's `/sync` in a protected room, against a
 * real server on an ephemeral loopback port, with honest clients (the app's
 * own provider) and crafted frames on raw sockets.
 */
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { type CreatedRoom, createProtectedRoom } from '../../app/sync/roles/credential-keys.ts';
import { createProof, createSessionProof, serverAudience } from '../../app/sync/roles/join-proof.ts';
import { signKick } from '../../app/sync/roles/owner-entries.ts';
import {
  MESSAGE_ROLE,
  type Proof,
  readRoleMessage,
  writeOwnerEntry,
  writeProof,
  writeSession,
} from '../../app/sync/roles/role-messages.ts';
import { type RoomCredential, readRoleLink } from '../../app/sync/roles/room-credential.ts';
import { loadSessionKey, type SessionKey, sessionId } from '../../app/sync/roles/session-key.ts';
import { CLOSE_REMOVED } from '../owner-decisions.ts';
import { closed, startTestServer, type TestServer } from '../test/helpers.ts';
import { connectTestClient, eventually, newTestSession, type TestClient } from '../test/sync-client.ts';
import { syncStep1Message, updateMessage } from './messages.ts';
import { CLOSE_ROLE_REFUSED, MAX_HELD_UPDATES } from './sync-roles.ts';

let server: TestServer;
const clients: TestClient[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.terminate();
  await server?.close();
});

async function credential(room: CreatedRoom, hash: string): Promise<RoomCredential> {
  const read = await readRoleLink(room.roomId, hash);
  if (!read.credential) throw new Error('no credential');
  return read.credential;
}

async function client(room: CreatedRoom, hash: string): Promise<TestClient> {
  const c = connectTestClient(
    server.url,
    room.roomId,
    new Y.Doc(),
    await credential(room, hash),
    await newTestSession(),
  );
  clients.push(c);
  return c;
}

/** The server's copy of the room's script. */
async function serverScript(roomId: string): Promise<string | undefined> {
  const inspection = await server.roomSync.inspect(roomId);
  if (!inspection) return undefined;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, inspection.update);
  return doc.getText('script').toString();
}

/** Waits (at most 5 s) until the server's copy of the script is `text`. */
async function serverReaches(roomId: string, text: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await serverScript(roomId)) !== text) {
    if (Date.now() > deadline) throw new Error(`the server never had ${JSON.stringify(text)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** An update that writes `text` into the script, from a fresh client. */
function scriptUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('script').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

interface RawConnection {
  socket: WebSocket;
  challenge: Promise<Uint8Array>;
  /** The host the server saw (what the audience names). */
  host: string;
}

/** A raw socket on the room's /sync, with the server's CHALLENGE. */
async function raw(roomId: string): Promise<RawConnection> {
  const socket = new WebSocket(server.wsUrl(`/sync?room=${roomId}&v=1`));
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
  return { socket, challenge, host: new URL(server.url).host };
}

async function proofFor(room: CreatedRoom, hash: string, connection: RawConnection): Promise<Proof> {
  return createProof(await credential(room, hash), serverAudience(connection.host), await connection.challenge);
}

/** MOD4: the SESSION message proving `session` on this connection. */
async function sessionFor(room: CreatedRoom, session: SessionKey, connection: RawConnection): Promise<Uint8Array> {
  const audience = serverAudience(connection.host);
  const proof = await createSessionProof(room.owner.ownerPublicKey, session, audience, await connection.challenge);
  if (!proof) throw new Error('no session proof');
  return writeSession(proof);
}

describe('roles on /sync (ROLE5)', () => {
  it('[ROLE5] owner and editor edits are kept and reach a viewer, whose client sends nothing and is not closed', async () => {
    server = await startTestServer();
    const room = await createProtectedRoom();
    const owner = await client(room, room.ownerHash);
    const editor = await client(room, room.editorHash);
    const viewer = await client(room, '');
    await Promise.all([owner.synced(), editor.synced(), viewer.synced()]);
    owner.doc.getText('script').insert(0, 'owner ');
    editor.doc.getText('script').insert(0, 'editor ');
    await eventually(
      () => viewer.doc.getText('script').length === 13,
      5_000,
      () => `viewer has ${viewer.doc.getText('script').toString()}`,
    );
    // The viewer's own local change goes nowhere: its client does not send it.
    viewer.doc.getText('script').insert(0, 'viewer ');
    owner.doc.getText('script').insert(0, '!');
    await eventually(
      () => editor.doc.getText('script').toString().startsWith('!'),
      5_000,
      () => 'owner edit not relayed',
    );
    expect(editor.doc.getText('script').toString()).not.toContain('viewer');
    expect(await serverScript(room.roomId)).not.toContain('viewer');
    expect(viewer.provider.wsconnected).toBe(true);
  });

  it('[ROLE5] a proven viewer that sends an update is closed with 4403 and the room keeps nothing of it', async () => {
    server = await startTestServer();
    const room = await createProtectedRoom();
    const owner = await client(room, room.ownerHash);
    await owner.synced();
    owner.doc.getText('script').insert(0, 'kept');
    await serverReaches(room.roomId, 'kept');
    const attacker = await raw(room.roomId);
    attacker.socket.send(writeProof(await proofFor(room, '', attacker)));
    attacker.socket.send(updateMessage(scriptUpdate('wiped')));
    expect(await closed(attacker.socket)).toEqual({ code: CLOSE_ROLE_REFUSED, reason: 'role does not allow this' });
    expect(await serverScript(room.roomId)).toBe('kept');
    expect(owner.doc.getText('script').toString()).toBe('kept');
  });

  it('[ROLE5] updates sent before a forged, replayed or misdirected proof are never applied', async () => {
    server = await startTestServer();
    const room = await createProtectedRoom();
    const other = await createProtectedRoom();
    const owner = await client(room, room.ownerHash);
    await owner.synced();
    owner.doc.getText('script').insert(0, 'kept');
    await serverReaches(room.roomId, 'kept');

    const honest = await raw(room.roomId);
    const honestProof = await proofFor(room, room.editorHash, honest);
    const attempts: [string, (c: RawConnection) => Promise<Proof>][] = [
      ['another room’s editor link', (c) => proofFor(other, other.editorHash, c)],
      ['a proof replayed from another connection', async () => honestProof],
      [
        'a proof signed for another server',
        async (c) => createProof(await credential(room, room.editorHash), serverAudience('evil:1'), await c.challenge),
      ],
    ];
    for (const [what, forge] of attempts) {
      const attacker = await raw(room.roomId);
      attacker.socket.send(updateMessage(scriptUpdate(what)));
      attacker.socket.send(writeProof(await forge(attacker)));
      expect(await closed(attacker.socket), what).toEqual({
        code: CLOSE_ROLE_REFUSED,
        reason: 'role does not allow this',
      });
    }
    // The honest connection's own proof still works for it.
    honest.socket.send(writeProof(honestProof));
    honest.socket.send(await sessionFor(room, await loadSessionKey(undefined), honest));
    honest.socket.send(updateMessage(scriptUpdate('editor ')));
    await eventually(
      () => owner.doc.getText('script').toString().includes('editor'),
      5_000,
      () => 'editor update not relayed',
    );
    const script = await serverScript(room.roomId);
    for (const [what] of attempts) expect(script).not.toContain(what);
  });

  it('[ROLE5] [ROLE4] a second proof, a challenge from the client, garbled role bytes and too many waiting updates close with 4403', async () => {
    server = await startTestServer();
    const room = await createProtectedRoom();
    const abuses: [string, (c: RawConnection) => Promise<void>][] = [
      [
        'second proof',
        async (c) => {
          const proof = writeProof(await proofFor(room, '', c));
          c.socket.send(proof);
          c.socket.send(proof);
        },
      ],
      ['challenge', async (c) => c.socket.send(new Uint8Array([MESSAGE_ROLE, 1, ...new Uint8Array(32)]))],
      ['garbled', async (c) => c.socket.send(new Uint8Array([MESSAGE_ROLE, 2, 1, 5]))],
      [
        'held updates',
        async (c) => {
          for (let i = 0; i <= MAX_HELD_UPDATES; i++) c.socket.send(updateMessage(scriptUpdate(`u${i}`)));
        },
      ],
    ];
    for (const [what, abuse] of abuses) {
      const attacker = await raw(room.roomId);
      await abuse(attacker);
      expect(await closed(attacker.socket), what).toEqual({
        code: CLOSE_ROLE_REFUSED,
        reason: 'role does not allow this',
      });
    }
    expect(await serverScript(room.roomId)).toBe('');
  });

  it('[ROLE5] a connection that proves nothing in time is a viewer: it stays, and its waiting update closes it', async () => {
    server = await startTestServer({ roomSyncLimits: { roleProofTimeoutMs: 300 } });
    const room = await createProtectedRoom();
    const silent = await raw(room.roomId);
    const writer = await raw(room.roomId);
    await Promise.all([silent.challenge, writer.challenge]);
    writer.socket.send(updateMessage(scriptUpdate('never proven')));
    expect(await closed(writer.socket)).toEqual({ code: CLOSE_ROLE_REFUSED, reason: 'role does not allow this' });
    // The silent one, a viewer now, still reads: it gets an answer to its sync step 1.
    const answered = new Promise<void>((resolve) => {
      silent.socket.on('message', (data: Buffer) => {
        if (data[0] === 0 && data[1] === 1) resolve();
      });
    });
    silent.socket.send(syncStep1Message(new Y.Doc()));
    await answered;
    expect(silent.socket.readyState).toBe(WebSocket.OPEN);
    expect(await serverScript(room.roomId)).toBe('');
  });

  it('[ROLE5] an unproven connection reads the room at once; an open room sends no challenge and refuses role messages', async () => {
    server = await startTestServer();
    const room = await createProtectedRoom();
    const owner = await client(room, room.ownerHash);
    await owner.synced();
    owner.doc.getText('script').insert(0, 'readable');
    await serverReaches(room.roomId, 'readable');
    const reader = await raw(room.roomId);
    // Before any proof: step 2 and the updates since (SEC9) carry the room.
    const doc = new Y.Doc();
    reader.socket.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) === 0) return;
      Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
    });
    reader.socket.send(syncStep1Message(new Y.Doc()));
    await eventually(
      () => doc.getText('script').toString() === 'readable',
      5_000,
      () => 'an unproven reader did not get the room',
    );
    expect(doc.getText('script').toString()).toBe('readable');

    const open = new WebSocket(server.wsUrl('/sync?room=openroom01&v=1'));
    sockets.push(open);
    const first = await new Promise<Buffer>((resolve) => open.once('message', resolve));
    expect(first[0]).not.toBe(MESSAGE_ROLE);
    // [ROLE4] In an open room a role message is an unknown message type, refused as before.
    open.send(writeProof({ role: 'viewer' }));
    expect((await closed(open)).code).toBe(4400);
  });

  it('[MOD4] an editor’s updates sent before its SESSION wait for it, and count once it verifies', async () => {
    server = await startTestServer();
    const room = await createProtectedRoom();
    const owner = await client(room, room.ownerHash);
    await owner.synced();
    const editor = await raw(room.roomId);
    editor.socket.send(writeProof(await proofFor(room, room.editorHash, editor)));
    editor.socket.send(updateMessage(scriptUpdate('held ')));
    // The proof alone does not let the update through: the owner's own edit arrives and the held one does not.
    owner.doc.getText('script').insert(0, 'owner');
    await serverReaches(room.roomId, 'owner');
    editor.socket.send(await sessionFor(room, await loadSessionKey(undefined), editor));
    await eventually(
      () => owner.doc.getText('script').toString().includes('held'),
      5_000,
      () => 'the held update never counted',
    );
  });

  it('[MOD4] a writer that proves no session in time only reads: what it sent is never applied (4403)', async () => {
    server = await startTestServer({ roomSyncLimits: { roleProofTimeoutMs: 400 } });
    const room = await createProtectedRoom();
    const editor = await raw(room.roomId);
    editor.socket.send(writeProof(await proofFor(room, room.ownerHash, editor)));
    editor.socket.send(updateMessage(scriptUpdate('no session')));
    expect(await closed(editor.socket)).toEqual({ code: CLOSE_ROLE_REFUSED, reason: 'role does not allow this' });
    expect(await serverScript(room.roomId)).toBe('');
  });

  it('[MOD4] [MOD5] a removed session’s updates never land, even when sent before its SESSION is checked', async () => {
    server = await startTestServer();
    const room = await createProtectedRoom();
    const owner = await client(room, room.ownerHash);
    await owner.synced();
    owner.doc.getText('script').insert(0, 'kept');
    await serverReaches(room.roomId, 'kept');
    const removed = await loadSessionKey(undefined);
    const kick = await raw(room.roomId);
    kick.socket.send(writeOwnerEntry(await signKick(room.owner, 1, removed.publicKey)));
    await eventually(
      () => server.roomSync.decisions.isKicked(room.roomId, sessionId(removed.publicKey)),
      5_000,
      () => 'the server never learned the kick',
    );
    for (let attempt = 0; attempt < 3; attempt++) {
      const returning = await raw(room.roomId);
      returning.socket.send(writeProof(await proofFor(room, room.editorHash, returning)));
      for (let i = 0; i < 4; i++) returning.socket.send(updateMessage(scriptUpdate(`slipped ${attempt}.${i} `)));
      returning.socket.send(await sessionFor(room, removed, returning));
      expect((await closed(returning.socket)).code).toBe(CLOSE_REMOVED);
    }
    owner.doc.getText('script').insert(4, '!');
    await serverReaches(room.roomId, 'kept!');
    expect(owner.doc.getText('script').toString()).toBe('kept!');
  });
});
