/**
 * Test helpers: a real server on an ephemeral loopback port, real WebSocket
 * clients, and a logger that records what the server logged.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { type RunningServer, type ServerOptions, startServer } from '../app.ts';
import { createLogger, type LogEntry } from '../log.ts';

export interface TestServer extends RunningServer {
  logs: LogEntry[];
  wsUrl(pathname: string): string;
}

/** A built-app stand-in: index.html, one hashed asset and a wasm file. */
export function fakeAppDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'holoroom-static-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
  return dir;
}

export async function startTestServer(overrides: Partial<ServerOptions> = {}): Promise<TestServer> {
  const logs: LogEntry[] = [];
  const logger = createLogger('debug', (entry) => logs.push(entry));
  const options: ServerOptions = {
    host: '127.0.0.1',
    port: 0,
    staticDir: overrides.staticDir ?? fakeAppDir(),
    dataDir: mkdtempSync(path.join(tmpdir(), 'holoroom-data-')),
    ice: { static: [] },
    logLevel: 'debug',
    ...overrides,
    // One sync shard unless a test asks for more: each worker thread costs a start-up.
    security: { syncWorkers: 1, ...overrides.security },
  };
  const server = await startServer(options, logger);
  return { ...server, logs, wsUrl: (pathname) => `${server.url.replace(/^http/, 'ws')}${pathname}` };
}

export function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with the close code (and reason) the server sent. */
export function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) resolve({ code: -1, reason: 'already closed' });
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
}

/** Collects parsed JSON messages as they arrive. */
export function inbox(socket: WebSocket): {
  messages: Record<string, unknown>[];
  next(): Promise<Record<string, unknown>>;
} {
  const messages: Record<string, unknown>[] = [];
  const waiters: ((m: Record<string, unknown>) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  });
  return {
    messages,
    next: () => {
      const queued = messages.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no message within 3 s')), 3000);
        waiters.push((m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
    },
  };
}
