// Losing an instance, the whole cluster, or Redis (docs/scaling.md CL17-CL19):
// real instances (server/main.ts in child processes), a real Redis with its
// append-only file fsynced on every write, and a real HAProxy in front.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { type ServerProcess, spawnServer, upgradeStatus } from '../abuse/harness.ts';
import { connectTestClient, eventually, type TestClient } from '../test/sync-client.ts';
import { KEYS } from './keys.ts';
import { type LoadBalancer, type RedisProcess, startHaproxy, startRedis } from './test-redis.ts';
import { fromPayload, isFrame, isPeerEvent, peersIn, sessionSecret, toRoom } from './test-relay.ts';

let redis: RedisProcess;
let nodes: ServerProcess[] = [];
let balancer: LoadBalancer;
const clients: TestClient[] = [];
const ROOM = 'failover-room-1';

function startInstance(): Promise<ServerProcess> {
  return spawnServer({ REDIS_URL: redis.url, SYNC_WORKERS: '1' });
}

function client(base: string, room = ROOM): TestClient {
  const c = connectTestClient(base, room);
  clients.push(c);
  return c;
}

const text = (c: TestClient) => c.doc.getText('script').toString();

/** The room as Redis holds it: snapshot + stream, integrated into a fresh document. */
async function storedText(room: string): Promise<string> {
  const link = new Redis(redis.url);
  try {
    const doc = new Y.Doc();
    const snapshot = await link.getBuffer(KEYS.docSnapshot(room));
    if (snapshot) Y.applyUpdate(doc, snapshot);
    for (const [, fields] of await link.xrangeBuffer(KEYS.docLog(room), '-', '+')) {
      if (fields[1]) Y.applyUpdate(doc, fields[1]);
    }
    return doc.getText('script').toString();
  } finally {
    link.disconnect();
  }
}

beforeAll(async () => {
  redis = await startRedis({ appendfsync: 'always' });
  nodes = await Promise.all([0, 1, 2].map(() => startInstance()));
  // `first`: every client lands on the first live instance, so the test knows which one to kill.
  balancer = await startHaproxy(
    nodes.map((node) => node.url),
    'first',
  );
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  await balancer?.stop();
  await Promise.all(nodes.map((node) => node.stop()));
  await redis?.stop();
}, 30_000);

describe('failover', () => {
  it('[CL17] kill -9 of the instance a writer is on loses nothing acknowledged; the writer reconnects through the load balancer and carries on', async () => {
    const [a, , c] = nodes as [ServerProcess, ServerProcess, ServerProcess];
    const writer = client(balancer.url);
    const observer = client(c.url);
    await Promise.all([writer.synced(), observer.synced()]);
    // A relay peer through the balancer too, and one straight on C to hear it.
    const relayUrl = (base: string, peer: number, secret?: string) =>
      `${base.replace(/^http/, 'ws')}/relay?room=${ROOM}&peer=${peer}${secret ? `&secret=${secret}` : ''}`;
    const listener = new WebSocket(relayUrl(c.url, 2));
    const heard: number[] = [];
    listener.on('message', (data: Buffer) => {
      const payload = fromPayload(data, 1);
      if (payload) heard.push(payload[0] as number);
    });
    let secret: string | undefined;
    const mover = new WebSocket(relayUrl(balancer.url, 1));
    await new Promise<void>((resolve) =>
      mover.on('message', (data: Buffer) => {
        secret ??= sessionSecret(data);
        if (isFrame(data, 'peers')) resolve();
      }),
    );

    let n = 0;
    const typing = setInterval(() => {
      writer.doc.getText('script').insert(writer.doc.getText('script').length, String(n++ % 10));
    }, 5);
    await eventually(
      () => text(observer).length >= 100,
      5_000,
      () => `observer has ${text(observer).length}`,
    );
    // kill -9 the instance the writer (and the relay peer) are on, mid-edit.
    await a.child.kill('SIGKILL');
    const killedAt = performance.now();
    const acknowledged = text(observer);
    await new Promise<void>((resolve) => a.child.once('exit', () => resolve()));

    // The relay peer comes back through the balancer with its secret and is heard again.
    const back = new WebSocket(relayUrl(balancer.url, 1, secret));
    await new Promise<void>((resolve, reject) => {
      back.once('open', () => resolve());
      back.once('error', reject);
    });
    back.send(toRoom([42]));
    await eventually(
      () => heard.includes(42),
      3_000,
      () => 'the moved relay peer is not heard',
    );
    const relayBackMs = performance.now() - killedAt;

    // The writer's provider reconnects by itself and syncs; its edits meanwhile arrive.
    await eventually(
      () => writer.provider.wsconnected && writer.provider.synced,
      5_000,
      () => 'writer not back',
    );
    const syncBackMs = performance.now() - killedAt;
    clearInterval(typing);
    await eventually(
      () => text(observer) === text(writer),
      5_000,
      () => `observer ${text(observer).length} writer ${text(writer).length}`,
    );
    console.log(`failover: relay back after ${relayBackMs.toFixed(0)} ms, sync back after ${syncBackMs.toFixed(0)} ms`);
    expect(syncBackMs).toBeLessThan(4_000);
    // Nothing another client had seen is missing, and Redis holds all of it.
    expect(text(writer).startsWith(acknowledged)).toBe(true);
    expect(await storedText(ROOM)).toBe(text(writer));
    listener.terminate();
    mover.terminate();
    back.terminate();
  });

  it('[CL17][CL2][CL9][CL15] what other clients saw is in Redis even when the writer dies with its instance; its relay peers and presence are released', async () => {
    const [, b, c] = nodes as [ServerProcess, ServerProcess, ServerProcess];
    const room = 'failover-room-2';
    const writer = connectTestClient(b.url, room);
    const observer = client(c.url, room);
    await Promise.all([writer.synced(), observer.synced()]);
    // A relay peer and a presence state on B, watched from C.
    const doomed = new WebSocket(`${b.url.replace(/^http/, 'ws')}/relay?room=${room}&peer=31`);
    const watcher = new WebSocket(`${c.url.replace(/^http/, 'ws')}/relay?room=${room}&peer=32`);
    const watcherFrames: Buffer[] = [];
    watcher.on('message', (data: Buffer) => watcherFrames.push(data));
    doomed.on('error', () => undefined);
    await eventually(
      () => watcherFrames.some((f) => peersIn(f)?.length === 1 || isFrame(f, 'joined')),
      5_000,
      () => 'the watcher never saw peer 31',
    );
    writer.awareness.setLocalState({ name: 'writer' });
    await eventually(
      () => observer.awareness.getStates().has(writer.doc.clientID),
      5_000,
      () => 'no presence',
    );
    let n = 0;
    const typing = setInterval(() => writer.doc.getText('script').insert(0, String(n++ % 10)), 5);
    await eventually(
      () => text(observer).length >= 100,
      5_000,
      () => 'observer is not hearing',
    );
    b.child.kill('SIGKILL');
    clearInterval(typing);
    writer.destroy();
    const acknowledged = text(observer);
    await new Promise<void>((resolve) => b.child.once('exit', () => resolve()));
    const stored = await storedText(room);
    expect(stored.length).toBeGreaterThanOrEqual(acknowledged.length);
    expect(stored.endsWith(acknowledged) || stored === acknowledged || stored.includes(acknowledged)).toBe(true);
    // CL9, CL15: once B is seen dead (2 s without a heartbeat), its relay peer has left and its presence is gone.
    await eventually(
      () => watcherFrames.some((f) => isPeerEvent(f, 'left', 31)),
      5_000,
      () => 'no LEFT for the dead instance\u2019s peer',
    );
    await eventually(
      () => !observer.awareness.getStates().has(writer.doc.clientID),
      5_000,
      () => 'presence stayed',
    );
    watcher.terminate();
    doomed.terminate();
  });

  it('[CL18] restarting the whole cluster keeps every room', async () => {
    const before = await storedText(ROOM);
    expect(before.length).toBeGreaterThan(100);
    for (const node of nodes) node.child.kill('SIGKILL');
    nodes = await Promise.all([0, 1, 2].map(() => startInstance()));
    for (const node of nodes) {
      const late = client(node.url);
      await late.synced();
      expect(text(late)).toBe(before);
    }
  });

  it('[CL19][CL3] with appendfsync always, kill -9 of Redis loses nothing stored; meanwhile new sockets get 503; instances carry on when it is back', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const room = 'failover-room-3';
    const writer = client(a.url, room);
    const reader = client(b.url, room);
    await Promise.all([writer.synced(), reader.synced()]);
    writer.doc.getText('script').insert(0, 'before the crash');
    await eventually(
      () => text(reader) === 'before the crash',
      3_000,
      () => text(reader),
    );
    await redis.kill();
    // CL3: while Redis is down nothing queues: a new relay socket and a /sync socket for a room
    // this instance would have to load are refused at once with 503.
    expect(await upgradeStatus(new WebSocket(a.wsUrl('/relay?room=failover-room-4&peer=1')))).toBe(503);
    expect(await upgradeStatus(new WebSocket(a.wsUrl('/sync?room=failover-room-4&v=1')))).toBe(503);
    await redis.restart();
    expect(await storedText(room)).toBe('before the crash');
    // The instances' links come back by themselves; a writer whose socket was closed meanwhile reconnects.
    const after = client(a.url, room);
    await eventually(
      () => after.provider.synced,
      10_000,
      () => 'no sync after Redis came back',
    );
    after.doc.getText('script').insert(0, 'after. ');
    await eventually(
      () => text(reader).startsWith('after. '),
      10_000,
      () => text(reader),
    );
  });
});
