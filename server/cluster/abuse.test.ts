// Hostile input through the cluster (docs/scaling.md CL5, CL8, CL10, CL14):
// two in-process instances on one real Redis, so a test can read their
// counters; garbage is published straight into Redis, floods come from
// clients on one instance, and the other instance must stay bounded and served.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { socketFrom } from '../abuse/harness.ts';
import { inbox, openSocket, startTestServer, type TestServer } from '../test/helpers.ts';
import { connectTestClient, eventually, type TestClient } from '../test/sync-client.ts';
import { BUS, writeBusMessage, writeDocUpdate } from './bus-codec.ts';
import { CHANNELS } from './keys.ts';
import { type RedisProcess, startRedis } from './test-redis.ts';
import { fromPayload, isFrame, toRoom } from './test-relay.ts';

let redis: RedisProcess;
let publisher: Redis;
let a: TestServer;
let b: TestServer;
const clients: TestClient[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  redis = await startRedis();
  publisher = new Redis(redis.url);
  // A takes in little per room (CL10), B little from the bus (CL14): the limits tests reach them quickly.
  a = await startTestServer({ redisUrl: redis.url, roomSyncLimits: { clusterRoomBytesPerSecond: 64 * 1024 } });
  b = await startTestServer({ redisUrl: redis.url, roomSyncLimits: { clusterRoomInboundBytesPerSecond: 16 * 1024 } });
}, 30_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.terminate();
  await a?.close();
  await b?.close();
  publisher?.disconnect();
  await redis?.stop();
}, 30_000);

function client(server: TestServer, room: string): TestClient {
  const c = connectTestClient(server.url, room);
  clients.push(c);
  return c;
}

/** Seeded generator (mulberry32): the same garbage on every run. */
function random(seed: number): () => number {
  let t = seed;
  return () => {
    t = (t + 0x6d2b79f5) | 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

async function relayPeer(
  server: TestServer,
  room: string,
  peer: number,
  host = 1,
): Promise<{ ws: WebSocket; frames: Buffer[] }> {
  const ws = socketFrom(host, server.wsUrl(`/relay?room=${room}&peer=${peer}`));
  sockets.push(ws);
  const frames: Buffer[] = [];
  ws.on('message', (data: Buffer) => frames.push(data));
  ws.on('error', () => undefined);
  await eventually(
    () => frames.some((f) => isFrame(f, 'peers')),
    5_000,
    () => `peer ${peer} not joined`,
  );
  return { ws, frames };
}

describe('cluster abuse', () => {
  it('[CL5][CL8][CL14] random and mutated bus messages on every channel are dropped whole; honest traffic still crosses', async () => {
    const room = 'abuse-bus-garbage';
    const writer = client(a, room);
    const reader = client(b, room);
    await Promise.all([writer.synced(), reader.synced()]);
    const subscriber = await openSocket(b.wsUrl('/signal'));
    sockets.push(subscriber);
    const box = inbox(subscriber);
    subscriber.send(JSON.stringify({ type: 'subscribe', topics: ['holoroom:garbage'] }));
    const listener = await relayPeer(b, room, 2);
    const talker = await relayPeer(a, room, 1);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const next = random(16);
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
    const channels = [CHANNELS.signal('holoroom:garbage'), CHANNELS.relay(room), CHANNELS.doc(room)];
    const kinds = Object.values(BUS);
    for (let i = 0; i < 300; i++) {
      for (const channel of channels) {
        const choice = i % 4;
        // Pure noise, a valid header with a noisy body, a doc update with a noisy update, truncations.
        const message =
          choice === 0
            ? bytes(Math.floor(next() * 64))
            : choice === 1
              ? writeBusMessage(kinds[Math.floor(next() * kinds.length)] as number, 7, bytes(Math.floor(next() * 200)))
              : choice === 2
                ? writeDocUpdate(7, `${Date.now() + 60_000}-${i}`, bytes(1 + Math.floor(next() * 100)))
                : writeBusMessage(BUS.relayFrames, 7, bytes(Math.floor(next() * 40))).subarray(0, 3 + (i % 8));
        await publisher.publish(channel, message);
      }
    }
    // Both instances live and still carry everything honest across.
    writer.doc.getText('script').insert(0, 'still here');
    await eventually(
      () => reader.doc.getText('script').toString().includes('still here'),
      5_000,
      () => 'doc lost',
    );
    talker.ws.send(toRoom([5]));
    await eventually(
      () => listener.frames.some((f) => fromPayload(f, 1)?.[0] === 5),
      5_000,
      () => 'relay lost',
    );
    const sender = await openSocket(a.wsUrl('/signal'));
    sockets.push(sender);
    sender.send(JSON.stringify({ type: 'subscribe', topics: ['holoroom:garbage'] }));
    await eventually(
      () => {
        sender.send(JSON.stringify({ type: 'publish', topic: 'holoroom:garbage', data: 'honest' }));
        return box.messages.some((m) => m.data === 'honest');
      },
      5_000,
      () => 'signal lost',
    );
    const counters = b.cluster?.relay.counters;
    expect((counters?.malformed ?? 0) + (b.cluster?.sync.counters.malformed ?? 0)).toBeGreaterThan(0);
  }, 60_000);

  it('[CL8] a relay flood on one instance reaches another only up to the room budget', async () => {
    const room = 'abuse-relay-flood';
    const victim = await relayPeer(b, room, 500);
    let received = 0;
    victim.ws.on('message', (data: Buffer) => {
      if (isFrame(data, 'from')) received += data.length;
    });
    const flooders = await Promise.all(Array.from({ length: 16 }, (_, i) => relayPeer(a, room, 600 + i, 20 + i)));
    const frame = toRoom(new Uint8Array(1999).fill(1));
    const started = Date.now();
    // Each flooder sends its whole burst (300 frames of 2 KB): 9.6 MB offered in a moment.
    for (const flooder of flooders) for (let i = 0; i < 300; i++) flooder.ws.send(frame);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const seconds = (Date.now() - started) / 1000;
    const budget = 2 * 1024 * 1024;
    // What crossed is at most the burst (2 s worth) plus the rate for the time taken.
    expect(received).toBeLessThanOrEqual(2 * budget + budget * seconds + 64 * 1024);
    expect(a.cluster?.relay.counters.droppedOutbound).toBeGreaterThan(0);
    expect((await fetch(`${b.url}/healthz`)).status).toBe(200);
  }, 30_000);

  it('[CL5] a signaling flood on one instance reaches another only up to the topic budget', async () => {
    const topic = 'holoroom:flood';
    const subscriber = await openSocket(b.wsUrl('/signal'));
    sockets.push(subscriber);
    let received = 0;
    subscriber.on('message', () => received++);
    subscriber.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
    const flooders = await Promise.all(Array.from({ length: 12 }, () => openSocket(a.wsUrl('/signal'))));
    sockets.push(...flooders);
    for (const f of flooders) f.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    // 12 sockets x 239 messages: each within its own SIG4 burst, 2,868 offered to the topic at once.
    for (const f of flooders) for (let i = 0; i < 239; i++) f.send(JSON.stringify({ type: 'publish', topic, i }));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const seconds = (Date.now() - started) / 1000;
    expect(received).toBeLessThanOrEqual(4 * 400 + 400 * seconds + 50);
    expect(a.cluster?.signal.counters.droppedOutbound).toBeGreaterThan(0);
  }, 30_000);

  it('[CL10] a room takes in only its budget per instance: past it the sender is closed with 4503', async () => {
    const flooder = client(a, 'abuse-doc-flood');
    await flooder.synced();
    const code = new Promise<number>((resolve) =>
      flooder.provider.on('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)),
    );
    // 300 KiB of honest edits at once: over the 4 x 64 KiB burst this test's instance A allows one room.
    for (let i = 0; i < 30; i++) flooder.doc.getText('script').insert(0, 'x'.repeat(10 * 1024));
    expect(await code).toBe(4503);
    // Another room on the same instance is served as usual.
    const other = client(a, 'abuse-doc-other');
    await other.synced();
  }, 30_000);

  it('[CL14] a room that brings in more than its share from the bus is reloaded here, and its people converge again', async () => {
    const room = 'abuse-doc-inbound';
    const writer = client(a, room);
    const reader = client(b, room);
    await Promise.all([writer.synced(), reader.synced()]);
    const closes: number[] = [];
    reader.provider.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? 0));
    // 100 KiB from A: over B's 4 x 16 KiB inbound burst for one room, within A's own 4 x 64 KiB.
    for (let i = 0; i < 10; i++) writer.doc.getText('script').insert(0, 'y'.repeat(10 * 1024));
    await eventually(
      () => closes.includes(1013),
      5_000,
      () => `reader closes: ${closes}`,
    );
    expect(b.cluster?.sync.counters.resets).toBeGreaterThan(0);
    await eventually(
      () => reader.doc.getText('script').length === writer.doc.getText('script').length,
      10_000,
      () => `${reader.doc.getText('script').length} of ${writer.doc.getText('script').length}`,
    );
  }, 30_000);
});
