/**
 * The pose relay under load: 100 simulated clients (Node `ws`, loopback) in 10
 * rooms, each sending one avatar-sized frame per 60 Hz tick to its room, for
 * RUN_MS. The server is the real built server in its own process, so its CPU
 * is measured alone (/proc/<pid>/stat): `pose.relay_cpu_pct` is percent of one
 * core. `pose.relay_latency_p95_ms` is send -> receipt at the other clients.
 */
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { RELAY_FROM, RELAY_PEERS, RELAY_TO_ROOM } from '../app/pose/wire/relay-frames.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import { median, p95 } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';

const ROOMS = 10;
const CLIENTS_PER_ROOM = 10;
const TICK_MS = 1000 / 60;
const WARMUP_MS = 1000;
const RUN_MS = 5000;
/** Header (14) + one avatar (32): what one tick of a moving avatar costs on the wire. */
const PAYLOAD_BYTES = 46;

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of the full line (12 and 13 after "pid (comm) ").
  return Number(fields[11]) + Number(fields[12]);
}

const relay: Benchmark = async () => {
  const server = await startServerProcess();
  const base = server.url.replace('http', 'ws');
  const sockets: WebSocket[] = [];
  const latencies: number[] = [];
  let measuring = false;
  let received = 0;
  let sent = 0;
  try {
    await Promise.all(
      Array.from({ length: ROOMS * CLIENTS_PER_ROOM }, (_, i) => {
        const room = `benchroom${Math.floor(i / CLIENTS_PER_ROOM)}`;
        const ws = new WebSocket(`${base}/relay?room=${room}&peer=${i + 1}`);
        sockets.push(ws);
        ws.on('message', (data: Buffer) => {
          if (data[0] !== RELAY_FROM || !measuring) return;
          received++;
          latencies.push(performance.now() - data.readDoubleLE(5));
        });
        return new Promise<void>((resolve, reject) => {
          ws.once('error', reject);
          ws.on('message', (data: Buffer) => {
            if (data[0] === RELAY_PEERS) resolve();
          });
        });
      }),
    );
    const frame = Buffer.alloc(1 + PAYLOAD_BYTES);
    frame[0] = RELAY_TO_ROOM;
    const tick = () => {
      for (const ws of sockets) {
        frame.writeDoubleLE(performance.now(), 1);
        ws.send(frame);
        if (measuring) sent++;
      }
    };
    const timer = setInterval(tick, TICK_MS);
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
    const cpuBefore = cpuTicks(server.pid);
    const started = performance.now();
    measuring = true;
    await new Promise((resolve) => setTimeout(resolve, RUN_MS));
    measuring = false;
    const elapsed = performance.now() - started;
    const cpuAfter = cpuTicks(server.pid);
    clearInterval(timer);
    const ticksPerSecond = 100; // USER_HZ on Linux
    const cpuPct = (((cpuAfter - cpuBefore) / ticksPerSecond) * 1000 * 100) / elapsed;
    console.log(
      `relay: ${ROOMS * CLIENTS_PER_ROOM} clients, ${(received / (elapsed / 1000)).toFixed(0)} frames/s delivered, ` +
        `latency p50 ${median(latencies).toFixed(2)} ms p95 ${p95(latencies).toFixed(2)} ms, server CPU ${cpuPct.toFixed(1)} %`,
    );
    return {
      'pose.relay_latency_p95_ms': p95(latencies),
      'pose.relay_latency_p50_ms': median(latencies),
      'pose.relay_cpu_pct': cpuPct,
      'pose.relay_frames_per_second': received / (elapsed / 1000),
      // Each frame should reach the 9 other clients of its room; less means the relay dropped
      // frames for receivers that fell behind (RELAY7), here the one bench process reading them all.
      'pose.relay_delivery_ratio': received / (sent * (CLIENTS_PER_ROOM - 1)),
    };
  } finally {
    for (const ws of sockets) ws.terminate();
    await server.stop();
  }
};

export default relay;
