/**
 * Cluster mode against one instance, in the same run (docs/scaling.md,
 * "Capacity"): the built server in its own processes, a real Redis, and the
 * load from this separate process.
 *
 *  - Poses: 100 relay clients in 10 rooms at 60 Hz, first on one instance, then
 *    spread over 3 instances on one Redis (client i on instance i % 3, so 2/3
 *    of each frame's receivers are on another instance). Latency is send ->
 *    receipt; CPU per delivered frame is measured per instance and for Redis
 *    (/proc/<pid>/stat), so capacity can be projected.
 *  - Edits: a one-character edit on one instance until another instance's
 *    client has it (`scale.cross_instance_edit_ms`), beside the same between
 *    two clients of one instance.
 *  - Failover: kill -9 of the instance behind HAProxy that a client is on,
 *    until its document is synced and its relay socket is back through the
 *    balancer, each with the client's own reconnect delays.
 */
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { Backoff } from '../app/pose/transports/backoff.ts';
import { RELAY_RECONNECT_BASE_MS, RELAY_RECONNECT_MAX_MS } from '../app/pose/transports/relay-transport.ts';
import { readServerFrame, relaySecretParam, relayUrl, writeToRoom } from '../app/pose/wire/relay-frames.ts';
import { type ServerProcess, startServerProcess } from '../e2e/harness/server.ts';
import { startHaproxy, startRedis } from '../server/cluster/test-redis.ts';
import { connectTestClient, eventually, type TestClient } from '../server/test/sync-client.ts';
import { median, p95 } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';

const ROOMS = 10;
const CLIENTS_PER_ROOM = 10;
const TICK_MS = 1000 / 60;
const WARMUP_MS = 1500;
const RUN_MS = 5000;
/** Header (14) + one avatar (32): what one tick of a moving avatar costs on the wire. */
const PAYLOAD_BYTES = 46;
const EDITS = 40;
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** The type of a relay frame from the server, undefined when it does not read. */
function frameType(data: Uint8Array): string | undefined {
  const read = readServerFrame(data);
  return read.ok ? read.frame.type : undefined;
}

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

interface PoseRun {
  p50: number;
  p95: number;
  framesPerSecond: number;
  /** Share of deliveries whose sender was on another instance. */
  crossFraction: number;
  /** CPU ms per second of each process (servers, then Redis if any). */
  cpuMsPerSecond: number[];
  /** Frames delivered to clients of each server per second. */
  deliveredPerSecond: number[];
}

/** 100 relay clients at 60 Hz; client i connects to `servers[i % servers.length]`. */
async function poseLoad(servers: ServerProcess[], extraPids: number[]): Promise<PoseRun> {
  const sockets: WebSocket[] = [];
  const latencies: number[] = [];
  const delivered = servers.map(() => 0);
  let cross = 0;
  let total = 0;
  let measuring = false;
  try {
    await Promise.all(
      Array.from({ length: ROOMS * CLIENTS_PER_ROOM }, (_, i) => {
        const room = `scaleroom${Math.floor(i / CLIENTS_PER_ROOM)}`;
        const at = i % servers.length;
        const server = servers[at] as ServerProcess;
        const ws = new WebSocket(relayUrl(new URL(server.url), room, i + 1));
        sockets.push(ws);
        ws.on('message', (data: Buffer) => {
          if (!measuring) return;
          const read = readServerFrame(data);
          if (!read.ok || read.frame.type !== 'from') return;
          const payload = read.frame.payload;
          latencies.push(performance.now() - Buffer.from(payload.buffer, payload.byteOffset).readDoubleLE(0));
          delivered[at] = (delivered[at] as number) + 1;
          total++;
          if ((read.frame.sender - 1) % servers.length !== at) cross++;
        });
        return new Promise<void>((resolve, reject) => {
          ws.once('error', reject);
          ws.on('message', (data: Buffer) => {
            if (frameType(data) === 'peers') resolve();
          });
        });
      }),
    );
    const payload = Buffer.alloc(PAYLOAD_BYTES);
    const frame = new Uint8Array(1 + PAYLOAD_BYTES);
    const timer = setInterval(() => {
      for (const ws of sockets) {
        payload.writeDoubleLE(performance.now(), 0);
        ws.send(frame.subarray(0, writeToRoom(frame, payload)));
      }
    }, TICK_MS);
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
    const pids = [...servers.map((s) => s.pid), ...extraPids];
    const before = pids.map(cpuMs);
    const started = performance.now();
    measuring = true;
    await new Promise((resolve) => setTimeout(resolve, RUN_MS));
    measuring = false;
    const seconds = (performance.now() - started) / 1000;
    const after = pids.map(cpuMs);
    clearInterval(timer);
    return {
      p50: median(latencies),
      p95: p95(latencies),
      framesPerSecond: total / seconds,
      crossFraction: total === 0 ? 0 : cross / total,
      cpuMsPerSecond: pids.map((_, i) => ((after[i] as number) - (before[i] as number)) / seconds),
      deliveredPerSecond: delivered.map((n) => n / seconds),
    };
  } finally {
    for (const ws of sockets) ws.terminate();
  }
}

/** Milliseconds from an edit on `from` until `to` has it, `EDITS` times. */
async function editLatency(fromUrl: string, toUrl: string, room: string): Promise<number[]> {
  const writer = connectTestClient(fromUrl, room);
  const reader = connectTestClient(toUrl, room);
  try {
    await Promise.all([writer.synced(), reader.synced()]);
    const samples: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const want = reader.doc.getText('script').length + 1;
      // Timed by the reader's own update event, not by polling.
      const seen = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('edit not seen within 5 s')), 5_000);
        const onUpdate = () => {
          if (reader.doc.getText('script').length !== want) return;
          clearTimeout(timer);
          reader.doc.off('update', onUpdate);
          resolve(performance.now());
        };
        reader.doc.on('update', onUpdate);
      });
      const t0 = performance.now();
      writer.doc.getText('script').insert(0, 'x');
      samples.push((await seen) - t0);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return samples;
  } finally {
    writer.destroy();
    reader.destroy();
  }
}

/** kill -9 of the instance a client is on (behind HAProxy); ms until its document and relay are back. */
async function failover(servers: ServerProcess[]): Promise<{ syncMs: number; relayMs: number }> {
  const balancer = await startHaproxy(
    servers.map((s) => s.url),
    'first',
  );
  const room = 'scalefailover';
  let client: TestClient | undefined;
  const sockets: WebSocket[] = [];
  try {
    client = connectTestClient(balancer.url, room);
    await client.synced();
    const url = relayUrl(new URL(balancer.url), room, 1);
    let secret: string | undefined;
    const first = new WebSocket(url);
    sockets.push(first);
    await new Promise<void>((resolve) =>
      first.on('message', (data: Buffer) => {
        const read = readServerFrame(data);
        if (read.ok && read.frame.type === 'session') secret ??= relaySecretParam(read.frame.secret);
        if (read.ok && read.frame.type === 'peers') resolve();
      }),
    );
    // The relay client's own reconnect: the transport's backoff (TRN5) from its first step.
    const backoff = new Backoff({ baseMs: RELAY_RECONNECT_BASE_MS, maxMs: RELAY_RECONNECT_MAX_MS });
    const relayBack = new Promise<number>((resolve) => {
      const attempt = () => {
        const ws = new WebSocket(`${url}&secret=${secret}`);
        sockets.push(ws);
        ws.on('message', (data: Buffer) => {
          if (frameType(data) === 'peers') resolve(performance.now());
        });
        ws.on('error', () => undefined);
        ws.on('close', () => setTimeout(attempt, backoff.next()));
      };
      first.on('close', () => setTimeout(attempt, backoff.next()));
    });
    const victim = servers[0] as ServerProcess;
    const killedAt = performance.now();
    await victim.kill();
    const c = client;
    await eventually(
      () => !c.provider.synced,
      5_000,
      () => 'the client never noticed',
    );
    await eventually(
      () => c.provider.synced,
      10_000,
      () => 'the client never synced again',
    );
    const syncMs = performance.now() - killedAt;
    const relayMs = (await relayBack) - killedAt;
    return { syncMs, relayMs };
  } finally {
    client?.destroy();
    for (const ws of sockets) ws.terminate();
    await balancer.stop();
  }
}

const scale: Benchmark = async () => {
  const redis = await startRedis({ appendfsync: 'everysec' });
  const env = { REDIS_URL: redis.url, LOG_LEVEL: 'warn' };
  const single = await startServerProcess({ env: { LOG_LEVEL: 'warn' } });
  let cluster: ServerProcess[] = [];
  try {
    cluster = await Promise.all([0, 1, 2].map(() => startServerProcess({ env })));
    const one = await poseLoad([single], []);
    const three = await poseLoad(cluster, [redis.pid]);
    const singleEdits = await editLatency(single.url, single.url, 'scaleeditsingle');
    const crossEdits = await editLatency(
      (cluster[0] as ServerProcess).url,
      (cluster[1] as ServerProcess).url,
      'scaleeditcross',
    );
    const { syncMs, relayMs } = await failover(cluster);

    const usPerFrame = (cpuMsPerSecond: number, framesPerSecond: number) =>
      framesPerSecond > 0 ? (cpuMsPerSecond * 1000) / framesPerSecond : 0;
    const metrics: Record<string, number> = {
      'scale.single_pose_p50_ms': one.p50,
      'scale.single_pose_p95_ms': one.p95,
      'scale.single_frames_per_second': one.framesPerSecond,
      'scale.single_cpu_pct': (one.cpuMsPerSecond[0] as number) / 10,
      'scale.single_cpu_us_per_frame': usPerFrame(one.cpuMsPerSecond[0] as number, one.framesPerSecond),
      'scale.cross_instance_pose_p50_ms': three.p50,
      'scale.cross_instance_pose_p95_ms': three.p95,
      'scale.frames_per_second': three.framesPerSecond,
      'scale.cross_instance_fraction': three.crossFraction,
      'scale.redis_cpu_pct': (three.cpuMsPerSecond[3] as number) / 10,
      'scale.redis_cpu_us_per_frame': usPerFrame(three.cpuMsPerSecond[3] as number, three.framesPerSecond),
      'scale.single_edit_ms': median(singleEdits),
      'scale.cross_instance_edit_ms': median(crossEdits),
      'scale.cross_instance_edit_p95_ms': p95(crossEdits),
      'scale.failover_reconnect_ms': Math.max(syncMs, relayMs),
      'scale.failover_sync_ms': syncMs,
      'scale.failover_relay_ms': relayMs,
    };
    for (let i = 0; i < 3; i++) {
      const cpu = three.cpuMsPerSecond[i] as number;
      metrics[`scale.instance${i + 1}_cpu_pct`] = cpu / 10;
      metrics[`scale.instance${i + 1}_cpu_us_per_frame`] = usPerFrame(cpu, three.deliveredPerSecond[i] as number);
    }
    console.log(
      `scale: one instance ${one.framesPerSecond.toFixed(0)} frames/s p95 ${one.p95.toFixed(1)} ms; ` +
        `three ${three.framesPerSecond.toFixed(0)} frames/s p95 ${three.p95.toFixed(1)} ms ` +
        `(${(100 * three.crossFraction).toFixed(0)} % cross); CPU ms/s ${three.cpuMsPerSecond.map((c) => c.toFixed(0)).join(' ')}; ` +
        `edit ${median(singleEdits).toFixed(1)} vs ${median(crossEdits).toFixed(1)} ms; failover sync ${syncMs.toFixed(0)} relay ${relayMs.toFixed(0)} ms`,
    );
    return metrics;
  } finally {
    await single.stop();
    await Promise.all(cluster.map((s) => s.stop()));
    await redis.stop();
  }
};

export default scale;
