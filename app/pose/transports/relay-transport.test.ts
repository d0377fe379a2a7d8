// [TRN5] The browser relay transport, run in Node against the real relay
// server with `ws` as its WebSocket: two pose channels exchange avatars
// through /relay, coalesced frames reach every target, and the transport
// reconnects with backoff after the relay goes away.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createLogger } from '../../../server/log.ts';
import { RelayServer } from '../../../server/relay.ts';
import { peer } from '../../../testing/ids.ts';
import { PoseChannel } from '../channel.ts';
import { PART_HEAD } from '../wire/protocol.ts';
import { relayUrl } from '../wire/relay-frames.ts';
import { Backoff } from './backoff.ts';
import { RelayPoseTransport } from './relay-transport.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relayServer() {
  let relay = new RelayServer(createLogger('error', () => {}));
  const server = createServer();
  server.on('upgrade', (req, socket, head) => relay.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        relay.close();
        server.close(() => resolve());
      }),
  );
  return {
    port,
    get relay() {
      return relay;
    },
    /** Drops every relay socket and starts a fresh relay on the same port. */
    restart() {
      relay.close();
      relay = new RelayServer(createLogger('error', () => {}));
    },
  };
}

/** Batch frames a socket sent, and how many targets they named in total. */
const sentBatches = new Map<number, { frames: number; targets: number }>();

/** URLs each peer's transport opened, in order. */
const openedUrls = new Map<number, string[]>();

function countingSocket(id: number): typeof globalThis.WebSocket {
  return class extends WebSocket {
    constructor(url: string) {
      super(url);
      openedUrls.set(id, [...(openedUrls.get(id) ?? []), url]);
    }

    override send(data: Uint8Array): void {
      const count = data[1] as number;
      if (data[0] === 0x02 && data[2 + 4 * count + 1] === 1) {
        const entry = sentBatches.get(id) ?? { frames: 0, targets: 0 };
        entry.frames++;
        entry.targets += count;
        sentBatches.set(id, entry);
      }
      super.send(data);
    }
  } as unknown as typeof globalThis.WebSocket;
}

function relayPeer(port: number, id: number) {
  const channel = new PoseChannel({ selfId: peer(id), identity: () => ({ name: `relay ${id}`, color: '#4d96ff' }) });
  const transport = new RelayPoseTransport({
    url: relayUrl({ protocol: 'http:', host: `127.0.0.1:${port}` }, 'relaytest', id),
    sink: channel,
    WebSocketImpl: countingSocket(id),
  });
  channel.addTransport(transport);
  cleanups.push(() => channel.destroy());
  return { channel, transport };
}

async function until(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 16));
  }
}

describe('relay transport', () => {
  it('[TRN5] carries avatars between channels through /relay, one frame per tick for all targets', async () => {
    const server = await relayServer();
    const a = relayPeer(server.port, 101);
    const b = relayPeer(server.port, 202);
    const c = relayPeer(server.port, 303);
    await until(() => a.transport.peerIds.length === 2, 'a sees both peers on the relay');
    const position = { x: 0, y: 0, z: 0 };
    const rotation = { x: 0, y: 0, z: 0, w: 1 };
    for (let i = 0; i < 40; i++) {
      a.channel.setAvatarPart(PART_HEAD, { x: 1 + i * 0.01, y: 1.6, z: 0 }, rotation);
      for (const p of [a, b, c]) p.channel.tick();
      await new Promise((resolve) => setTimeout(resolve, 16));
    }
    await until(() => b.channel.sampleAvatarPart(peer(101), PART_HEAD, position, rotation) !== 'empty', 'b sees a');
    expect(c.channel.sampleAvatarPart(peer(101), PART_HEAD, position, rotation)).not.toBe('empty');
    expect(b.channel.transportOf(peer(101))).toBe('relay');
    expect(b.channel.stats()[0]?.name).toBe('relay 101');
    // a's batches to b and c were identical, so most ticks cost one frame naming both.
    const fromA = sentBatches.get(101) ?? { frames: 0, targets: 0 };
    expect(fromA.frames).toBeGreaterThan(30);
    expect(fromA.targets / fromA.frames).toBeGreaterThan(1.8);
  });

  it("[ROOM18] the relay's roster arrives even when nobody else is in the room, and names whoever is", async () => {
    const server = await relayServer();
    const alone = relayPeer(server.port, 404);
    expect(alone.transport.heardRoster.get()).toBe(false);
    await until(() => alone.transport.heardRoster.get(), 'the first peer hears an empty roster');
    expect(alone.transport.peerIds).toEqual([]);
    const second = relayPeer(server.port, 505);
    await until(() => second.transport.heardRoster.get(), 'the second peer hears the roster');
    expect(second.transport.peerIds).toEqual([peer(404)]);
  });

  it('[TRN5] reconnects after the relay drops, and poses flow again', async () => {
    const server = await relayServer();
    const a = relayPeer(server.port, 11);
    const b = relayPeer(server.port, 22);
    await until(() => a.transport.peerIds.includes(peer(22)), 'joined');
    server.restart();
    await until(() => a.transport.state.get() !== 'open', 'a notices the drop');
    expect(a.channel.transportOf(peer(22))).toBe('none');
    await until(
      () => a.transport.peerIds.includes(peer(22)) && b.transport.peerIds.includes(peer(11)),
      'rejoined',
      10_000,
    );
    expect(a.transport.state.get()).toBe('open');
    expect(a.channel.transportOf(peer(22))).toBe('relay');
    // [RELAY9] the reconnect presented the secret of the first session, to reclaim its id.
    const [first, again] = openedUrls.get(11) ?? [];
    expect(first).not.toContain('secret=');
    expect(again).toMatch(/&secret=[0-9a-f]{32}$/);
  });
});

describe('backoff', () => {
  it('[TRN5] doubles up to the cap with jitter between half and all of the ceiling', () => {
    let r = 0;
    const values = [0, 0.5, 1, 0.25, 0.75, 0, 1, 1];
    const backoff = new Backoff({ baseMs: 500, maxMs: 15_000, random: () => values[r++ % values.length] as number });
    const delays = Array.from({ length: 8 }, () => backoff.next());
    const ceilings = [500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000];
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual((ceilings[i] as number) / 2);
      expect(delay).toBeLessThanOrEqual(ceilings[i] as number);
    });
    backoff.reset();
    expect(backoff.next()).toBeLessThanOrEqual(500);
  });
});
