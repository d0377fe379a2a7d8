// SEC12, SEC13: disk is bounded and storage trouble never stops the process.
// The quota runs against the real entry point; a full disk is SQLite's own
// SQLITE_FULL (its page cap, set in-process), and retention against a real
// server with short timings.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { closed, startTestServer, type TestServer } from '../test/helpers.ts';
import { connectTestClient, eventually, type TestClient } from '../test/sync-client.ts';
import { updateMessage } from '../yjs/messages.ts';
import { logged, opened, type ServerProcess, servedMs, socketFrom, spawnServer } from './harness.ts';

let child: ServerProcess | undefined;
let inProcess: TestServer | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await child?.stop();
  await inProcess?.close();
  child = undefined;
  inProcess = undefined;
});

function client(base: string, room: string): TestClient {
  const c = connectTestClient(base, room);
  clients.push(c);
  return c;
}

/** An update writing `text` as the whole script of a fresh document. */
function scriptUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('script').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

async function scriptOnServer(base: string, room: string): Promise<string> {
  const reader = client(base, room);
  await reader.synced();
  return reader.doc.getText('script').toString();
}

describe('abuse: disk is bounded', () => {
  it('[SEC12] refuses writes past the total disk quota with 4507; what is stored stays readable', async () => {
    child = await spawnServer({ DISK_QUOTA_MB: '1' });
    const first = await opened(socketFrom(10, child.wsUrl('/sync?room=quotaroom0001&v=1')));
    first.send(updateMessage(scriptUpdate('a'.repeat(700_000))));
    expect((await scriptOnServer(child.url, 'quotaroom0001')).length).toBe(700_000);
    const second = await opened(socketFrom(10, child.wsUrl('/sync?room=quotaroom0002&v=1')));
    const done = closed(second);
    second.send(updateMessage(scriptUpdate('b'.repeat(500_000))));
    expect(await done).toEqual({ code: 4507, reason: 'server storage quota reached' });
    expect((await scriptOnServer(child.url, 'quotaroom0001')).length).toBe(700_000);
    expect(await scriptOnServer(child.url, 'quotaroom0002')).toBe('');
    await logged(child, /refusing a write the store did not take/);
    expect(await servedMs(child)).toBeLessThan(3_000);
    expect(child.alive()).toBe(true);
  });

  it('[SEC12] a full disk (SQLITE_FULL) refuses the write with 4507, keeps memory equal to disk, and never exits', async () => {
    inProcess = await startTestServer({ roomSyncLimits: { sqliteMaxPageCount: 60 } });
    const writer = await opened(socketFrom(11, inProcess.wsUrl('/sync?room=fulldisk0001&v=1')));
    writer.send(updateMessage(scriptUpdate('kept')));
    await eventually(
      () => inProcess?.roomSync.store.size('fulldisk0001').rows === 1,
      5_000,
      () => 'first write not stored',
    );
    const done = closed(writer);
    const doc = new Y.Doc();
    doc.clientID = 99;
    doc.getText('script').insert(0, 'z'.repeat(400_000));
    writer.send(updateMessage(Y.encodeStateAsUpdate(doc)));
    expect(await done).toEqual({ code: 4507, reason: 'server storage unavailable' });
    expect(inProcess.logs.some((entry) => /SQLITE_FULL|full/.test(String(entry.fields.error)))).toBe(true);
    // Memory was read back from disk: a new client gets only what the disk has.
    expect(await scriptOnServer(inProcess.url, 'fulldisk0001')).toBe('kept');
  });
});

describe('abuse: rooms do not live forever', () => {
  it('[SEC13] removes rooms untouched for longer than the retention, never a live one', async () => {
    inProcess = await startTestServer({
      roomSyncLimits: { retentionMs: 1_500, retentionSweepMs: 200, unloadAfterMs: 100, heartbeatMs: 60_000 },
    });
    const base = inProcess.url;
    const old = client(base, 'retentionroom1');
    const live = client(base, 'retentionroom2');
    await Promise.all([old.synced(), live.synced()]);
    old.doc.getText('script').insert(0, 'old');
    live.doc.getText('script').insert(0, 'live');
    await eventually(
      () => inProcess?.roomSync.store.size('retentionroom1').rows === 1,
      5_000,
      () => 'not stored',
    );
    old.destroy();
    // The room unloads after 100 ms, then nobody touches it for 1.5 s.
    await eventually(
      () => inProcess?.roomSync.store.size('retentionroom1').rows === 0,
      6_000,
      () => 'old room kept',
    );
    expect(inProcess.logs.some((entry) => entry.message === 'removed a room past its retention')).toBe(true);
    // The live room's last write is as old, but someone is in it.
    expect(inProcess.roomSync.store.size('retentionroom2').rows).toBeGreaterThan(0);
  });
});
