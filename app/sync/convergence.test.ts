// Seeded randomized convergence: several RoomSessions edit one room
// concurrently (script text and object state) through the real server (in
// process, loopback) and through direct peer links that use the app's guard and
// gate, while servers connections and links drop and come back at random. At
// the end every client and the server hold identical state, and no honest
// update was ever rejected.
import * as prng from 'lib0/prng';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { startTestServer, type TestServer } from '../../server/test/helpers.ts';
import { eventually } from '../../server/test/sync-client.ts';
import { object, room } from '../../testing/ids.ts';
import { TestPeerLink } from '../../testing/sync/peer-link.ts';
import { peerIdOf } from '../core/ids.ts';
import { RoomSession } from './room-session.ts';

const CLIENTS = 4;
const STEPS = 400;
const SEEDS = [1, 7, 42, 1234, 98765];
const OBJECT_IDS = Array.from({ length: 12 }, (_, i) => `Obj${i}`);
const ROOM = 'convergence1';

let server: TestServer;
const sessions: RoomSession[] = [];
const links: TestPeerLink[] = [];
afterEach(async () => {
  for (const link of links.splice(0)) link.destroy();
  for (const session of sessions.splice(0)) session.destroy();
  await server?.close();
});

function open(index: number): RoomSession {
  const session = new RoomSession({
    roomId: room(ROOM),
    signalingUrl: server.wsUrl('/signal'),
    iceServers: [],
    identity: { name: `Client${index}`, color: '#4d96ff' },
    syncServerUrl: server.url.replace(/^http/, 'ws'),
    transports: { webrtc: false },
    localPersistence: false,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  sessions.push(session);
  return session;
}

/** Map key order depends on arrival order; content does not. */
function sortedEntries(record: Record<string, unknown>): [string, unknown][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

/** Comparable content of a room document. */
function content(doc: Y.Doc): string {
  const objects = doc.getMap<Y.Map<unknown>>('objects');
  const entries = [...objects.entries()]
    .map(([id, entry]) => [id, entry instanceof Y.Map ? sortedEntries(entry.toJSON()) : entry])
    .sort(([a], [b]) => String(a).localeCompare(String(b)));
  return JSON.stringify({ script: doc.getText('script').toString(), objects: entries });
}

function randomEdit(gen: prng.PRNG, session: RoomSession): void {
  const room = session.room;
  const id = prng.oneOf(gen, OBJECT_IDS);
  switch (prng.int32(gen, 0, 7)) {
    case 0:
    case 1:
    case 2: {
      const at = prng.int32(gen, 0, room.scriptLength);
      room.editScript(at, 0, prng.utf16String(gen, 6).replace(/[\ud800-\udfff]/g, 'x') || 'a');
      break;
    }
    case 3: {
      if (room.scriptLength === 0) break;
      const at = prng.int32(gen, 0, room.scriptLength - 1);
      room.editScript(at, prng.int32(gen, 1, Math.min(8, room.scriptLength - at)));
      break;
    }
    case 4:
      room.setTransform(object(id), {
        position: [prng.real53(gen), prng.real53(gen), prng.real53(gen)],
        rotation: [0, prng.int32(gen, 0, 359), 0],
        scale: [1, 1, 1],
      });
      break;
    case 5:
      room.setStateValue(object(id), prng.oneOf(gen, ['on', 'count', 'label']), prng.int32(gen, 0, 100));
      break;
    case 6:
      room.setOwner(object(id), prng.bool(gen) ? peerIdOf(session.awareness) : null);
      break;
    default:
      if (prng.bool(gen)) room.removeObjectState(object(id));
      else room.renameObject({ from: object(id), to: object(prng.oneOf(gen, OBJECT_IDS)) });
  }
}

async function runSeed(seed: number): Promise<void> {
  const gen = prng.create(seed);
  const clients = Array.from({ length: CLIENTS }, (_, i) => open(i));
  // Peer links between neighbours (0-1, 1-2, 2-3): the "WebRTC" half of the mesh.
  for (let i = 0; i + 1 < CLIENTS; i++) {
    const link = new TestPeerLink(clients[i] as RoomSession, clients[i + 1] as RoomSession);
    link.connect();
    links.push(link);
  }
  await eventually(
    () => clients.every((c) => c.status.get().server === 'synced'),
    10_000,
    () => 'clients never synced with the server',
  );

  for (let step = 0; step < STEPS; step++) {
    const roll = prng.int32(gen, 0, 99);
    const client = prng.oneOf(gen, clients);
    if (roll < 70) randomEdit(gen, client);
    else if (roll < 78) {
      if (client.server?.shouldConnect) client.server.disconnect();
      else client.server?.connect();
    } else if (roll < 84) {
      const link = prng.oneOf(gen, links);
      if (link.connected) link.disconnect();
      else link.connect();
    } else if (roll < 94) {
      for (const link of links) link.deliver(prng.int32(gen, 1, 4));
    } else {
      // Let the sockets carry what is queued.
      await new Promise((resolve) => setTimeout(resolve, prng.int32(gen, 0, 15)));
    }
  }

  // Heal everything and let it settle.
  for (const client of clients) client.server?.connect();
  for (const link of links) link.connect();
  // The server's copy lives in a shard worker: read it as an update.
  const live = async () => {
    const inspection = await server.roomSync.inspect(ROOM);
    const doc = new Y.Doc();
    if (inspection) Y.applyUpdate(doc, inspection.update);
    return doc;
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    for (const link of links) link.deliver();
    const expected = content(await live());
    if (clients.every((c) => content(c.doc) === expected)) break;
    if (Date.now() > deadline) {
      throw new Error(
        `seed ${seed}: ${clients.map((c) => content(c.doc).length).join(', ')} vs server ${expected.length}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const serverVector = Y.decodeStateVector(Y.encodeStateVector(await live()));
  for (const client of clients) {
    expect(Y.decodeStateVector(Y.encodeStateVector(client.doc))).toEqual(serverVector);
    // Honest traffic is never rejected and never needs the gate's recovery path.
    expect(client.status.get().rejected.count).toBe(0);
    expect(client.gate.stats.rejected).toBe(0);
    expect(client.gate.stats.droppedPending).toBe(0);
  }
  for (const link of links) expect(link.rejections).toEqual([]);
}

describe('convergence under concurrent edits and flaky transports', () => {
  for (const seed of SEEDS) {
    it(`[CONV1] seed ${seed}: every client and the server end identical`, async () => {
      server = await startTestServer();
      await runSeed(seed);
    }, 60_000);
  }
});
