/**
 * The abuse suite's server: the real entry point (`server/main.ts`) in a child
 * process on an ephemeral loopback port, so a test can assert that hostile
 * input leaves the process alive and measure its memory, and can read what it
 * logged. Limits come from the environment, as an operator would set them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { fakeAppDir } from '../test/helpers.ts';
import { connectTestClient } from '../test/sync-client.ts';

export interface ServerProcess {
  url: string;
  wsUrl(pathname: string): string;
  child: ChildProcess;
  dataDir: string;
  /** Everything the process printed so far. */
  output(): string;
  alive(): boolean;
  /** Resident memory of the server process, MiB (Linux /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

const MAIN = path.join(import.meta.dirname, '..', 'main.ts');

/** Starts `server/main.ts` with `env` on 127.0.0.1, port 0; resolves once it listens. */
export function spawnServer(env: Record<string, string> = {}, entry = MAIN): Promise<ServerProcess> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'holoroom-abuse-'));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      STATIC_DIR: fakeAppDir(),
      LOG_LEVEL: 'info',
      ...env,
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    // Keep the tail only: a long abuse run logs a lot.
    if (output.length > 4_000_000) output = output.slice(-2_000_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 20_000);
    const onData = () => {
      const match = /listening on (\S+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      const url = match[1];
      resolve({
        url,
        wsUrl: (pathname) => `${url.replace(/^http/, 'ws')}${pathname}`,
        child,
        dataDir,
        output: () => output,
        alive: () => child.exitCode === null && child.signalCode === null,
        rssMb: () => {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
        },
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
          }),
      });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${output}`));
    });
  });
}

/** Milliseconds for one GET of `/healthz`; throws when it does not answer 200 within `timeoutMs`. */
export async function healthzMs(base: string, timeoutMs = 2_000): Promise<number> {
  const t0 = performance.now();
  const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`/healthz answered ${response.status}`);
  return performance.now() - t0;
}

/** Sends raw bytes over TCP and resolves with what came back before the server closed (or `waitMs`). */
export function rawHttp(base: string, request: string, waitMs = 2_000): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, waitMs);
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.write(request);
  });
}

let probeRooms = 0;

/**
 * The server still does its job for everyone else: `/healthz` answers, a
 * signaling ping is answered and a fresh client syncs a fresh room. Resolves
 * with the slowest of the three in milliseconds.
 */
export async function servedMs(server: ServerProcess): Promise<number> {
  const t0 = performance.now();
  await healthzMs(server.url, 2_000);
  const signal = new WebSocket(server.wsUrl('/signal'));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no pong within 3 s')), 3_000);
    signal.once('open', () => signal.send('{"type":"ping"}'));
    signal.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    signal.once('error', reject);
  });
  signal.close();
  const client = connectTestClient(server.url, `probe-room-${process.pid}-${probeRooms++}`);
  try {
    await client.synced(3_000);
  } finally {
    client.destroy();
  }
  return performance.now() - t0;
}

/**
 * A WebSocket from loopback address 127.0.0.`host` (Linux routes all of
 * 127/8 to this machine): the server sees a different client address than the
 * honest clients' 127.0.0.1, as it would for an attacker elsewhere.
 */
export function socketFrom(host: number, url: string): WebSocket {
  return new WebSocket(url, { localAddress: `127.0.0.${host}` });
}

/** Resolves when `socket` opens; rejects with the HTTP status when the upgrade is refused. */
export function opened(socket: WebSocket): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

/** The HTTP status of an upgrade (101 when it opens; the socket is closed again). */
export function upgradeStatus(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('open', () => {
      resolve(101);
      socket.close();
    });
    socket.once('error', () => undefined);
  });
}

/**
 * A WebSocket client over a raw TCP socket. By default it never reads after
 * the handshake: the server's sends pile up in its own buffers, as with a
 * client that stopped reading on purpose. With `read` it reads and discards
 * every frame, so it notices the server's close frame. `send` writes one
 * masked binary or text frame and says whether the socket was still open.
 */
export interface RawSocket {
  send(payload: Uint8Array | string): boolean;
  destroy(): void;
  /** True once the server closed or reset the connection (seen on the next write, or on its close frame with `read`). */
  readonly gone: boolean;
}

export interface RawSocketOptions {
  /** The loopback address to connect from (`127.x.y.z`): each is another "person" to the server's per-address limits. */
  localAddress: string;
  read?: boolean;
}

export function rawSocket(url: string, { localAddress, read = false }: RawSocketOptions): Promise<RawSocket> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port), localAddress });
    let gone = false;
    const markGone = () => {
      gone = true;
    };
    socket.on('error', markGone);
    socket.on('close', markGone);
    socket.once('connect', () => {
      socket.write(
        `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\n` +
          'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) {
        socket.destroy();
        reject(new Error(head.split('\r\n')[0]));
        return;
      }
      if (read) watchForClose(socket, markGone);
      // From here on nothing is read: the receive window fills and the server must cope.
      else socket.pause();
      resolve({
        send(payload) {
          if (gone) return false;
          const data = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload);
          const opcode = typeof payload === 'string' ? 0x81 : 0x82;
          const length = data.length;
          const header =
            length < 126
              ? Buffer.from([opcode, 0x80 | length])
              : length < 65_536
                ? Buffer.from([opcode, 0x80 | 126, length >> 8, length & 0xff])
                : Buffer.concat([Buffer.from([opcode, 0x80 | 127]), bigEndian64(length)]);
          // Mask key 0: the payload goes as is.
          socket.write(Buffer.concat([header, Buffer.alloc(4), data]));
          return true;
        },
        destroy: () => socket.destroy(),
        get gone() {
          return gone;
        },
      });
    };
    socket.on('data', onData);
  });
}

/** A client from `127.0.0.<localHost>` that never reads after the handshake (see `rawSocket`). */
export function nonReader(url: string, localHost = 1): Promise<RawSocket> {
  return rawSocket(url, { localAddress: `127.0.0.${localHost}` });
}

/** Reads server frames off `socket` and calls `onClose` at the close frame (the server then waits for ours). */
function watchForClose(socket: import('node:net').Socket, onClose: () => void): void {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 2) return;
      let length = (pending[1] as number) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (pending.length < 4) return;
        length = pending.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (pending.length < 10) return;
        length = Number(pending.readBigUInt64BE(2));
        offset = 10;
      }
      if (pending.length < offset + length) return;
      if (((pending[0] as number) & 0x0f) === 0x8) onClose();
      pending = pending.subarray(offset + length);
    }
  });
}

function bigEndian64(n: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(n));
  return out;
}

/** Waits (up to `timeoutMs`) until the process has printed a line matching `pattern`: its log is a separate stream. */
export async function logged(process: ServerProcess, pattern: RegExp, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(process.output())) {
    if (Date.now() > deadline)
      throw new Error(`the server never logged ${pattern}; it logged:\n${process.output().slice(-2_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
