// Persistence of rooms on the real built server process: edits survive SIGKILL
// and restarts, including restarts that no client ever reconnects to.
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { ObjectId } from '../app/core/ids.ts';
import { RoomDoc } from '../app/sync/doc/room-doc.ts';
import { connectTestClient, eventually, type TestClient } from '../server/test/sync-client.ts';
import { type ServerProcess, startServerProcess } from './harness/server.ts';

const servers: ServerProcess[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  // Newest first: the first server owns (and deletes) the data dir the others reuse.
  for (const server of servers.splice(0).reverse()) await server.stop();
});

async function start(dataDir?: string): Promise<ServerProcess> {
  const server = await startServerProcess(dataDir ? { dataDir } : {});
  servers.push(server);
  return server;
}

function join(server: ServerProcess, roomId: string): TestClient {
  const client = connectTestClient(server.url, roomId);
  clients.push(client);
  return client;
}

/** Everything a room holds, in a comparable form. */
function snapshot(doc: Y.Doc): unknown {
  const room = new RoomDoc(doc);
  return {
    script: room.scriptText(),
    objects: Object.fromEntries(
      [...room.allObjectStates()].map(([id, state]) => [
        id,
        { ...state, state: Object.fromEntries(state.state), props: Object.fromEntries(state.props) },
      ]),
    ),
    stateVector: [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(),
  };
}

/** Edits a room through one client until a second client has seen all of it (so the server stored it: RS10). */
async function editRoom(server: ServerProcess, roomId: string, edits: number): Promise<unknown> {
  const writer = join(server, roomId);
  const witness = join(server, roomId);
  await Promise.all([writer.synced(), witness.synced()]);
  const room = new RoomDoc(writer.doc);
  room.replaceScript('composition "Kept" {\n}\n');
  for (let i = 0; i < edits; i++) {
    room.editScript(room.scriptLength - 2, 0, `  object "O${i}" { position: [${i}, 1, 0] }\n`);
    room.setTransform(`O${i}` as ObjectId, { position: [i, 2, 0], rotation: [0, i, 0], scale: [1, 1, 1] });
    if (i % 7 === 0) room.setStateValue(`O${i}` as ObjectId, 'clicks', i);
  }
  const expected = snapshot(writer.doc);
  await eventually(
    () => JSON.stringify(snapshot(witness.doc)) === JSON.stringify(expected),
    15_000,
    () => 'witness never caught up',
  );
  return expected;
}

test('[RS10] a room edited and then SIGKILLed comes back exactly after a restart', async () => {
  const first = await start();
  // 300 edits x 2-3 updates each crosses the compaction threshold (500 rows) while editing.
  const expected = await editRoom(first, 'persistroom01', 300);
  for (const client of clients.splice(0)) client.destroy();
  await first.kill();

  const second = await start(first.dataDir);
  const reader = join(second, 'persistroom01');
  await reader.synced();
  expect(snapshot(reader.doc)).toEqual(expected);
}, 120_000);

test('[RS11] the store survives restarts that no client reconnects to', async () => {
  const first = await start();
  const expected = await editRoom(first, 'persistroom02', 40);
  for (const client of clients.splice(0)) client.destroy();
  await first.kill();

  // Restart, then crash again, then restart and stop gracefully: nobody connects in between.
  const second = await start(first.dataDir);
  await second.kill();
  const third = await start(first.dataDir);
  await third.kill();
  const fourth = await start(first.dataDir);
  await stopKeepingData(fourth);

  const last = await start(first.dataDir);
  const reader = join(last, 'persistroom02');
  await reader.synced();
  expect(snapshot(reader.doc)).toEqual(expected);
  // A room nobody ever created is empty, not an error.
  const stranger = join(last, 'neverusedroom');
  await stranger.synced();
  expect(stranger.doc.getText('script').toString()).toBe('');
}, 120_000);

/** SIGTERM (graceful: compaction and store close) without deleting the data dir the first server owns. */
async function stopKeepingData(server: ServerProcess): Promise<void> {
  process.kill(server.pid, 'SIGTERM');
  await eventually(
    () => {
      try {
        process.kill(server.pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    10_000,
    () => 'server did not exit after SIGTERM',
  );
  servers.splice(servers.indexOf(server), 1);
}
