// SEC6-SEC8: updates shaped to make integration slow. One server for the
// file, with two shards and a short work limit; each test checks that the
// process lives, /healthz stays fast and other rooms are served meanwhile.
// Attackers connect from their own loopback addresses (127.0.0.x), the honest
// clients from 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closed } from '../test/helpers.ts';
import { connectTestClient, eventually, type TestClient } from '../test/sync-client.ts';
import { shardOf } from '../yjs/shard-host.ts';
import {
  healthzMs,
  logged,
  opened,
  type ServerProcess,
  servedMs,
  socketFrom,
  spawnServer,
  upgradeStatus,
} from './harness.ts';
import { concurrentInserts, detachedString, updateFrame } from './hostile.ts';

let server: ServerProcess;
let baselineRss = 0;
const clients: TestClient[] = [];
beforeAll(async () => {
  server = await spawnServer({ SYNC_WORKERS: '2', SYNC_WORK_TIMEOUT_MS: '1000' });
  await servedMs(server);
  baselineRss = server.rssMb();
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.stop();
});

/** A room id that lands in shard `shard` of 2. */
function roomInShard(shard: number, prefix: string): string {
  for (let i = 0; ; i++) if (shardOf(`${prefix}${i}`, 2) === shard) return `${prefix}${i}`;
}

function honest(room: string): TestClient {
  const client = connectTestClient(server.url, room);
  clients.push(client);
  return client;
}

/** Milliseconds from an edit in `from` to `to` seeing it. */
async function editReachesMs(from: TestClient, to: TestClient, text: string): Promise<number> {
  const t0 = performance.now();
  from.doc.getText('script').insert(0, text);
  await eventually(
    () => to.doc.getText('script').toString().includes(text),
    10_000,
    () => `edit "${text}" never arrived`,
  );
  return performance.now() - t0;
}

/** Polls /healthz every 20 ms until `done` settles; returns the slowest answer. */
async function slowestHealthz(done: Promise<unknown>): Promise<number> {
  let settled = false;
  void done.finally(() => {
    settled = true;
  });
  let slowest = 0;
  while (!settled) {
    slowest = Math.max(slowest, await healthzMs(server.url, 5_000));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return slowest;
}

describe('abuse: nothing a peer sends freezes the process', () => {
  it('[SEC7] an update that integrates quadratically restarts only its shard; everyone else is served', async () => {
    const room = roomInShard(0, 'quadratic');
    const [sameShardA, sameShardB] = [honest(roomInShard(0, 'neighbour')), honest(roomInShard(0, 'neighbour'))];
    const [otherShardA, otherShardB] = [honest(roomInShard(1, 'elsewhere')), honest(roomInShard(1, 'elsewhere'))];
    await Promise.all(clients.map((client) => client.synced()));

    const socket = await opened(socketFrom(2, server.wsUrl(`/sync?room=${room}&v=1`)));
    const done = closed(socket);
    // Two ~75 KB updates: 5,000 concurrent inserts, then 5,000 more that each scan all of them (3 s here).
    socket.send(updateFrame(concurrentInserts(1, 5_000)));
    socket.send(updateFrame(concurrentInserts(5_001, 5_000)));
    const [slowest, otherShardMs] = await Promise.all([
      slowestHealthz(done),
      new Promise((resolve) => setTimeout(resolve, 300)).then(() => editReachesMs(otherShardA, otherShardB, 'during')),
    ]);
    expect(await done).toEqual({ code: 4408, reason: 'update took too long' });
    await logged(server, /a job took too long; restarting the shard/);
    // HTTP and the other shard never waited for it (loose bounds: the machine is shared).
    expect(slowest).toBeLessThan(1_000);
    expect(otherShardMs).toBeLessThan(1_000);
    // The shard's other rooms were joined again: their sockets stayed open and sync on.
    expect(await editReachesMs(sameShardA, sameShardB, 'after')).toBeLessThan(3_000);
    // The address that did it may not open sync sockets for a while; others may.
    expect(await upgradeStatus(socketFrom(2, server.wsUrl(`/sync?room=${room}&v=1`)))).toBe(429);
    expect(await servedMs(server)).toBeLessThan(3_000);
    expect(server.alive()).toBe(true);
    expect(server.rssMb() - baselineRss).toBeLessThan(200);
  });
});

describe('abuse: the work of one update is bounded', () => {
  it('[SEC8] a connection that keeps the shard busy is closed once its share of shard time is spent', async () => {
    const room = roomInShard(1, 'busyshardroom');
    const socket = await opened(socketFrom(3, server.wsUrl(`/sync?room=${room}&v=1`)));
    const done = closed(socket);
    let result: { code: number; reason: string } | undefined;
    void done.then((r) => {
      result = r;
    });
    // Each update adds 500 concurrent inserts at the same place: each costs more than the last.
    for (let first = 1; result === undefined && first < 40_000; first += 500) {
      socket.send(updateFrame(concurrentInserts(first, 500)));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await done).toEqual({ code: 4429, reason: 'too much work' });
    expect(await servedMs(server)).toBeLessThan(3_000);
    expect(server.alive()).toBe(true);
  });

  it('[SEC6] structs waiting on missing updates are bounded per room; past the bound the sender goes', async () => {
    const room = roomInShard(1, 'pendingroom');
    const socket = await opened(socketFrom(4, server.wsUrl(`/sync?room=${room}&v=1`)));
    const done = closed(socket);
    let result: { code: number; reason: string } | undefined;
    void done.then((r) => {
      result = r;
    });
    // 200 KB strings from a client whose first 1,000 clocks nobody has: all of it waits.
    const text = 'p'.repeat(200_000);
    for (let i = 0; result === undefined && i < 20; i++) {
      socket.send(updateFrame(detachedString(77, 1_000 + i * text.length, text)));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await done).toEqual({ code: 4413, reason: 'too many structs wait on missing updates' });
    expect(await servedMs(server)).toBeLessThan(3_000);
    expect(server.rssMb() - baselineRss).toBeLessThan(200);
  });
});
