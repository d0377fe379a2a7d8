// The relay on a real HTTP server (port 0) with real WebSocket clients.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  RELAY_FROM,
  RELAY_JOINED,
  RELAY_LEFT,
  RELAY_PEERS,
  RELAY_PROTOCOL_VERSION,
  RELAY_SECRET_BYTES,
  RELAY_SESSION,
  RELAY_TO_PEERS,
  RELAY_TO_ROOM,
  readServerFrame,
  relaySecretParam,
} from '../app/pose/wire/relay-frames.ts';
import { startServer } from './app.ts';
import { createLogger, type LogEntry } from './log.ts';
import { DEFAULT_RELAY_LIMITS, RELAY_CLOSE, type RelayLimits, RelayServer } from './relay.ts';

interface Client {
  ws: WebSocket;
  frames: Buffer[];
  closed: Promise<number>;
}

const open: { server: Server; relay: RelayServer; clients: Client[] }[] = [];

async function startRelay(
  limits: Partial<RelayLimits> = {},
  onUpgrade?: (req: IncomingMessage, socket: Duplex) => void,
) {
  const logs: LogEntry[] = [];
  const relay = new RelayServer(
    createLogger('debug', (e) => logs.push(e)),
    { ...DEFAULT_RELAY_LIMITS, ...limits },
  );
  const server = createServer();
  server.on('upgrade', (req, socket, head) => {
    onUpgrade?.(req, socket);
    relay.handleUpgrade(req, socket, head);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const entry = { server, relay, clients: [] as Client[] };
  open.push(entry);
  const connect = (query: string, options: { autoPong?: boolean } = {}): Client => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/relay?${query}`, options);
    const frames: Buffer[] = [];
    ws.on('message', (data) => frames.push(data as Buffer));
    ws.on('error', () => {});
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    const client = { ws, frames, closed };
    entry.clients.push(client);
    return client;
  };
  const join = async (room: string, peer: number): Promise<Client> => {
    const client = connect(`room=${room}&peer=${peer}`);
    await until(() => client.frames.some((f) => f[0] === RELAY_PEERS));
    return client;
  };
  return { relay, port, logs, connect, join };
}

/** The HTTP status an upgrade to /relay gets (101 when it opens; the socket is closed again). */
function upgradeStatus(port: number, query: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/relay?${query}`);
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => {
      resolve(101);
      ws.close();
    });
    ws.once('error', () => undefined);
  });
}

afterEach(async () => {
  for (const { server, relay, clients } of open.splice(0)) {
    for (const client of clients) client.ws.terminate();
    relay.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const toRoom = (...payload: number[]) => Buffer.from([RELAY_TO_ROOM, ...payload]);
function toPeers(targets: number[], ...payload: number[]): Buffer {
  const frame = Buffer.alloc(2 + 4 * targets.length + payload.length);
  frame[0] = RELAY_TO_PEERS;
  frame[1] = targets.length;
  for (const [i, t] of targets.entries()) frame.writeUInt32LE(t, 2 + 4 * i);
  Buffer.from(payload).copy(frame, 2 + 4 * targets.length);
  return frame;
}
const forwarded = (client: Client) => client.frames.filter((f) => f[0] === RELAY_FROM);

describe('pose relay', () => {
  it('[RELAY1] refuses an upgrade without a valid room and peer id', async () => {
    const { connect } = await startRelay();
    for (const query of [
      'room=a',
      'peer=1',
      'room=a&peer=0',
      'room=a&peer=4294967296',
      'room=a%20b&peer=1',
      'room=a&peer=x',
    ]) {
      const client = connect(query);
      const status = await new Promise<number>((resolve) =>
        client.ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
      );
      expect(status).toBe(400);
    }
  });

  it('[RELAY12] serves the versions it speaks (absent means 1) and refuses a newer client with 400', async () => {
    const { connect } = await startRelay();
    const status = (client: Client) =>
      new Promise<number>((resolve) => {
        client.ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        client.ws.on('open', () => resolve(101));
      });
    expect(await status(connect(`room=a&peer=1&v=${RELAY_PROTOCOL_VERSION}`))).toBe(101);
    expect(await status(connect('room=a&peer=2'))).toBe(101);
    expect(await status(connect(`room=a&peer=3&v=${RELAY_PROTOCOL_VERSION + 1}`))).toBe(400);
    expect(await status(connect('room=a&peer=4&v=one'))).toBe(400);
  });

  it('[RELAY11] tells a joining peer who is there, and the others when it joins and leaves', async () => {
    const { join } = await startRelay();
    const a = await join('room1', 11);
    const b = await join('room1', 22);
    const peers = b.frames.find((f) => f[0] === RELAY_PEERS) as Buffer;
    expect(peers.readUInt16LE(1)).toBe(1);
    expect(peers.readUInt32LE(3)).toBe(11);
    await until(() => a.frames.some((f) => f[0] === RELAY_JOINED && f.readUInt32LE(1) === 22));
    b.ws.close();
    await until(() => a.frames.some((f) => f[0] === RELAY_LEFT && f.readUInt32LE(1) === 22));
  });

  it('[RELAY15] frames for one receiver read in one turn leave the server in one write, not one each', async () => {
    // Writes the server's TCP socket makes for each peer: net.Socket sends through _write or _writev.
    const writes = new Map<string, number>();
    const { join } = await startRelay({}, (req, socket) => {
      const peer = new URL(req.url ?? '', 'http://x').searchParams.get('peer') ?? '';
      const stream = socket as Duplex & { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
      for (const method of ['_write', '_writev'] as const) {
        const original = stream[method].bind(stream);
        stream[method] = (...args: unknown[]) => {
          writes.set(peer, (writes.get(peer) ?? 0) + 1);
          original(...args);
        };
      }
    });
    const receiver = await join('corked', 1);
    const sender = await join('corked', 2);
    await until(() => receiver.frames.some((f) => f[0] === RELAY_JOINED));
    const before = writes.get('1') ?? 0;
    // Five frames in one TCP write from the sender, so the server reads them in one turn.
    const senderSocket = (sender.ws as unknown as { _socket: Socket })._socket;
    senderSocket.cork();
    for (let i = 0; i < 5; i++) sender.ws.send(Buffer.from([RELAY_TO_ROOM, 1, 0, 0, 0, 0, 0, i]));
    senderSocket.uncork();
    await until(() => receiver.frames.filter((f) => f[0] === RELAY_FROM).length === 5);
    expect(receiver.frames.filter((f) => f[0] === RELAY_FROM).map((f) => f[f.length - 1])).toEqual([0, 1, 2, 3, 4]);
    expect((writes.get('1') ?? 0) - before).toBe(1);
  });

  it('[RELAY6] forwards only within the room, stamping the sender id', async () => {
    const { join } = await startRelay();
    const a = await join('red', 1);
    const b = await join('red', 2);
    const c = await join('red', 3);
    const other = await join('blue', 4);
    a.ws.send(toRoom(9, 8, 7));
    await until(() => forwarded(b).length === 1 && forwarded(c).length === 1);
    expect([...(forwarded(b)[0] as Buffer)]).toEqual([RELAY_FROM, 1, 0, 0, 0, 9, 8, 7]);
    // Targeted: only c; a target in another room is not reachable.
    a.ws.send(toPeers([3, 4], 5));
    await until(() => forwarded(c).length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(forwarded(b)).toHaveLength(1);
    expect(forwarded(other)).toHaveLength(0);
    expect(forwarded(a)).toHaveLength(0); // never echoed
  });

  it('[RELAY2] closes on a frame larger than the limit with 1009', async () => {
    const { join } = await startRelay({ maxFrameBytes: 256 });
    const a = await join('r', 1);
    a.ws.send(Buffer.concat([Buffer.from([RELAY_TO_ROOM]), Buffer.alloc(300)]));
    expect(await a.closed).toBe(RELAY_CLOSE.messageTooBig);
  });

  it('[RELAY3] closes on a text frame with 1003', async () => {
    const { join } = await startRelay();
    const a = await join('r', 1);
    a.ws.send('hello');
    expect(await a.closed).toBe(RELAY_CLOSE.unsupportedData);
  });

  it('[RELAY4] closes on a malformed envelope with 1008', async () => {
    const { join } = await startRelay();
    for (const [i, frame] of [
      Buffer.from([0x7f, 1, 2]),
      Buffer.from([RELAY_TO_ROOM]),
      Buffer.from([RELAY_TO_PEERS, 0, 1]),
      Buffer.from([RELAY_TO_PEERS, 2, 1, 0, 0, 0]),
    ].entries()) {
      const a = await join('r', 10 + i);
      a.ws.send(frame);
      expect(await a.closed).toBe(RELAY_CLOSE.policyViolation);
    }
  });

  it('[RELAY5] drops frames beyond the rate and counts them; closes on sustained abuse', async () => {
    const { relay, join } = await startRelay({ framesPerSecond: 10, frameBurst: 10, maxDropsPerWindow: 30 });
    const a = await join('r', 1);
    const b = await join('r', 2);
    for (let i = 0; i < 25; i++) a.ws.send(toRoom(i));
    await until(() => relay.counters.droppedRate >= 14);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(forwarded(b).length).toBeGreaterThanOrEqual(10);
    expect(forwarded(b).length).toBeLessThanOrEqual(12);
    for (let i = 0; i < 40; i++) a.ws.send(toRoom(i));
    expect(await a.closed).toBe(RELAY_CLOSE.policyViolation);
  });

  it('[RELAY7] a receiver with a full send buffer misses frames (counted), others still get them', async () => {
    const { relay, join } = await startRelay({ maxBufferedBytes: -1 });
    const a = await join('r', 1);
    await join('r', 2);
    a.ws.send(toRoom(1));
    await until(() => relay.counters.droppedSlowReceiver >= 1);
  });

  it('[RELAY8] refuses a peer beyond the room limit with 503', async () => {
    const { join, connect } = await startRelay({ maxPeersPerRoom: 2 });
    await join('r', 1);
    await join('r', 2);
    const third = connect('room=r&peer=3');
    const status = await new Promise<number>((resolve) =>
      third.ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(503);
    await join('other', 3); // other rooms are unaffected
  });

  it('[RELAY9] [SEC14] a second socket may take a live peer id only with the session secret', async () => {
    const { relay, join, connect, port } = await startRelay();
    const first = await join('r', 5);
    const observer = await join('r', 6);
    const session = first.frames.find((f) => f[0] === RELAY_SESSION);
    expect(session).toHaveLength(1 + RELAY_SECRET_BYTES);
    const read = readServerFrame(session as Buffer);
    const secret = read.ok && read.frame.type === 'session' ? relaySecretParam(read.frame.secret) : '';
    // Someone else claiming peer 5 is refused while the first socket lives.
    expect(await upgradeStatus(port, 'room=r&peer=5')).toBe(409);
    expect(await upgradeStatus(port, `room=r&peer=5&secret=${'0'.repeat(32)}`)).toBe(409);
    expect(await upgradeStatus(port, 'room=r&peer=5&secret=nothex')).toBe(400);
    // The owner's reconnect, presenting the secret, replaces the old socket.
    const second = connect(`room=r&peer=5&secret=${secret}`);
    expect(await first.closed).toBe(RELAY_CLOSE.replaced);
    await until(() => second.frames.some((f) => f[0] === RELAY_PEERS));
    expect(relay.roomSize('r')).toBe(2);
    observer.ws.send(toPeers([5], 1));
    await until(() => forwarded(second).length === 1);
    // The replacement is not a leave.
    expect(observer.frames.some((f) => f[0] === RELAY_LEFT)).toBe(false);
    // Once nobody holds the id, anyone may take it (it is not a secret, only a binding).
    second.ws.close();
    await until(() => relay.roomSize('r') === 1);
    expect(await upgradeStatus(port, 'room=r&peer=5')).toBe(101);
  });

  it('[RELAY10] terminates a socket that stops answering heartbeats', async () => {
    const { relay, connect } = await startRelay({ heartbeatMs: 100 });
    const silent = connect('room=r&peer=1', { autoPong: false });
    expect(await silent.closed).toBe(1006);
    expect(relay.socketCount).toBe(0);
  });
});

describe('pose relay in the app server', () => {
  it('[RELAY6] is served at /relay and closes with the server', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'holoroom-relay-'));
    const server = await startServer(
      { host: '127.0.0.1', port: 0, staticDir: dir, dataDir: dir, ice: { static: [] }, logLevel: 'error' },
      createLogger('error', () => {}),
    );
    try {
      const wsUrl = `${server.url.replace('http', 'ws')}/relay?room=app&peer=`;
      const a = new WebSocket(`${wsUrl}1`);
      const b = new WebSocket(`${wsUrl}2`);
      const got: Buffer[] = [];
      b.on('message', (data) => got.push(data as Buffer));
      await Promise.all([a, b].map((ws) => new Promise((resolve) => ws.once('open', resolve))));
      await until(() => got.some((f) => f[0] === RELAY_PEERS));
      a.send(toRoom(42));
      await until(() => got.some((f) => f[0] === RELAY_FROM && f[5] === 42));
      const closed = new Promise<number>((resolve) => a.on('close', (code) => resolve(code)));
      await server.close(); // must not hang on open relay sockets
      expect(await closed).toBe(RELAY_CLOSE.goingAway);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
