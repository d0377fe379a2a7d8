// RoomSession against the real server (in-process, loopback, port 0) with the
// WebRTC transport switched off: Node has no RTCPeerConnection, and this is
// exactly the "UDP blocked" configuration the server path exists for.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../server/test/helpers.ts';
import { eventually } from '../../server/test/sync-client.ts';
import { updateMessage } from '../../server/yjs/messages.ts';
import { object, peer, room } from '../../testing/ids.ts';
import { RoomSession } from './room-session.ts';

let server: TestServer;
const sessions: RoomSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await server?.close();
});

function open(name: string, extra: { password?: string; roomId?: string } = {}): RoomSession {
  const session = new RoomSession({
    roomId: room(extra.roomId ?? 'sessionroom1'),
    signalingUrl: server.wsUrl('/signal'),
    iceServers: [],
    identity: { name, color: '#4d96ff' },
    syncServerUrl: server.url.replace(/^http/, 'ws'),
    transports: { webrtc: false },
    localPersistence: false,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    ...(extra.password ? { password: extra.password } : {}),
  });
  sessions.push(session);
  return session;
}

describe('RoomSession over the server transport', () => {
  it('[TRANSPORT1] converges script and object state, and lists presence, with WebRTC off', async () => {
    server = await startTestServer();
    const a = open('Ann');
    const b = open('Bob');
    expect(a.webrtc).toBeUndefined();
    a.room.replaceScript('object "Cube" {}');
    b.room.setOwner(object('Cube'), peer(5));
    await eventually(
      () => b.room.scriptText() === 'object "Cube" {}' && a.room.getObjectState('Cube')?.owner === 5,
      5_000,
      () => `a=${a.room.scriptText()} b=${b.room.scriptText()}`,
    );
    await eventually(
      () => a.status.get().peers.some((p) => p.name === 'Bob') && b.status.get().server === 'synced',
      5_000,
      () => JSON.stringify(a.status.get()),
    );
    expect(a.status.get().signaling).toBe('connected');
  });

  it('[PRES1] an explicit leave removes this peer from the others at once', async () => {
    server = await startTestServer();
    const a = open('Ann');
    const b = open('Bob');
    await eventually(
      () => b.status.get().peers.length === 1,
      5_000,
      () => 'B never saw A',
    );
    a.leave();
    await eventually(
      () => b.status.get().peers.length === 0,
      1_000,
      () => 'A still listed',
    );
  });

  it('[PW1] a password room never connects to the server sync endpoint', async () => {
    server = await startTestServer();
    const a = open('Ann', { password: 'secret', roomId: 'passwordroom' });
    a.room.replaceScript('secret scene');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(a.server).toBeUndefined();
    expect(a.status.get().server).toBe('off');
    expect(await server.roomSync.inspect('passwordroom')).toBeUndefined();
    expect(server.roomSync.store.size('passwordroom').rows).toBe(0);
  });

  it('[CAP4] a bad frame from the server is rejected visibly and the document is untouched', async () => {
    server = await startTestServer();
    const a = open('Ann');
    await eventually(
      () => a.status.get().server === 'synced',
      5_000,
      () => 'not synced',
    );
    a.room.replaceScript('mine');
    // Pretend to be the server: feed the provider's socket a truncated update.
    const socket = a.server?.ws as unknown as { onmessage: (event: { data: ArrayBuffer }) => void };
    const bad = updateMessage(new Uint8Array([1, 1, 200, 200, 200]));
    socket.onmessage({ data: bad.slice().buffer });
    expect(a.status.get().rejected.count).toBe(1);
    expect(a.status.get().rejected.last?.from).toBe('server');
    expect(a.room.scriptText()).toBe('mine');
  });
});
