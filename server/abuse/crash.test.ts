// SEC2-SEC4: single messages that used to stop the whole process. One server
// for the file: each test leaves it as it found it, and each ends by checking
// that the process lives and still serves everyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closed } from '../test/helpers.ts';
import { rawHttp, type ServerProcess, servedMs, spawnServer } from './harness.ts';
import { awarenessFrame, deepJson, jsonContentUpdate, updateFrame } from './hostile.ts';

let server: ServerProcess;
beforeAll(async () => {
  server = await spawnServer();
});
afterAll(async () => {
  await server?.stop();
});

function open(pathname: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.wsUrl(pathname));
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function expectAliveAndServing(): Promise<void> {
  expect(server.alive()).toBe(true);
  expect(await servedMs(server)).toBeLessThan(3_000);
}

describe('abuse: nothing a peer sends stops the process', () => {
  it('[SEC2] answers a malformed request target with 400, on plain requests and on upgrades', async () => {
    const plain = await rawHttp(server.url, 'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(plain).toMatch(/^HTTP\/1\.1 400/);
    const upgrade = await rawHttp(
      server.url,
      'GET //[/sync?room=abc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    expect(upgrade).toMatch(/^HTTP\/1\.1 400/);
    await expectAliveAndServing();
  });

  it('[SEC3] closes with a fixed short reason that never quotes the input, however long the error', async () => {
    const socket = await open('/sync?room=crashroom01&v=1');
    const done = closed(socket);
    // The JSON decoder's message quotes ~20 characters around the fault: 3 bytes each.
    socket.send(updateFrame(jsonContentUpdate(`["${'€'.repeat(30)}", ${'€'.repeat(30)}]`)));
    const { code, reason } = await done;
    expect(code).toBe(4400);
    expect(reason).not.toContain('€');
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    await expectAliveAndServing();
  });

  it('[SEC4][SIG9] refuses deeply nested JSON in a signaling publish before re-encoding it', async () => {
    const socket = await open('/signal');
    const done = closed(socket);
    socket.send(JSON.stringify({ type: 'subscribe', topics: ['deep'] }));
    socket.send(`{"type":"publish","topic":"deep","data":${deepJson(20_000)}}`);
    expect((await done).code).toBe(1008);
    await expectAliveAndServing();
  });

  it('[SEC4] refuses deeply nested JSON in a presence state before storing or re-encoding it', async () => {
    const socket = await open('/sync?room=crashroom02&v=1');
    const done = closed(socket);
    socket.send(awarenessFrame(7, 1, deepJson(30_000)));
    expect((await done).code).toBe(4400);
    await expectAliveAndServing();
  });
});
