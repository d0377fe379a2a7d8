import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MESSAGE_AWARENESS } from '../../app/sync/gate/update-guard.ts';
import { poisonedUpdate } from '../../testing/sync/poisoned-updates.ts';
import { closed, startTestServer, type TestServer } from '../test/helpers.ts';
import { connectTestClient, eventually, type TestClient } from '../test/sync-client.ts';
import { awarenessMessage, syncStep1Message, updateMessage } from './messages.ts';

let server: TestServer;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.close();
});

const ROOM = 'syncroom01';

function client(roomId = ROOM): TestClient {
  const c = connectTestClient(server.url, roomId);
  clients.push(c);
  return c;
}

/** The server's copy of the room, rebuilt from what its shard reports. */
async function serverDoc(roomId = ROOM): Promise<Y.Doc | undefined> {
  const inspection = await server.roomSync.inspect(roomId);
  if (!inspection) return undefined;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, inspection.update);
  return doc;
}

/** Polls an async `check` every 20 ms until true; throws with `what` after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A raw socket on /sync, for sending frames the real client never would. */
function rawSocket(query = `room=${ROOM}&v=1`): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.wsUrl(`/sync?${query}`));
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function upgradeStatus(query: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(server.wsUrl(`/sync?${query}`));
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('open', () => resolve(101));
    socket.once('error', () => undefined);
  });
}

describe('room sync endpoint (y-websocket protocol)', () => {
  it('syncs two clients through the server and keeps the server copy identical', async () => {
    server = await startTestServer();
    const a = client();
    const b = client();
    await Promise.all([a.synced(), b.synced()]);
    a.doc.getText('script').insert(0, 'object "Cube" {}');
    b.doc.getMap('objects').set('Cube', new Y.Map([['owner', 3]]));
    await eventually(
      () => a.doc.getMap('objects').has('Cube') && b.doc.getText('script').length > 0,
      5_000,
      () => 'clients did not converge',
    );
    await until(
      async () => (await serverDoc())?.getMap('objects').has('Cube') === true,
      5_000,
      'server never got both edits',
    );
    const live = await serverDoc();
    expect(live?.getText('script').toString()).toBe('object "Cube" {}');
    expect(Y.encodeStateVector(live as Y.Doc)).toEqual(Y.encodeStateVector(a.doc));
  });

  it('[SEC9] a late joiner has the whole room, edits since the shared reply included, the moment it is synced', async () => {
    server = await startTestServer();
    const writer = client();
    await writer.synced();
    writer.doc.getText('script').insert(0, 'base');
    const first = client();
    await first.synced();
    await eventually(
      () => first.doc.getText('script').toString() === 'base',
      5_000,
      () => 'first joiner never got the base',
    );
    // Edits after the whole-room reply was encoded travel beside it, not inside it.
    for (let i = 0; i < 5; i++) writer.doc.getText('script').insert(4, `+${i}`);
    await eventually(
      () => first.doc.getText('script').length === 14,
      5_000,
      () => 'edits not relayed',
    );
    // What a client has read when the step 2 arrives (and it counts itself synced).
    const late = await rawSocket();
    const received: Uint8Array[] = [];
    let synced = false;
    const upToStep2 = new Promise<void>((resolve) => {
      late.on('message', (data: Buffer) => {
        const bytes = new Uint8Array(data);
        if (synced || bytes[0] !== 0 || bytes[1] === 0) return; // after step 2, awareness, the server's step 1
        received.push(bytes);
        if (bytes[1] === 1) {
          synced = true;
          resolve();
        }
      });
    });
    late.send(syncStep1Message(new Y.Doc()));
    await upToStep2;
    const doc = new Y.Doc();
    for (const message of received) {
      const decoder = decoding.createDecoder(message);
      decoding.readVarUint(decoder);
      decoding.readVarUint(decoder);
      Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
    }
    expect(doc.getText('script').toString()).toBe(writer.doc.getText('script').toString());
  });

  it('[RS5] refuses an upgrade without a valid room or protocol version', async () => {
    server = await startTestServer();
    expect(await upgradeStatus('room=ab&v=1')).toBe(400);
    expect(await upgradeStatus(`room=${ROOM}`)).toBe(400);
    expect(await upgradeStatus(`room=${ROOM}&v=99`)).toBe(400);
    expect(await upgradeStatus(`room=${ROOM}&v=1`)).toBe(101);
  });

  it('[RS1] closes with 1009 on a frame over the limit', async () => {
    server = await startTestServer({ roomSyncLimits: { maxFrameBytes: 1024 } });
    const socket = await rawSocket();
    const done = closed(socket);
    socket.send(new Uint8Array(2048));
    expect((await done).code).toBe(1009);
  });

  it('[RS2] closes with 1008 when a socket sends faster than allowed', async () => {
    server = await startTestServer({ roomSyncLimits: { messagesPerSecond: 5, messageBurst: 5 } });
    const socket = await rawSocket();
    const done = closed(socket);
    const doc = new Y.Doc();
    for (let i = 0; i < 20; i++) socket.send(syncStep1Message(doc));
    expect((await done).code).toBe(1008);
  });

  it('[RS2][SEC9] a socket paused for backpressure still hears its 1008 at once, not after the close timeout', async () => {
    // The writer of a burst is paused (SEC9) when the shard falls behind; the rate close must
    // still complete its handshake, or the client sits "connected" for 30 s and never resyncs.
    server = await startTestServer({
      roomSyncLimits: { messagesPerSecond: 5, messageBurst: 30, maxQueuedMessages: 2 },
    });
    const socket = await rawSocket();
    const done = closed(socket);
    const doc = new Y.Doc();
    const text = doc.getText('script');
    doc.on('update', (update: Uint8Array) => socket.send(updateMessage(update)));
    for (let i = 0; i < 200; i++) text.insert(text.length, `line ${i} ${'x'.repeat(200)}\n`);
    const late = new Promise<{ code: number }>((resolve) => setTimeout(() => resolve({ code: -2 }), 5_000));
    expect((await Promise.race([done, late])).code).toBe(1008);
  });

  it('[RS4] closes with 1003 on a text frame', async () => {
    server = await startTestServer();
    const socket = await rawSocket();
    const done = closed(socket);
    socket.send('{"type":"hello"}');
    expect((await done).code).toBe(1003);
  });

  it('[RS7] terminates a socket that stops answering heartbeats', async () => {
    server = await startTestServer({ roomSyncLimits: { heartbeatMs: 100 } });
    const socket = await rawSocket();
    // Silence the client's automatic pong replies: it now looks dead to the server.
    (socket as unknown as { pong: () => void }).pong = () => undefined;
    expect((await closed(socket)).code).toBe(1006);
  });

  it('[RS3] closes with 4400 on an update that does not integrate; nothing of it is stored or relayed', async () => {
    server = await startTestServer();
    const honest = client();
    await honest.synced();
    honest.doc.getText('script').insert(0, 'kept');
    await until(
      async () => (await serverDoc())?.getText('script').toString() === 'kept',
      5_000,
      'honest edit not on the server',
    );
    const before = server.roomSync.store.size(ROOM);
    const socket = await rawSocket();
    const done = closed(socket);
    socket.send(updateMessage(poisonedUpdate()));
    expect(await done).toEqual({ code: 4400, reason: 'malformed message' });
    expect((await serverDoc())?.getText('script').toString()).toBe('kept');
    expect(server.roomSync.store.size(ROOM)).toEqual(before);
    expect(honest.doc.getText('script').toString()).toBe('kept');
    expect(server.logs.some((entry) => String(entry.fields.detail).includes('later struct'))).toBe(true);
  });

  it('[RS3] closes with 4400 on garbage in a sync message', async () => {
    server = await startTestServer();
    const socket = await rawSocket();
    const done = closed(socket);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 2);
    encoding.writeVarUint8Array(encoder, new Uint8Array([9, 9, 9, 9, 9]));
    socket.send(encoding.toUint8Array(encoder));
    expect((await done).code).toBe(4400);
  });

  it('[RS6] refuses more rooms per address than allowed with 429', async () => {
    server = await startTestServer({ roomSyncLimits: { maxRoomsPerAddress: 2 } });
    await rawSocket('room=roomnumber1&v=1');
    await rawSocket('room=roomnumber2&v=1');
    // Another socket to a room it already has is fine; a third room is not.
    expect(await upgradeStatus('room=roomnumber2&v=1')).toBe(101);
    expect(await upgradeStatus('room=roomnumber3&v=1')).toBe(429);
  });

  it('[RS8] [SEC10] refuses an update that would take the room over its size limit with 4413', async () => {
    server = await startTestServer({ roomSyncLimits: { maxRoomBytes: 400, compactAfterUpdates: 1 } });
    const a = client();
    await a.synced();
    a.doc.getText('script').insert(0, 'x'.repeat(100));
    await until(
      async () => ((await server.roomSync.inspect(ROOM))?.storedBytes ?? 0) > 100,
      5_000,
      'first edit not stored',
    );
    const socket = await rawSocket();
    const done = closed(socket);
    const other = new Y.Doc();
    other.getText('script').insert(0, 'y'.repeat(400));
    socket.send(updateMessage(Y.encodeStateAsUpdate(other)));
    expect(await done).toEqual({ code: 4413, reason: 'room is over its size limit' });
    expect((await serverDoc())?.getText('script').toString()).toBe('x'.repeat(100));
  });

  it('[RS9] [PRES2] removes the presence of a client whose socket dies, for everyone, at once', async () => {
    server = await startTestServer();
    const a = client();
    const b = client();
    await Promise.all([a.synced(), b.synced()]);
    a.awareness.setLocalStateField('user', { name: 'A', color: '#ff0000', inXR: false });
    await eventually(
      () => b.awareness.getStates().has(a.doc.clientID),
      5_000,
      () => 'B never saw A',
    );
    // No goodbye from A: its socket just dies.
    a.provider.shouldConnect = false;
    (a.provider.ws as unknown as WebSocket).terminate();
    const t0 = Date.now();
    await eventually(
      () => !b.awareness.getStates().has(a.doc.clientID),
      2_000,
      () => 'A still in B presence',
    );
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});

describe('presence carried by connections', () => {
  it('[RS9] [SEC15] ignores a state relayed for an id another connection claimed; the relay leaving removes nothing', async () => {
    server = await startTestServer();
    const b = client();
    const c = client();
    await Promise.all([b.synced(), c.synced()]);
    b.awareness.setLocalStateField('user', { name: 'B', color: '#00ff00', inXR: false });
    await eventually(
      () => c.awareness.getStates().has(b.doc.clientID),
      5_000,
      () => 'C never saw B',
    );
    // A stock y-websocket client relays every state it knows, B's included.
    const relay = await rawSocket();
    relay.send(awarenessMessage(b.awareness, [b.doc.clientID]));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const claims = (await server.roomSync.inspect(ROOM))?.claims ?? [];
    expect(claims.filter(([, ids]) => ids.includes(b.doc.clientID))).toHaveLength(1);
    const removedInC: number[] = [];
    c.awareness.on('change', ({ removed }: { removed: number[] }) => removedInC.push(...removed));
    relay.terminate();
    await eventually(
      () => server.roomSync.socketCount === 2,
      5_000,
      () => 'relay socket not gone',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    // B is still connected itself: it must not vanish with the relay, not even for a moment.
    expect(removedInC).toEqual([]);
    expect(c.awareness.getStates().has(b.doc.clientID)).toBe(true);
  });

  it('[RS9] our client sends only its own presence, so its connection carries exactly one person', async () => {
    server = await startTestServer();
    const a = client();
    const b = client();
    await Promise.all([a.synced(), b.synced()]);
    a.awareness.setLocalStateField('user', { name: 'A', color: '#ff0000', inXR: false });
    b.awareness.setLocalStateField('user', { name: 'B', color: '#00ff00', inXR: false });
    // A also hears someone over WebRTC; that state must not be forwarded to the server.
    const elsewhere = new Awareness(new Y.Doc());
    elsewhere.setLocalStateField('user', { name: 'W', color: '#0000ff', inXR: false });
    applyAwarenessUpdate(a.awareness, encodeAwarenessUpdate(elsewhere, [elsewhere.clientID]), 'webrtc');
    await eventually(
      () => a.awareness.getStates().has(b.doc.clientID) && b.awareness.getStates().has(a.doc.clientID),
      5_000,
      () => 'A and B never met',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const carried = ((await server.roomSync.inspect(ROOM))?.claims ?? []).map(([, ids]) => [...ids].sort());
    expect(carried.sort()).toEqual([[a.doc.clientID], [b.doc.clientID]].sort());
    elsewhere.destroy();
  });

  it("[SEC23] [SEC24] a state nobody renews is removed after 30 s and everyone is told; the id stays its connection's", async () => {
    server = await startTestServer();
    // Raw sockets on both ends: a y-protocols client would expire the state by its own clock and hide the server's silence.
    const quiet = await rawSocket();
    const listener = await rawSocket();
    const heard: { at: number; clientId: number; json: string }[] = [];
    listener.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== MESSAGE_AWARENESS) return;
      const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
      const count = decoding.readVarUint(update);
      for (let i = 0; i < count; i++) {
        const clientId = decoding.readVarUint(update);
        decoding.readVarUint(update);
        heard.push({ at: Date.now(), clientId, json: decoding.readVarString(update) });
      }
    });
    const person = new Awareness(new Y.Doc());
    clearInterval(person._checkInterval); // it publishes once, by hand, then goes quiet
    person.setLocalStateField('user', { name: 'Quiet', color: '#ff0000', inXR: false });
    const id = person.clientID;
    quiet.send(awarenessMessage(person, [id]));
    const publishedAt = Date.now();
    await eventually(
      () => heard.some((h) => h.clientId === id && h.json !== 'null'),
      5_000,
      () => 'the listener never heard the state',
    );
    await eventually(
      () => heard.some((h) => h.clientId === id && h.json === 'null'),
      40_000,
      () => `no removal heard ${Math.round((Date.now() - publishedAt) / 1000)} s after the only publish`,
    );
    const removedAfter = (heard.find((h) => h.json === 'null')?.at ?? 0) - publishedAt;
    expect(removedAfter).toBeGreaterThanOrEqual(30_000);
    expect(removedAfter).toBeLessThan(33_000);
    // SEC24: the quiet connection still holds the id; nobody else may take it.
    const claims = (await server.roomSync.inspect(ROOM))?.claims ?? [];
    expect(claims.filter(([, ids]) => ids.includes(id))).toHaveLength(1);
    const impostor = new Awareness(new Y.Doc());
    impostor.clientID = id;
    // A clock well past the server's, so only SEC15's claim can drop it.
    for (let i = 0; i < 8; i++) impostor.setLocalState({ user: { name: 'Impostor', color: '#00ff00', inXR: false } });
    listener.send(awarenessMessage(impostor, [id]));
    // and its owner's renewal brings it back for everyone.
    // The removal took the clock one step on (y-protocols' client re-announces past it when it hears the removal).
    person.setLocalStateField('user', { name: 'Quiet', color: '#ff0000', inXR: true });
    person.setLocalStateField('user', { name: 'Quiet again', color: '#ff0000', inXR: false });
    quiet.send(awarenessMessage(person, [id]));
    await eventually(
      () => heard.some((h) => h.clientId === id && h.json.includes('Quiet again')),
      5_000,
      () => 'the renewal was not heard',
    );
    expect(heard.some((h) => h.json.includes('Impostor'))).toBe(false);
    person.destroy();
    impostor.destroy();
  }, 60_000);
});
