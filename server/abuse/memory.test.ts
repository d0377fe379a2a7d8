// SEC9-SEC11: memory is bounded. One server for SEC9 and SEC10 with small
// rooms (2 MB each), another for SEC11 with a 2 MB budget for all live rooms;
// each test checks that the process lives, the others are served and its
// memory stays within bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { closed } from '../test/helpers.ts';
import { connectTestClient, eventually, type TestClient } from '../test/sync-client.ts';
import { syncStep1Message } from '../yjs/messages.ts';
import {
  logged,
  nonReader,
  opened,
  type ServerProcess,
  servedMs,
  socketFrom,
  spawnServer,
  upgradeStatus,
} from './harness.ts';
import { awarenessFrame } from './hostile.ts';

let server: ServerProcess;
let baselineRss = 0;
const clients: TestClient[] = [];
afterAll(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.stop();
});

async function startWith(env: Record<string, string>): Promise<void> {
  for (const client of clients.splice(0)) client.destroy();
  await server?.stop();
  server = await spawnServer(env);
  await servedMs(server);
  baselineRss = server.rssMb();
}

/** A room holding about `chars` bytes of script, written by an honest client that stays. */
async function filledRoom(room: string, chars: number): Promise<TestClient> {
  const writer = connectTestClient(server.url, room);
  clients.push(writer);
  await writer.synced();
  writer.doc.getText('script').insert(0, 'x'.repeat(chars));
  // A second client that synced after the write proves the server holds it.
  const reader = connectTestClient(server.url, room);
  await reader.synced();
  await eventually(
    () => reader.doc.getText('script').length === chars,
    10_000,
    () => 'room never filled',
  );
  reader.destroy();
  return writer;
}

describe('abuse: memory is bounded', () => {
  beforeAll(() => startWith({ ROOM_MAX_MB: '2' }));

  it('[SEC9] a sync client that asks for the room and never reads is dropped past its byte limit', async () => {
    const writer = await filledRoom('bigroomnumber1', 1_500_000);
    const reader = await nonReader(server.wsUrl('/sync?room=bigroomnumber1&v=1'), 5);
    // Each five-byte request is answered with the whole 1.5 MB room.
    for (let i = 0; i < 4; i++) reader.send(syncStep1Message(new Y.Doc()));
    await logged(server, /dropping socket: not reading.*room=bigroomnumber1/, 15_000);
    reader.destroy();
    writer.destroy();
    expect(await servedMs(server)).toBeLessThan(3_000);
    expect(server.rssMb() - baselineRss).toBeLessThan(150);
  });

  it('[SEC9][SIG10] a signaling subscriber that never reads is dropped past its byte limit', async () => {
    const reader = await nonReader(server.wsUrl('/signal'), 6);
    reader.send(JSON.stringify({ type: 'subscribe', topics: ['flooded'] }));
    const publisher = await opened(socketFrom(7, server.wsUrl('/signal')));
    publisher.send(JSON.stringify({ type: 'subscribe', topics: ['flooded'] }));
    const chunk = 'z'.repeat(60_000);
    for (let i = 0; i < 200 && !/dropping socket: not reading.*127\.0\.0\.6/.test(server.output()); i++) {
      publisher.send(JSON.stringify({ type: 'publish', topic: 'flooded', data: chunk }));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await logged(server, /signal: dropping socket: not reading address=127\.0\.0\.6/);
    publisher.close();
    reader.destroy();
    expect(await servedMs(server)).toBeLessThan(3_000);
    expect(server.rssMb() - baselineRss).toBeLessThan(150);
  });

  it('[SEC10] presence counts towards the room limit; past it the sender is refused', async () => {
    const room = 'presenceroom01';
    const state = JSON.stringify({ user: { name: 'n'.repeat(60_000) } });
    const results: Promise<{ code: number; reason: string }>[] = [];
    // 4 ids per connection (SEC15), 60 KB each: 9 connections would hold 2.1 MB.
    for (let c = 0; c < 9; c++) {
      const socket = await opened(socketFrom(8, server.wsUrl(`/sync?room=${room}&v=1`)));
      results.push(closed(socket));
      for (let i = 0; i < 4; i++) socket.send(awarenessFrame(1_000 * (c + 1) + i, 1, state));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await Promise.race([...results, new Promise((r) => setTimeout(() => r('none'), 5_000))])).toEqual({
      code: 4413,
      reason: 'room is over its size limit',
    });
    expect(await servedMs(server)).toBeLessThan(3_000);
    expect(server.rssMb() - baselineRss).toBeLessThan(150);
  });
});

describe('abuse: the server-wide memory budget', () => {
  beforeAll(() => startWith({ MEMORY_BUDGET_MB: '2' }));

  it('[SEC11] past the memory budget empty rooms are unloaded and new rooms wait', async () => {
    // About 1.2 MB each in memory (12 times their encoded size, live-room.ts IN_MEMORY_FACTOR).
    const a = await filledRoom('budgetroom0001', 100_000);
    const b = await filledRoom('budgetroom0002', 100_000);
    // The shards report what they hold every second; together these are over the 2 MB budget.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await upgradeStatus(socketFrom(9, server.wsUrl('/sync?room=budgetroom0003&v=1')))).toBe(503);
    // Live rooms still take their people.
    expect(await upgradeStatus(socketFrom(9, server.wsUrl('/sync?room=budgetroom0001&v=1')))).toBe(101);
    a.destroy();
    b.destroy();
    clients.splice(0);
    // Once their people leave, the rooms are unloaded at once (not after the idle delay) and room is made.
    let status = 0;
    const deadline = Date.now() + 10_000;
    while (status !== 101 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = await upgradeStatus(socketFrom(9, server.wsUrl('/sync?room=budgetroom0003&v=1')));
    }
    expect(status).toBe(101);
    await logged(server, /refusing socket: memory budget reached/);
    expect(server.alive()).toBe(true);
  });
});
