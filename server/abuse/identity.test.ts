// SEC14-SEC16: every identity is bound to its connection. One server for the
// file; the attacker connects from 127.0.0.12, the people it targets from
// 127.0.0.1. Each test checks that the victim is unharmed and the process lives.
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RELAY_FROM, RELAY_TO_ROOM } from '../../app/pose/wire/relay-frames.ts';
import { MESSAGE_AWARENESS } from '../../app/sync/gate/update-guard.ts';
import { connectTestClient, eventually, type TestClient } from '../test/sync-client.ts';
import { updateMessage } from '../yjs/messages.ts';
import { opened, type ServerProcess, servedMs, socketFrom, spawnServer, upgradeStatus } from './harness.ts';
import { awarenessFrame } from './hostile.ts';

const ATTACKER = 12;
let server: ServerProcess;
let baselineRss = 0;
const clients: TestClient[] = [];
beforeAll(async () => {
  server = await spawnServer();
  await servedMs(server);
  baselineRss = server.rssMb();
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.stop();
});

function person(room: string, name: string): TestClient {
  const client = connectTestClient(server.url, room);
  client.awareness.setLocalStateField('user', { name, color: '#336699', inXR: false });
  clients.push(client);
  return client;
}

const nameIn = (observer: TestClient, clientId: number) =>
  (observer.awareness.getStates().get(clientId) as { user?: { name?: string } } | undefined)?.user?.name;

describe('abuse: identities are bound to connections', () => {
  it('[SEC14] a relay socket cannot take over the peer id a live socket holds', async () => {
    const victim = await opened(socketFrom(1, server.wsUrl('/relay?room=relayvictim1&peer=4242')));
    const frames: Buffer[] = [];
    victim.on('message', (data) => frames.push(data as Buffer));
    const other = await opened(socketFrom(1, server.wsUrl('/relay?room=relayvictim1&peer=77')));
    expect(await upgradeStatus(socketFrom(ATTACKER, server.wsUrl('/relay?room=relayvictim1&peer=4242')))).toBe(409);
    // The victim still holds its id: what others send reaches it, stamped as theirs.
    other.send(Buffer.from([RELAY_TO_ROOM, 1, 2, 3]));
    await eventually(
      () => frames.some((f) => f[0] === RELAY_FROM && f.readUInt32LE(1) === 77),
      3_000,
      () => 'victim no longer reachable',
    );
    victim.close();
    other.close();
    expect(await servedMs(server)).toBeLessThan(3_000);
  });

  it('[SEC15] presence for an id another connection claimed is dropped, whatever its clock', async () => {
    const room = 'presencevictim1';
    const victim = person(room, 'Victim');
    const observer = person(room, 'Observer');
    await Promise.all([victim.synced(), observer.synced()]);
    await eventually(
      () => nameIn(observer, victim.doc.clientID) === 'Victim',
      5_000,
      () => 'observer never saw the victim',
    );
    const attacker = await opened(socketFrom(ATTACKER, server.wsUrl(`/sync?room=${room}&v=1`)));
    // A clock near 2^53 used to win over every later renewal of the victim's.
    const forged = JSON.stringify({ user: { name: 'Mallory', color: '#ff0000', inXR: false } });
    attacker.send(awarenessFrame(victim.doc.clientID, Number.MAX_SAFE_INTEGER - 1, forged));
    // And thousands of fresh ids: each connection claims at most a few.
    for (let batch = 0; batch < 20; batch++) {
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 500);
      for (let i = 0; i < 500; i++) {
        encoding.writeVarUint(inner, 1_000_000 + batch * 500 + i);
        encoding.writeVarUint(inner, 1);
        encoding.writeVarString(inner, forged);
      }
      const outer = encoding.createEncoder();
      encoding.writeVarUint(outer, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
      attacker.send(encoding.toUint8Array(outer));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(nameIn(observer, victim.doc.clientID)).toBe('Victim');
    const mallories = [...observer.awareness.getStates().values()].filter(
      (state) => (state as { user?: { name?: string } }).user?.name === 'Mallory',
    );
    expect(mallories.length).toBeLessThanOrEqual(4);
    // The victim's own renewals still get through.
    victim.awareness.setLocalStateField('user', { name: 'Victim renamed', color: '#336699', inXR: false });
    await eventually(
      () => nameIn(observer, victim.doc.clientID) === 'Victim renamed',
      5_000,
      () => 'victim renewal lost',
    );
    attacker.close();
    expect(server.rssMb() - baselineRss).toBeLessThan(150);
  });

  it('[SEC16] document updates written under a client id another connection claimed are refused', async () => {
    const room = 'docidvictim01';
    const victim = person(room, 'Victim');
    const observer = person(room, 'Observer');
    await Promise.all([victim.synced(), observer.synced()]);
    victim.doc.getText('script').insert(0, 'hello');
    await eventually(
      () => observer.doc.getText('script').toString() === 'hello' && nameIn(observer, victim.doc.clientID) === 'Victim',
      5_000,
      () => 'observer not caught up',
    );
    // The attacker writes the victim's next clock first: Yjs would keep whichever came first, for good.
    const forger = new Y.Doc();
    Y.applyUpdate(forger, Y.encodeStateAsUpdate(victim.doc));
    forger.clientID = victim.doc.clientID;
    const forged: Uint8Array[] = [];
    forger.on('update', (update: Uint8Array) => forged.push(update));
    forger.getText('script').insert(5, ' EVIL');
    const attacker = await opened(socketFrom(ATTACKER, server.wsUrl(`/sync?room=${room}&v=1`)));
    for (const update of forged) attacker.send(updateMessage(update));
    await new Promise((resolve) => setTimeout(resolve, 300));
    victim.doc.getText('script').insert(5, ' world');
    await eventually(
      () => observer.doc.getText('script').toString() === 'hello world',
      5_000,
      () => `observer has "${observer.doc.getText('script').toString()}"`,
    );
    expect(Y.encodeStateVector(observer.doc)).toEqual(Y.encodeStateVector(victim.doc));
    // The server's copy agrees too: a late joiner gets the victim's text.
    const late = connectTestClient(server.url, room);
    clients.push(late);
    await late.synced();
    expect(late.doc.getText('script').toString()).toBe('hello world');
    attacker.close();
    expect(await servedMs(server)).toBeLessThan(3_000);
    expect(server.alive()).toBe(true);
  });
});
