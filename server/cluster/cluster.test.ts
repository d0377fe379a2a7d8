// Cluster mode (docs/scaling.md): three instances of the real entry point
// (server/main.ts) in child processes on one real Redis, clients connected
// straight to different instances. One Redis and one cluster for the file;
// each test uses its own rooms and topics.
import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { RoomId } from '../../app/core/ids.ts';
import { RoomDoc } from '../../app/sync/doc/room-doc.ts';
import { fetchSnapshot, listSnapshots } from '../../app/sync/history/history-client.ts';
import { createProtectedRoom } from '../../app/sync/roles/credential-keys.ts';
import { HISTORY_PROOF_HEADER, historyAudience, signHistoryRequest } from '../../app/sync/roles/history-proof.ts';
import { type ServerProcess, servedMs, spawnServer, upgradeStatus } from '../abuse/harness.ts';
import { closed, inbox, openSocket } from '../test/helpers.ts';
import { connectTestClient, eventually, type TestClient } from '../test/sync-client.ts';
import { KEYS } from './keys.ts';
import { type RedisProcess, startRedis } from './test-redis.ts';
import { fromPayload, isFrame, isPeerEvent, peersIn, sessionSecret, toPeers, toRoom } from './test-relay.ts';

let redis: RedisProcess;
let inspect: Redis;
let nodes: ServerProcess[] = [];
const clients: TestClient[] = [];
const sockets: WebSocket[] = [];

function startInstance(redisUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return spawnServer({ REDIS_URL: redisUrl, SYNC_WORKERS: '1', ...env });
}

beforeAll(async () => {
  redis = await startRedis();
  inspect = new Redis(redis.url);
  nodes = await Promise.all([0, 1, 2].map(() => startInstance(redis.url)));
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  for (const socket of sockets) socket.terminate();
  await Promise.all(nodes.map((node) => node.stop()));
  inspect?.disconnect();
  await redis?.stop();
}, 30_000);

function client(node: ServerProcess, room: string): TestClient {
  const c = connectTestClient(node.url, room);
  clients.push(c);
  return c;
}

function text(c: TestClient): string {
  return c.doc.getText('script').toString();
}

interface RelayClient {
  ws: WebSocket;
  frames: Buffer[];
  secret: string | undefined;
  closed: Promise<number>;
}

async function relayJoin(node: ServerProcess, room: string, peer: number, secret?: string): Promise<RelayClient> {
  const ws = new WebSocket(node.wsUrl(`/relay?room=${room}&peer=${peer}${secret ? `&secret=${secret}` : ''}`));
  sockets.push(ws);
  const frames: Buffer[] = [];
  const client: RelayClient = {
    ws,
    frames,
    secret: undefined,
    closed: new Promise((resolve) => ws.on('close', (code) => resolve(code))),
  };
  ws.on('message', (data: Buffer) => {
    frames.push(data);
    client.secret ??= sessionSecret(data);
  });
  await eventually(
    () => frames.some((f) => isFrame(f, 'peers')),
    5_000,
    () => `peer ${peer} got no PEERS`,
  );
  return client;
}

function peersOf(c: RelayClient): number[] {
  const frame = c.frames.find((f) => isFrame(f, 'peers')) as Buffer;
  return peersIn(frame) ?? [];
}

/** Payloads of the FROM frames `c` got from `sender`. */
function fromFrames(c: RelayClient, sender: number): Uint8Array[] {
  return c.frames.flatMap((f) => fromPayload(f, sender) ?? []);
}

describe('cluster mode is opt-in', () => {
  it('[CL1] without REDIS_URL the server loads no Redis client; with it, it does', () => {
    const check = (args: string[]) =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', 'server/cluster/standalone-check.ts', ...args], {
          encoding: 'utf8',
        }).trim(),
      ) as string[];
    expect(check([])).toEqual([]);
    expect(check([redis.url]).some((file) => file.includes('ioredis'))).toBe(true);
  }, 30_000);
});

describe('cluster: three instances on one Redis', () => {
  it('[CL1] /healthz and every endpoint answer on each instance', async () => {
    for (const node of nodes) expect(await servedMs(node)).toBeLessThan(3_000);
  });

  it('[CL4] a signaling publish on one instance reaches subscribers on the others, once', async () => {
    const subscribers = await Promise.all(nodes.map((node) => openSocket(node.wsUrl('/signal'))));
    sockets.push(...subscribers);
    const boxes = subscribers.map((socket) => inbox(socket));
    for (const socket of subscribers) socket.send(JSON.stringify({ type: 'subscribe', topics: ['holoroom:cl4room'] }));
    // The subscription reaches Redis asynchronously: publish until the farthest subscriber hears one.
    await eventually(
      () => {
        subscribers[0]?.send(JSON.stringify({ type: 'publish', topic: 'holoroom:cl4room', data: 'probe' }));
        return (boxes[2]?.messages.length ?? 0) > 0;
      },
      5_000,
      () => 'no publish crossed instances',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const box of boxes) box.messages.splice(0);
    subscribers[1]?.send(JSON.stringify({ type: 'publish', topic: 'holoroom:cl4room', data: 'hello from B' }));
    await eventually(
      () => boxes.every((box) => box.messages.some((m) => m.data === 'hello from B')),
      3_000,
      () => JSON.stringify(boxes.map((b) => b.messages)),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const box of boxes) expect(box.messages.filter((m) => m.data === 'hello from B')).toHaveLength(1);
    // SIG6 holds cluster-wide: a socket that did not subscribe hears nothing.
    const stranger = await openSocket((nodes[2] as ServerProcess).wsUrl('/signal'));
    sockets.push(stranger);
    const strangerBox = inbox(stranger);
    subscribers[0]?.send(JSON.stringify({ type: 'publish', topic: 'holoroom:cl4room', data: 'again' }));
    await eventually(
      () => boxes[2]?.messages.some((m) => m.data === 'again') ?? false,
      3_000,
      () => 'lost',
    );
    expect(strangerBox.messages).toHaveLength(0);
  });

  it('[CL6] relay frames cross instances, stamped, room-scoped; TO_PEERS reaches only the named peer', async () => {
    const [a, b, c] = nodes as [ServerProcess, ServerProcess, ServerProcess];
    const pa = await relayJoin(a, 'cl6room', 11);
    const pb = await relayJoin(b, 'cl6room', 12);
    const pc = await relayJoin(c, 'cl6room', 13);
    const other = await relayJoin(b, 'cl6other', 14);
    // RELAY11 across instances: PEERS names the room's peers wherever they are; JOINED reaches the others.
    expect(peersOf(pc).sort()).toEqual([11, 12]);
    await eventually(
      () => pa.frames.some((f) => isPeerEvent(f, 'joined', 13)),
      3_000,
      () => 'no JOINED',
    );
    pa.ws.send(toRoom([1, 2, 3]));
    await eventually(
      () => fromFrames(pb, 11).length === 1 && fromFrames(pc, 11).length === 1,
      3_000,
      () => 'no frame',
    );
    expect([...(fromFrames(pc, 11)[0] as Uint8Array)]).toEqual([1, 2, 3]);
    pb.ws.send(toPeers([13], [9, 9]));
    await eventually(
      () => fromFrames(pc, 12).length === 1,
      3_000,
      () => 'no TO_PEERS frame',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fromFrames(pa, 12)).toHaveLength(0);
    expect(other.frames.filter((f) => isFrame(f, 'from'))).toHaveLength(0);
    pc.ws.close();
    await eventually(
      () => pa.frames.some((f) => isPeerEvent(f, 'left', 13)),
      3_000,
      () => 'no LEFT',
    );
  });

  it('[CL7] a live peer id is taken over on another instance only with its session secret (RELAY9, SEC14)', async () => {
    const [a, b, c] = nodes as [ServerProcess, ServerProcess, ServerProcess];
    const holder = await relayJoin(a, 'cl7room', 21);
    const watcher = await relayJoin(c, 'cl7room', 22);
    expect(await upgradeStatus(new WebSocket(b.wsUrl('/relay?room=cl7room&peer=21')))).toBe(409);
    expect(await upgradeStatus(new WebSocket(b.wsUrl(`/relay?room=cl7room&peer=21&secret=${'0'.repeat(32)}`)))).toBe(
      409,
    );
    const taker = await relayJoin(b, 'cl7room', 21, holder.secret);
    expect(await holder.closed).toBe(4001);
    taker.ws.send(toRoom([7]));
    await eventually(
      () => fromFrames(watcher, 21).length === 1,
      3_000,
      () => 'the new holder is not heard',
    );
    // The watcher never heard 21 leave: the id moved, it did not go.
    expect(watcher.frames.some((f) => isFrame(f, 'left'))).toBe(false);
  });

  it('[CL7] RELAY8 holds cluster-wide: 64 peers a room over all instances, the 65th gets 503', async () => {
    const joined = [];
    for (let i = 0; i < 64; i++) joined.push(relayJoin(nodes[i % 3] as ServerProcess, 'cl8room', 1000 + i));
    await Promise.all(joined);
    expect(await upgradeStatus(new WebSocket((nodes[1] as ServerProcess).wsUrl('/relay?room=cl8room&peer=2000')))).toBe(
      503,
    );
  });

  it('[CL10][CL11] edits on three instances converge, and a newcomer on any instance gets the whole room', async () => {
    const writers = nodes.map((node) => client(node, 'cl10room-converge'));
    await Promise.all(writers.map((w) => w.synced()));
    writers.forEach((w, i) => {
      for (let k = 0; k < 20; k++) w.doc.getText('script').insert(0, `${i}`);
    });
    await eventually(
      () => writers.every((w) => text(w).length === 60 && text(w) === text(writers[0] as TestClient)),
      5_000,
      () => writers.map(text).join(' | '),
    );
    for (const node of nodes) {
      const late = client(node, 'cl10room-converge');
      await late.synced();
      expect(text(late)).toBe(text(writers[0] as TestClient));
    }
    // The durable copy is Redis: snapshot + stream hold every update.
    expect(await inspect.xlen(KEYS.docLog('cl10room-converge'))).toBeGreaterThan(0);
  });

  it('[CL15] presence crosses instances, and an id claimed on one instance is refused on another (SEC15)', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const alice = client(a, 'cl15room-presence');
    const bob = client(b, 'cl15room-presence');
    await Promise.all([alice.synced(), bob.synced()]);
    alice.awareness.setLocalState({ name: 'alice' });
    await eventually(
      () => (bob.awareness.getStates().get(alice.doc.clientID) as { name?: string } | undefined)?.name === 'alice',
      5_000,
      () => 'bob never saw alice',
    );
    // Mallory on B speaks for Alice's id: B's room knows A owns it and drops it.
    const mallory = client(b, 'cl15room-presence');
    await mallory.synced();
    const forged = new Y.Doc();
    forged.clientID = alice.doc.clientID;
    mallory.provider.awareness.setLocalState(null);
    const { Awareness, encodeAwarenessUpdate } = await import('y-protocols/awareness');
    const fake = new Awareness(forged);
    fake.setLocalState({ name: 'mallory' });
    fake.meta.set(forged.clientID, { clock: 1_000, lastUpdated: Date.now() });
    const encoding = await import('lib0/encoding');
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(fake, [forged.clientID]));
    mallory.provider.ws?.send(encoding.toUint8Array(encoder));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((bob.awareness.getStates().get(alice.doc.clientID) as { name?: string }).name).toBe('alice');
    fake.destroy();
    // RS9 across instances: when Alice goes, Bob on B stops seeing her.
    alice.destroy();
    clients.splice(clients.indexOf(alice), 1);
    await eventually(
      () => !bob.awareness.getStates().has(alice.doc.clientID),
      5_000,
      () => 'alice still present',
    );
  });

  it('[CL16] a room code issued on one instance resolves on another; lookups are limited cluster-wide', async () => {
    const [a, b, c] = nodes as [ServerProcess, ServerProcess, ServerProcess];
    const issued = (await (await fetch(`${a.url}/api/rooms/cl16room-codes/code`, { method: 'POST' })).json()) as {
      code: string;
    };
    const found = (await (await fetch(`${b.url}/api/codes/${issued.code}`)).json()) as { room: string };
    expect(found.room).toBe('cl16room-codes');
    const again = (await (await fetch(`${c.url}/api/rooms/cl16room-codes/code`, { method: 'POST' })).json()) as {
      code: string;
    };
    expect(again.code).toBe(issued.code);
    // 20 lookups a minute per address over all instances, not 20 on each (this test used one above).
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const node = nodes[i % 3] as ServerProcess;
      statuses.push((await fetch(`${node.url}/api/codes/ZZZZZZ`)).status);
    }
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(19);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(11);
  });

  it('[CL12] compaction runs once per room for the whole cluster, and the room survives it', async () => {
    const room = 'cl12room-compact';
    const writers = nodes.map((node) => client(node, room));
    await Promise.all(writers.map((w) => w.synced()));
    // 3 x 200 separate updates pass the 500-entry threshold on every instance at about the same time.
    for (let k = 0; k < 200; k++) {
      writers.forEach((w, i) => {
        w.doc.getText('script').insert(0, `${i}`);
      });
      if (k % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await eventually(
      () => writers.every((w) => text(w).length === 600 && text(w) === text(writers[0] as TestClient)),
      10_000,
      () => writers.map((w) => text(w).length).join(' '),
    );
    await eventually(
      () => nodes.some((node) => /compacted a room/.test(node.output())),
      5_000,
      () => 'nobody compacted',
    );
    const compactions = nodes.reduce(
      (sum, node) => sum + (node.output().match(/compacted a room.*cl12room/g)?.length ?? 0),
      0,
    );
    expect(compactions).toBe(1);
    expect(await inspect.exists(KEYS.docSnapshot(room))).toBe(1);
    expect(await inspect.xlen(KEYS.docLog(room))).toBeLessThan(500);
    const late = client(nodes[2] as ServerProcess, room);
    await late.synced();
    expect(text(late)).toBe(text(writers[0] as TestClient));
  });

  it('[CL13] RS6 holds cluster-wide: 64 sync sockets a room over all instances, the 65th gets 503', async () => {
    const room = 'cl13room-seats';
    const opened: WebSocket[] = [];
    for (let i = 0; i < 64; i++) {
      const node = nodes[i % 3] as ServerProcess;
      opened.push(await openSocket(node.wsUrl(`/sync?room=${room}&v=1`)));
    }
    sockets.push(...opened);
    expect(await upgradeStatus(new WebSocket((nodes[2] as ServerProcess).wsUrl(`/sync?room=${room}&v=1`)))).toBe(503);
    const first = opened[0] as WebSocket;
    first.close();
    await closed(first);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await upgradeStatus(new WebSocket((nodes[2] as ServerProcess).wsUrl(`/sync?room=${room}&v=1`)))).toBe(101);
  });

  it('[CL20] [HIST2] [HIST7] a wipe on instance A is kept once, listed and restored through instance B, and every copy converges', async () => {
    const [a, b, c] = nodes as [ServerProcess, ServerProcess, ServerProcess];
    const room = 'cl20room-history';
    const script = 'composition "Kept" {\n  object "Crate" { geometry: "box" }\n}\n';
    const named = (node: ServerProcess, name: string) => {
      const joined = client(node, room);
      joined.awareness.setLocalStateField('user', { name, color: '#4d96ff', inXR: false });
      return joined;
    };
    const wiper = named(a, 'Mallory');
    const restorer = named(b, 'Alice');
    const bystander = named(c, 'Carol');
    await Promise.all([wiper, restorer, bystander].map((joined) => joined.synced()));
    new RoomDoc(restorer.doc).replaceScript(script);
    await eventually(
      () => text(wiper) === script && text(bystander) === script,
      5_000,
      () => 'the script did not reach A and C',
    );
    new RoomDoc(wiper.doc).replaceScript('');
    await eventually(
      () => text(restorer) === '' && text(bystander) === '',
      5_000,
      () => 'the wipe did not reach B and C',
    );

    // Only A judged the wipe (B and C integrate it from the bus): one snapshot, in Redis, listed everywhere.
    const target = (node: ServerProcess) => ({ serverUrl: node.url, roomId: room as RoomId });
    for (let tries = 0; (await inspect.hlen(KEYS.history(room))) === 0; tries++) {
      if (tries > 250) throw new Error('no snapshot was kept');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const listed = await listSnapshots(target(b));
    if (!listed.ok) throw new Error(listed.error);
    expect(listed.snapshots).toHaveLength(1);
    expect(listed.snapshots[0]).toMatchObject({ reason: 'wipe', by: ['Mallory'] });
    expect(listed.snapshots[0]?.present).toEqual(expect.arrayContaining(['Mallory', 'Alice', 'Carol']));
    expect(await listSnapshots(target(c))).toEqual(listed);

    // Restored by a peer on B: A's and C's peers, and each instance's own copy (a newcomer on each), converge.
    const snapshot = await fetchSnapshot(target(b), listed.snapshots[0]?.id ?? 0);
    if (!snapshot.ok) throw new Error(snapshot.error);
    expect(new RoomDoc(restorer.doc).restore(snapshot.update)).toEqual({ ok: true });
    await eventually(
      () => text(wiper) === script && text(bystander) === script,
      5_000,
      () => `after the restore A has ${JSON.stringify(text(wiper))}, C ${JSON.stringify(text(bystander))}`,
    );
    for (const node of nodes) {
      const late = client(node, room);
      await late.synced();
      expect(text(late)).toBe(script);
    }
    // The restore deleted little and inserted much: not a wipe, so nothing more was kept.
    expect(await inspect.hlen(KEYS.history(room))).toBe(1);
  });

  it('[CL20] [HIST5] an owner proof accepted by one instance is a replay on every other', async () => {
    const [a, b, c] = nodes as [ServerProcess, ServerProcess, ServerProcess];
    const room = await createProtectedRoom();
    const path = `/api/rooms/${room.roomId}/history`;
    // Behind one load balancer every instance sees the same Host: the one the proof is signed for.
    const host = new URL(a.url).host;
    const proof = (await signHistoryRequest(room.owner, historyAudience(host), path)) ?? '';
    const status = (node: ServerProcess) =>
      new Promise<number>((resolve, reject) => {
        const sent = request(`${node.url}${path}`, { headers: { host, [HISTORY_PROOF_HEADER]: proof } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        sent.on('error', reject);
        sent.end();
      });
    // Accepted (the room has nothing stored yet: 404 comes after the proof is checked), then a replay anywhere.
    expect(await status(a)).toBe(404);
    expect(await status(b)).toBe(401);
    expect(await status(c)).toBe(401);
    expect(await status(a)).toBe(401);
  });

  it('[CL20] [HIST6] history requests per address are counted over every instance together', async () => {
    // 70 requests spread over three instances: each instance alone would allow 30 a minute; together they
    // allow 30 (60 if the minute turns meanwhile), so some are refused whatever this file asked before.
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) {
      const node = nodes[i % 3] as ServerProcess;
      statuses.push((await fetch(`${node.url}/api/rooms/cl20room-limits/history`)).status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s !== 429).every((s) => s === 404)).toBe(true);
  });
});
