import { afterEach, describe, expect, it } from 'vitest';
import { closed, inbox, openSocket, startTestServer, type TestServer } from './test/helpers.ts';

let server: TestServer;
afterEach(async () => {
  await server?.close();
});

const send = (socket: import('ws').WebSocket, message: unknown) => socket.send(JSON.stringify(message));

describe('signaling: the y-webrtc protocol', () => {
  it('forwards a publish to every subscriber of the topic, with the subscriber count', async () => {
    server = await startTestServer();
    const a = await openSocket(server.wsUrl('/signal'));
    const b = await openSocket(server.wsUrl('/signal'));
    const c = await openSocket(server.wsUrl('/signal'));
    const [boxA, boxB, boxC] = [inbox(a), inbox(b), inbox(c)];
    send(a, { type: 'subscribe', topics: ['room-1'] });
    send(b, { type: 'subscribe', topics: ['room-1'] });
    send(c, { type: 'subscribe', topics: ['room-2'] });
    // Round-trip a ping so the subscriptions are certainly processed.
    for (const socket of [a, b, c]) send(socket, { type: 'ping' });
    expect(await boxA.next()).toEqual({ type: 'pong' });
    expect(await boxB.next()).toEqual({ type: 'pong' });
    expect(await boxC.next()).toEqual({ type: 'pong' });

    send(a, { type: 'publish', topic: 'room-1', data: { type: 'announce', from: 'peer-a' } });
    const expected = { type: 'publish', topic: 'room-1', data: { type: 'announce', from: 'peer-a' }, clients: 2 };
    expect(await boxA.next()).toEqual(expected);
    expect(await boxB.next()).toEqual(expected);
    send(c, { type: 'ping' });
    expect(await boxC.next()).toEqual({ type: 'pong' });
    expect(boxC.messages).toEqual([]);
  });

  it('stops forwarding after unsubscribe and forgets empty topics', async () => {
    server = await startTestServer();
    const a = await openSocket(server.wsUrl('/signal'));
    const box = inbox(a);
    send(a, { type: 'subscribe', topics: ['t'] });
    send(a, { type: 'ping' });
    await box.next();
    expect(server.signaling.topicCount).toBe(1);
    send(a, { type: 'unsubscribe', topics: ['t'] });
    send(a, { type: 'publish', topic: 't', data: 'x' });
    send(a, { type: 'ping' });
    expect(await box.next()).toEqual({ type: 'pong' });
    expect(server.signaling.topicCount).toBe(0);
  });

  it('[SIG6] ignores a publish to a topic the socket has not subscribed to', async () => {
    server = await startTestServer();
    const a = await openSocket(server.wsUrl('/signal'));
    const b = await openSocket(server.wsUrl('/signal'));
    const boxB = inbox(b);
    send(b, { type: 'subscribe', topics: ['room'] });
    send(b, { type: 'ping' });
    await boxB.next();
    send(a, { type: 'publish', topic: 'room', data: 'spam' });
    send(b, { type: 'ping' });
    expect(await boxB.next()).toEqual({ type: 'pong' });
    expect(boxB.messages).toEqual([]);
  });

  it('ignores unknown message types (forward compatibility)', async () => {
    server = await startTestServer();
    const a = await openSocket(server.wsUrl('/signal'));
    const box = inbox(a);
    send(a, { type: 'future-feature', x: 1 });
    send(a, { type: 'ping' });
    expect(await box.next()).toEqual({ type: 'pong' });
  });

  it('answers 404 to WebSocket upgrades on unknown paths', async () => {
    server = await startTestServer();
    await expect(openSocket(server.wsUrl('/nope'))).rejects.toThrow(/404/);
  });
});

describe('signaling limits', () => {
  it('[SIG1] closes with 1009 when a frame exceeds the size limit, and logs it', async () => {
    server = await startTestServer({ signalingLimits: { maxFrameBytes: 1024 } });
    const a = await openSocket(server.wsUrl('/signal'));
    const done = closed(a);
    send(a, { type: 'publish', topic: 't', data: 'x'.repeat(2000) });
    expect((await done).code).toBe(1009);
    expect(server.logs.some((e) => e.level === 'warn' && /too large/.test(e.message))).toBe(true);
  });

  it('[SIG2] closes with 1008 beyond the topic limit', async () => {
    server = await startTestServer({ signalingLimits: { maxTopicsPerSocket: 3 } });
    const a = await openSocket(server.wsUrl('/signal'));
    const done = closed(a);
    send(a, { type: 'subscribe', topics: ['a', 'b', 'c', 'd'] });
    expect(await done).toEqual({ code: 1008, reason: 'too many topics' });
    expect(server.logs.some((e) => e.message === 'closing socket: too many topics' && e.fields.code === 1008)).toBe(
      true,
    );
  });

  it('[SIG3] closes with 1008 for an over-long or non-string topic', async () => {
    server = await startTestServer({ signalingLimits: { maxTopicLength: 10 } });
    const a = await openSocket(server.wsUrl('/signal'));
    const doneA = closed(a);
    send(a, { type: 'subscribe', topics: ['x'.repeat(11)] });
    expect((await doneA).code).toBe(1008);
    const b = await openSocket(server.wsUrl('/signal'));
    const doneB = closed(b);
    send(b, { type: 'subscribe', topics: [42] });
    expect((await doneB).code).toBe(1008);
  });

  it('[SIG4] closes with 1008 when the message rate is exceeded', async () => {
    server = await startTestServer({ signalingLimits: { messagesPerSecond: 5, messageBurst: 10 } });
    const a = await openSocket(server.wsUrl('/signal'));
    const done = closed(a);
    for (let i = 0; i < 30; i++) send(a, { type: 'ping' });
    expect(await done).toEqual({ code: 1008, reason: 'message rate exceeded' });
  });

  it('[SIG5] closes with 1008 for non-JSON or typeless frames and 1003 for binary frames', async () => {
    server = await startTestServer();
    const a = await openSocket(server.wsUrl('/signal'));
    const doneA = closed(a);
    a.send('not json');
    expect(await doneA).toEqual({ code: 1008, reason: 'frame is not JSON' });
    const b = await openSocket(server.wsUrl('/signal'));
    const doneB = closed(b);
    send(b, { topics: ['x'] });
    expect((await doneB).code).toBe(1008);
    const c = await openSocket(server.wsUrl('/signal'));
    const doneC = closed(c);
    c.send(Buffer.from([1, 2, 3]));
    expect((await doneC).code).toBe(1003);
  });

  it('[SIG7] terminates a socket that stops answering heartbeats', async () => {
    server = await startTestServer({ signalingLimits: { heartbeatMs: 100 } });
    const a = await openSocket(server.wsUrl('/signal'));
    // Silence the client's automatic pong replies: it now looks dead to the server.
    (a as unknown as { pong: () => void }).pong = () => undefined;
    const done = closed(a);
    expect((await done).code).toBe(1006);
    expect(server.signaling.socketCount).toBe(0);
  });

  it('[SIG8] refuses new sockets with 503 when full', async () => {
    server = await startTestServer({ signalingLimits: { maxSockets: 1 } });
    await openSocket(server.wsUrl('/signal'));
    await expect(openSocket(server.wsUrl('/signal'))).rejects.toThrow(/503/);
  });

  it('closes every socket with 1001 on shutdown', async () => {
    server = await startTestServer();
    const a = await openSocket(server.wsUrl('/signal'));
    const done = closed(a);
    await server.close();
    expect((await done).code).toBe(1001);
  });
});
