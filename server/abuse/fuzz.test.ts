// A bounded, seeded fuzz of the three WebSocket endpoints: random frames and
// mutations of valid ones at /signal, /relay and /sync, from many addresses.
// After every run the process must live; at the end honest clients on every
// endpoint must still work and converge.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { RELAY_FROM, RELAY_TO_PEERS, RELAY_TO_ROOM } from '../../app/pose/wire/relay-frames.ts';
import { connectTestClient, eventually, type TestClient } from '../test/sync-client.ts';
import { awarenessMessage, syncStep1Message, updateMessage } from '../yjs/messages.ts';
import { opened, type ServerProcess, servedMs, socketFrom, spawnServer } from './harness.ts';

const SEED = 20_261_206;
const RUNS_PER_ENDPOINT = 200;
const ROOM = 'fuzzedroom0001';

let server: ServerProcess;
const honest: TestClient[] = [];
beforeAll(async () => {
  server = await spawnServer();
  honest.push(connectTestClient(server.url, ROOM), connectTestClient(server.url, ROOM));
  await Promise.all(honest.map((client) => client.synced()));
});
afterAll(async () => {
  for (const client of honest) client.destroy();
  await server?.stop();
});

/** Valid frames of each endpoint, made by the real encoders: the seeds of the mutations. */
function validFrames(): Record<'signal' | 'relay' | 'sync', (Uint8Array | string)[]> {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  doc.getText('script').insert(0, 'object "Lamp" { color: "#ffcc00" }');
  doc.getMap('objects').set('Lamp', new Y.Map([['state.on', true]]));
  doc.getText('script').delete(3, 4);
  const awareness = new Awareness(doc);
  awareness.setLocalStateField('user', { name: 'Fuzz', color: '#123456', inXR: false });
  const relayTo = new Uint8Array([RELAY_TO_PEERS, 2, 1, 0, 0, 0, 2, 0, 0, 0, 1, 1, 9, 9, 9, 9]);
  return {
    signal: [
      '{"type":"subscribe","topics":["holoroom:fuzzedroom0001"]}',
      '{"type":"publish","topic":"holoroom:fuzzedroom0001","data":{"type":"announce","from":"x"}}',
      '{"type":"unsubscribe","topics":["holoroom:fuzzedroom0001"]}',
      '{"type":"ping"}',
    ],
    relay: [new Uint8Array([RELAY_TO_ROOM, 1, 2, 3, 4, 5, 6]), relayTo],
    sync: [
      syncStep1Message(doc),
      ...updates.map((update) => updateMessage(update)),
      updateMessage(Y.encodeStateAsUpdate(doc)),
      awarenessMessage(awareness, [awareness.clientID]),
      new Uint8Array([3]),
      encodeAwarenessUpdate(awareness, [awareness.clientID]),
    ],
  };
}

/** A valid frame with some bytes replaced, some cut off, or bytes appended. */
function mutated(seeds: (Uint8Array | string)[]): fc.Arbitrary<Uint8Array | string> {
  return fc
    .record({
      seed: fc.constantFrom(...seeds),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      cut: fc.option(fc.nat()),
      tail: fc.uint8Array({ maxLength: 16 }),
    })
    .map(({ seed, flips, cut, tail }) => {
      const text = typeof seed === 'string';
      let bytes: Uint8Array = text ? new TextEncoder().encode(seed) : seed.slice();
      for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
      if (cut !== null && bytes.length > 0) bytes = bytes.subarray(0, cut % bytes.length);
      bytes = new Uint8Array([...bytes, ...tail]);
      return text ? new TextDecoder().decode(bytes) : bytes;
    });
}

function frames(seeds: (Uint8Array | string)[]): fc.Arbitrary<(Uint8Array | string)[]> {
  const random = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.string({ maxLength: 300 }),
    fc.json({ maxDepth: 6 }),
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify({ type: 'publish', topic: 't', data: value })),
  );
  return fc.array(fc.oneof({ arbitrary: mutated(seeds), weight: 3 }, { arbitrary: random, weight: 1 }), {
    minLength: 1,
    maxLength: 8,
  });
}

let run = 0;
let openedSockets = 0;
/** Sends `batch` on a fresh socket from its own address; resolves after the close or 60 ms. */
async function attack(path: string, batch: (Uint8Array | string)[]): Promise<void> {
  const host = 20 + (run++ % 200);
  let socket: WebSocket;
  try {
    socket = await opened(socketFrom(host, server.wsUrl(path)));
  } catch {
    return; // refused upgrades are fine
  }
  openedSockets++;
  socket.on('error', () => undefined);
  const gone = new Promise((resolve) => socket.once('close', resolve));
  for (const frame of batch) if (socket.readyState === socket.OPEN) socket.send(frame);
  await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 60))]);
  socket.terminate();
}

describe('abuse: fuzzed frames', () => {
  const seeds = validFrames();
  const endpoints: [keyof typeof seeds, string][] = [
    ['signal', '/signal'],
    ['relay', `/relay?room=${ROOM}&peer=`],
    ['sync', `/sync?room=${ROOM}&v=1`],
  ];
  for (const [name, path] of endpoints) {
    it(`[SEC2] [SEC3] [SEC4] survives random and mutated frames at /${name} (seeded, ${RUNS_PER_ENDPOINT} runs)`, async () => {
      let peer = 1_000;
      const before = openedSockets;
      await fc.assert(
        fc.asyncProperty(frames(seeds[name]), async (batch) => {
          await attack(path.endsWith('=') ? `${path}${peer++}` : path, batch);
          expect(server.alive()).toBe(true);
        }),
        { seed: SEED, numRuns: RUNS_PER_ENDPOINT },
      );
      // The frames reached the endpoint: nearly every upgrade was taken.
      expect(openedSockets - before).toBeGreaterThan(RUNS_PER_ENDPOINT * 0.9);
      expect(await servedMs(server)).toBeLessThan(3_000);
    }, 60_000);
  }

  it('valid clients still converge after the fuzzing, through the same room', async () => {
    const [a, b] = honest as [TestClient, TestClient];
    a.doc.getText('script').insert(0, 'after the storm ');
    b.doc.getMap('objects').set('Calm', new Y.Map([['state.ok', true]]));
    await eventually(
      () => b.doc.getText('script').toString().includes('after the storm') && a.doc.getMap('objects').has('Calm'),
      10_000,
      () => 'honest clients did not converge',
    );
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
    // The relay still carries frames between two honest peers of the room.
    const one = await opened(socketFrom(1, server.wsUrl(`/relay?room=${ROOM}&peer=1`)));
    const two = await opened(socketFrom(1, server.wsUrl(`/relay?room=${ROOM}&peer=2`)));
    const got: Buffer[] = [];
    two.on('message', (data) => got.push(data as Buffer));
    one.send(new Uint8Array([RELAY_TO_ROOM, 7, 7, 7]));
    await eventually(
      () => got.some((f) => f[0] === RELAY_FROM && f.readUInt32LE(1) === 1),
      3_000,
      () => 'relay frame lost',
    );
    one.close();
    two.close();
    expect(server.alive()).toBe(true);
  });
});
