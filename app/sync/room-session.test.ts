// RoomSession against the real server (in-process, loopback, port 0) with the
// WebRTC transport switched off: Node has no RTCPeerConnection, and this is
// exactly the "UDP blocked" configuration the server path exists for.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../server/test/helpers.ts';
import { eventually } from '../../server/test/sync-client.ts';
import { updateMessage } from '../../server/yjs/messages.ts';
import { object, peer, room } from '../../testing/ids.ts';
import { createProtectedRoom } from './roles/credential-keys.ts';
import { UNVERIFIED_NAME } from './roles/name-labels.ts';
import { type RoomCredential, readRoleLink } from './roles/room-credential.ts';
import { loadSessionKey, type SessionKey, sessionId } from './roles/session-key.ts';
import { sessionRoles } from './roles/session-roles.ts';
import { RoomSession } from './room-session.ts';

let server: TestServer;
const sessions: RoomSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await server?.close();
});

interface OpenExtra {
  password?: string;
  roomId?: string;
  credential?: RoomCredential;
  sessionKey?: SessionKey;
}

function open(name: string, extra: OpenExtra = {}): RoomSession {
  const session = new RoomSession({
    roomId: room(extra.roomId ?? 'sessionroom1'),
    signalingUrl: server.wsUrl('/signal'),
    iceServers: [],
    identity: { name, color: '#4d96ff' },
    syncServerUrl: server.url.replace(/^http/, 'ws'),
    transports: { webrtc: false },
    localPersistence: false,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    ...(extra.password ? { password: extra.password } : {}),
    ...(extra.credential ? { roles: sessionRoles(extra.credential, extra.sessionKey) } : {}),
  });
  sessions.push(session);
  return session;
}

describe('RoomSession over the server transport', () => {
  it('[TRANSPORT1] converges script and object state, and lists presence, with WebRTC off', async () => {
    server = await startTestServer();
    const a = open('Ann');
    const b = open('Bob');
    expect(a.webrtc).toBeUndefined();
    a.room.replaceScript('object "Cube" {}');
    b.room.setOwner(object('Cube'), peer(5));
    await eventually(
      () => b.room.scriptText() === 'object "Cube" {}' && a.room.getObjectState('Cube')?.owner === 5,
      5_000,
      () => `a=${a.room.scriptText()} b=${b.room.scriptText()}`,
    );
    await eventually(
      () => a.status.get().peers.some((p) => p.name === 'Bob') && b.status.get().server === 'synced',
      5_000,
      () => JSON.stringify(a.status.get()),
    );
    expect(a.status.get().signaling).toBe('connected');
  });

  it('[PRES1] an explicit leave removes this peer from the others at once', async () => {
    server = await startTestServer();
    const a = open('Ann');
    const b = open('Bob');
    await eventually(
      () => b.status.get().peers.length === 1,
      5_000,
      () => 'B never saw A',
    );
    a.leave();
    await eventually(
      () => b.status.get().peers.length === 0,
      1_000,
      () => 'A still listed',
    );
  });

  it('[PW1] a password room never connects to the server sync endpoint', async () => {
    server = await startTestServer();
    const a = open('Ann', { password: 'secret', roomId: 'passwordroom' });
    a.room.replaceScript('secret scene');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(a.server).toBeUndefined();
    expect(a.status.get().server).toBe('off');
    expect(await server.roomSync.inspect('passwordroom')).toBeUndefined();
    expect(server.roomSync.store.size('passwordroom').rows).toBe(0);
  });

  it('[CAP4] a bad frame from the server is rejected visibly and the document is untouched', async () => {
    server = await startTestServer();
    const a = open('Ann');
    await eventually(
      () => a.status.get().server === 'synced',
      5_000,
      () => 'not synced',
    );
    a.room.replaceScript('mine');
    // Pretend to be the server: feed the provider's socket a truncated update.
    const socket = a.server?.ws as unknown as { onmessage: (event: { data: ArrayBuffer }) => void };
    const bad = updateMessage(new Uint8Array([1, 1, 200, 200, 200]));
    socket.onmessage({ data: bad.slice().buffer });
    expect(a.status.get().rejected.count).toBe(1);
    expect(a.status.get().rejected.last?.from).toBe('server');
    expect(a.room.scriptText()).toBe('mine');
  });

  it('[PNAME1] [PNAME3] [PNAME4] in a protected room names are signed by their session: a copied entry is an unverified guest, a chosen same name gets fingerprints', async () => {
    server = await startTestServer();
    const created = await createProtectedRoom();
    const viewer = (await readRoleLink(created.roomId, '')).credential as RoomCredential;
    const person = async (name: string, credential: RoomCredential) =>
      open(name, { roomId: created.roomId, credential, sessionKey: await loadSessionKey(undefined) });
    const owner = await person('Owner', created.owner);
    const alice = await person('Alice', viewer);
    const mallory = await person('Mallory', viewer);
    const ownerSees = () => owner.status.get().peers;
    await eventually(
      () => ownerSees().length === 2 && ownerSees().every((p) => p.nameCheck === 'verified'),
      5_000,
      () => JSON.stringify(ownerSees()),
    );
    const aliceSession = sessionId((alice.sessionKey as SessionKey).publicKey);
    const malloryId = mallory.awareness.clientID;
    expect(ownerSees().find((p) => p.name === 'Alice')?.session).toBe(aliceSession);

    // Mallory publishes Alice's entry (name, session, signature) as her own: it arrives through the server.
    mallory.awareness.setLocalStateField('user', alice.awareness.getLocalState()?.user);
    await eventually(
      () => ownerSees().find((p) => p.peerId === malloryId)?.name === UNVERIFIED_NAME,
      5_000,
      () => JSON.stringify(ownerSees()),
    );
    const forged = ownerSees().find((p) => p.peerId === malloryId);
    expect(forged?.session).toBeUndefined();
    expect(
      ownerSees()
        .filter((p) => p.name === 'Alice')
        .map((p) => p.session),
    ).toEqual([aliceSession]);
    expect(owner.names?.lastRefusal).toBe('name signature does not verify for this room, client id and session');

    // Mallory names herself Alice with her own key: both are listed, told apart by fingerprint.
    mallory.setIdentity({ name: 'Alice', color: '#4d96ff' });
    await eventually(
      () => ownerSees().filter((p) => p.name === 'Alice' && p.fingerprint).length === 2,
      5_000,
      () => JSON.stringify(ownerSees()),
    );
    const [first, second] = ownerSees();
    expect(new Set([first?.session, second?.session]).size).toBe(2);
    expect(first?.fingerprint).not.toBe(second?.fingerprint);
  });
});
