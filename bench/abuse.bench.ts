/**
 * The server under abuse, in its own process (the built server, default
 * settings), measured from outside:
 *
 *  - `abuse.healthz_p99_under_yjs_flood_ms`: /healthz answer time (p99) while
 *    one client sends 1 MB/s of hostile Yjs updates to one room: updates
 *    shaped to integrate quadratically, structs waiting on missing clocks, and
 *    floods of new structs. When the server closes the flooder it reconnects
 *    from a fresh loopback address, as an attacker with many addresses would.
 *    Beside it: the same p99 with no flood (`abuse.healthz_p99_idle_ms`), an
 *    honest edit's round trip in another room during the flood, and how often
 *    a shard was restarted (SEC7).
 *  - `abuse.rss_growth_mb_nonreading_clients`: resident memory the server gains
 *    while 100 clients in one 1 MB room ask for the whole room and never read,
 *    as an honest writer keeps editing (SEC9). Without the byte limit every one
 *    of them would hold every reply and every edit.
 */
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { startServerProcess } from '../e2e/harness/server.ts';
import { type RawSocket, rawSocket } from '../server/abuse/harness.ts';
import { concurrentInserts, detachedString, updateFrame } from '../server/abuse/hostile.ts';
import { connectTestClient, eventually } from '../server/test/sync-client.ts';
import { syncStep1Message } from '../server/yjs/messages.ts';
import { quantile } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';

const FLOOD_MS = 15_000;
const FLOOD_BYTES_PER_SECOND = 1024 * 1024;
const PROBE_INTERVAL_MS = 10;
const NON_READERS = 100;
const NON_READER_MS = 10_000;

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** /healthz answer times, one every PROBE_INTERVAL_MS, until `stop()` is true. */
async function probe(base: string, stop: () => boolean): Promise<number[]> {
  const samples: number[] = [];
  while (!stop()) {
    const t0 = performance.now();
    const response = await fetch(`${base}/healthz`);
    await response.arrayBuffer();
    samples.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
  return samples;
}

/** The n-th loopback address past 127.0.0.1: one more "person" to the server's per-address limits. */
function loopbackAddress(n: number): string {
  return `127.0.${Math.floor(n / 250)}.${(n % 250) + 2}`;
}

/** The hostile updates the flooder cycles through, each about 16-80 KB. */
function* hostileUpdates(): Generator<Uint8Array> {
  let client = 1;
  let clock = 1_000;
  for (let round = 0; ; round++) {
    yield updateFrame(concurrentInserts(client, 2_000));
    client += 2_000;
    yield updateFrame(detachedString(900_000 + round, clock, 'p'.repeat(60_000)));
    clock += 60_000;
  }
}

async function flood(base: string, room: string, stop: () => boolean): Promise<{ bytes: number; reconnects: number }> {
  const updates = hostileUpdates();
  let bytes = 0;
  let reconnects = 0;
  let socket: RawSocket | undefined;
  let address = 0;
  const t0 = performance.now();
  while (!stop()) {
    if (!socket || socket.gone) {
      socket?.destroy();
      try {
        socket = await rawSocket(`${base.replace('http', 'ws')}/sync?room=${room}&v=1`, {
          localAddress: loopbackAddress(address++),
          read: true,
        });
        reconnects++;
      } catch {
        socket = undefined;
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
    }
    // Pace to FLOOD_BYTES_PER_SECOND.
    const due = ((performance.now() - t0) / 1000) * FLOOD_BYTES_PER_SECOND;
    if (bytes < due) {
      const frame = updates.next().value as Uint8Array;
      if (socket.send(frame)) bytes += frame.length;
    } else {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  socket?.destroy();
  return { bytes, reconnects };
}

async function healthzUnderFlood(): Promise<Record<string, number>> {
  const server = await startServerProcess({ env: { LOG_LEVEL: 'error' } });
  try {
    const idleEnd = performance.now() + 3_000;
    const idleSamples = await probe(server.url, () => performance.now() > idleEnd);

    // An honest pair in another room, editing during the flood.
    const a = connectTestClient(server.url, 'honestbenchroom1');
    const b = connectTestClient(server.url, 'honestbenchroom1');
    await Promise.all([a.synced(), b.synced()]);
    const end = performance.now() + FLOOD_MS;
    const stop = () => performance.now() > end;
    const edits: number[] = [];
    const honest = (async () => {
      for (let i = 0; !stop(); i++) {
        const t0 = performance.now();
        a.doc.getText('script').insert(0, 'e');
        await eventually(
          () => b.doc.getText('script').length === i + 1,
          10_000,
          () => 'edit lost',
        );
        edits.push(performance.now() - t0);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const [samples, flooded] = await Promise.all([
      probe(server.url, stop),
      flood(server.url, 'floodedbenchroom', stop),
      honest,
    ]);
    a.destroy();
    b.destroy();
    const restarts = (server.output().match(/restarting the shard/g) ?? []).length;
    return {
      'abuse.healthz_p99_under_yjs_flood_ms': quantile(samples, 0.99),
      'abuse.healthz_p50_under_yjs_flood_ms': quantile(samples, 0.5),
      'abuse.healthz_p99_idle_ms': quantile(idleSamples, 0.99),
      'abuse.honest_edit_p95_under_flood_ms': quantile(edits, 0.95),
      'abuse.flood_mb_per_s': flooded.bytes / (1024 * 1024) / (FLOOD_MS / 1000),
      'abuse.flood_reconnects': flooded.reconnects,
      'abuse.flood_shard_restarts': restarts,
    };
  } finally {
    await server.stop();
  }
}

/** A room of about 1 MB on the server, with its writer still connected. */
async function filledRoom(base: string, room: string) {
  const writer = connectTestClient(base, room);
  await writer.synced();
  writer.doc.getText('script').insert(0, 'w'.repeat(1_000_000));
  const check = connectTestClient(base, room);
  await check.synced(20_000);
  await eventually(
    () => check.doc.getText('script').length === 1_000_000,
    20_000,
    () => 'room not filled',
  );
  check.destroy();
  return writer;
}

async function nonReadingClients(): Promise<Record<string, number>> {
  const server = await startServerProcess({ env: { LOG_LEVEL: 'warn' } });
  try {
    // Two rooms: a room takes at most 64 sockets (RS6).
    const rooms = ['nonreadersroom01', 'nonreadersroom02'];
    const writers = await Promise.all(rooms.map((room) => filledRoom(server.url, room)));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = rssMb(server.pid);
    let peak = before;
    const readers = [];
    for (let i = 0; i < NON_READERS; i++) {
      const room = rooms[i % rooms.length] as string;
      // Four per address: as many people behind NATs.
      const url = `${server.url.replace('http', 'ws')}/sync?room=${room}&v=1`;
      const reader = await rawSocket(url, { localAddress: loopbackAddress(1_000 + Math.floor(i / 4)) });
      for (let k = 0; k < 4; k++) reader.send(syncStep1Message(new Y.Doc()));
      readers.push(reader);
    }
    const end = performance.now() + NON_READER_MS;
    while (performance.now() < end) {
      for (const writer of writers) writer.doc.getText('script').insert(0, 'more '.repeat(200));
      peak = Math.max(peak, rssMb(server.pid));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const dropped = (server.output().match(/dropping socket:/g) ?? []).length;
    for (const reader of readers) reader.destroy();
    for (const writer of writers) writer.destroy();
    return {
      'abuse.rss_growth_mb_nonreading_clients': peak - before,
      'abuse.nonreading_clients_dropped': dropped,
    };
  } finally {
    await server.stop();
  }
}

const abuse: Benchmark = async () => ({ ...(await healthzUnderFlood()), ...(await nonReadingClients()) });
export default abuse;
