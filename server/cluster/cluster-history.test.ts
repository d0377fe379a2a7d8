/**
 * CL20 (docs/scaling.md, docs/history.md): a room's history in Redis, on a
 * real `redis-server`: the same retention as one server (HIST3), a periodic
 * snapshot kept once per room however many instances try (HIST1), the disk
 * quota, and the hourly age sweep. The cluster tests (cluster.test.ts) drive
 * it through real instances.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import type { HistoryPolicy, SnapshotReason } from '../yjs/room-history.ts';
import { Cluster } from './cluster.ts';
import { ClusterHistory } from './cluster-history.ts';
import { DocJournal } from './doc-journal.ts';
import { KEYS } from './keys.ts';
import { type RedisProcess, startRedis } from './test-redis.ts';

const policy: HistoryPolicy = {
  everyMs: 1_000,
  keepPeriodic: 3,
  keepWipes: 2,
  maxAgeMs: 10_000,
  maxBytesPerRoom: 1_000,
};
const nobody = { present: [], by: [] };
const bytes = (n: number) => new Uint8Array(n).fill(7);

let redis: RedisProcess;
const links: Redis[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);

afterAll(async () => {
  for (const link of links) link.disconnect();
  await redis?.stop();
});

/** One instance's view of the history: its own Redis connection, a clock the test moves. */
function instance(clock: { now: number }, diskQuotaBytes = Number.POSITIVE_INFINITY): ClusterHistory {
  const link = new Redis(redis.url);
  links.push(link);
  return new ClusterHistory(link, policy, diskQuotaBytes, () => clock.now);
}

async function reasons(history: ClusterHistory, room: string): Promise<string[]> {
  return ((await history.list(room)) ?? []).map((s) => `${s.reason}:${s.bytes}`);
}

describe('history in Redis', () => {
  it('[CL20] [HIST1] a periodic snapshot is kept once per room, whichever instances try at once', async () => {
    const clock = { now: 1_000_000 };
    const [a, b, c] = [instance(clock), instance(clock), instance(clock)];
    const room = 'cl20-periodic';
    const tries = await Promise.all([a, b, c].map((h) => h.keep(room, bytes(10), 'periodic', nobody)));
    expect(tries.filter((t) => typeof t === 'object')).toHaveLength(1);
    expect(tries.filter((t) => t === 'not-due')).toHaveLength(2);
    // Within everyMs nobody keeps another periodic one; a wipe is always kept.
    clock.now += policy.everyMs - 1;
    expect(await b.keep(room, bytes(11), 'periodic', nobody)).toBe('not-due');
    expect(await c.keep(room, bytes(12), 'wipe', { present: ['Ann', 'Bo'], by: ['Bo'] })).toEqual({ kept: 2 });
    clock.now += policy.everyMs;
    expect(await a.keep(room, bytes(13), 'periodic', nobody)).toEqual({ kept: 3 });
    const listed = (await b.list(room)) ?? [];
    expect(listed.map((s) => [s.id, s.reason, s.bytes])).toEqual([
      [3, 'periodic', 13],
      [2, 'wipe', 12],
      [1, 'periodic', 10],
    ]);
    expect(listed[1]).toMatchObject({ present: ['Ann', 'Bo'], by: ['Bo'], takenAt: 1_000_000 + policy.everyMs - 1 });
    expect(await c.get(room, 2)).toEqual(bytes(12));
    expect(await c.get(room, 99)).toBeUndefined();
  });

  it('[CL20] [HIST3] keeps the newest of each kind apart, drops what is past its age or beyond the bytes per room', async () => {
    const clock = { now: 2_000_000 };
    const history = instance(clock);
    const room = 'cl20-retention';
    const keep = (reason: SnapshotReason, size: number) => {
      clock.now += policy.everyMs;
      return history.keep(room, bytes(size), reason, nobody);
    };
    for (let i = 1; i <= 5; i++) await keep('periodic', i);
    for (let i = 1; i <= 6; i++) await keep('wipe', 10 + i);
    expect(await reasons(history, room)).toEqual(['wipe:16', 'wipe:15', 'periodic:5', 'periodic:4', 'periodic:3']);

    // Bytes: 400 + 400 + 300 pass 1,000, so the oldest of them and everything older goes.
    const bytesRoom = 'cl20-bytes';
    clock.now += 20_000;
    await history.keep(bytesRoom, bytes(400), 'periodic', nobody);
    clock.now += 6_000;
    await history.keep(bytesRoom, bytes(400), 'wipe', nobody);
    clock.now += 5_000; // the first is now 11 s old: past its age
    await history.keep(bytesRoom, bytes(300), 'wipe', nobody);
    expect(await reasons(history, bytesRoom)).toEqual(['wipe:300', 'wipe:400']);
    clock.now += policy.everyMs;
    await history.keep(bytesRoom, bytes(400), 'periodic', nobody);
    expect(await reasons(history, bytesRoom)).toEqual(['periodic:400', 'wipe:300']);
    expect(await history.keep(bytesRoom, bytes(1_001), 'wipe', nobody)).toBe('refused');

    // The sweep removes old snapshots of rooms nobody edits; the room leaves the sweep's index.
    clock.now += 20_000;
    await history.sweep();
    expect(await history.list(room)).toBeUndefined();
    expect(await history.list(bytesRoom)).toBeUndefined();
    const check = links[0] as Redis;
    expect(await check.zscore(KEYS.historyRooms, room)).toBeNull();
    expect(await check.hget(KEYS.docMeta(bytesRoom), 'historyBytes')).toBe('0');
  });

  it('[CL20] [HIST3] snapshots count against the disk quota shared with the rooms', async () => {
    const check = links[0] as Redis;
    await check.set(KEYS.storedBytes, 0);
    const clock = { now: 3_000_000 };
    const history = instance(clock, 2_000);
    await check.set(KEYS.storedBytes, 500); // a room's document
    expect(await history.keep('cl20-quota', bytes(900), 'wipe', nobody)).toEqual({ kept: 1 });
    expect(await check.get(KEYS.storedBytes)).toBe('1400');
    expect(await history.keep('cl20-quota', bytes(700), 'wipe', nobody)).toBe('refused');
    // A room with a document and no history lists as empty; one with neither is unknown (404).
    await check.set(KEYS.docSnapshot('cl20-plain'), 'x');
    expect(await history.list('cl20-plain')).toEqual([]);
    expect(await history.list('cl20-nothing')).toBeUndefined();
  });

  it('[CL20] [HIST3] a room removed by retention (SEC13) takes its history and its bytes with it', async () => {
    const check = links[0] as Redis;
    const cluster = await Cluster.connect({ url: redis.url }, createLogger('error'));
    const journal = new DocJournal(cluster, createLogger('error'), {
      compactAfterUpdates: 500,
      compactAfterBytes: 1 << 20,
      maxRoomBytes: 1 << 20,
      diskQuotaBytes: Number.POSITIVE_INFINITY,
      maxSocketsPerRoom: 64,
      retentionMs: 60_000,
      retentionSweepMs: 1_000,
      inboundBytesPerSecond: 1 << 20,
      maxPresenceBytes: 1 << 16,
      history: policy,
    });
    try {
      const room = 'cl20-removed';
      // The other tests' rooms have snapshots from their fake clocks, which the sweep would take too.
      await check.del(KEYS.historyRooms);
      await check.set(KEYS.storedBytes, 100);
      await check.set(KEYS.docSnapshot(room), 'x'.repeat(100));
      await check.hset(KEYS.docMeta(room), 'bytes', 100);
      expect(await journal.history.keep(room, bytes(50), 'wipe', nobody)).toEqual({ kept: 1 });
      expect(await check.get(KEYS.storedBytes)).toBe('150');
      // Untouched for longer than retention: the next sweep (once a second here) removes it.
      await check.zadd(KEYS.roomsTouched, Date.now() - 120_000, room);
      for (let tries = 0; (await check.exists(KEYS.history(room))) === 1; tries++) {
        if (tries > 100) throw new Error('the room’s history outlived the room');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await check.exists(KEYS.historyData(room), KEYS.docSnapshot(room), KEYS.docMeta(room))).toBe(0);
      expect(await check.zscore(KEYS.historyRooms, room)).toBeNull();
      expect(await check.get(KEYS.storedBytes)).toBe('0');
    } finally {
      journal.close();
      await cluster.close();
    }
  }, 15_000);
});
