/**
 * A room's history (docs/history.md) against the real server on an ephemeral
 * loopback port: snapshots taken while the app's own client edits (HIST1,
 * HIST2), listed and fetched over HTTP by the app's own history client, the
 * owner's signature in a protected room and every way a request is refused
 * (HIST4-HIST6), and a restore through the room document (HIST7).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RoomId } from '../app/core/ids.ts';
import { RoomDoc } from '../app/sync/doc/room-doc.ts';
import { fetchSnapshot, type HistoryTarget, listSnapshots } from '../app/sync/history/history-client.ts';
import { createProtectedRoom } from '../app/sync/roles/credential-keys.ts';
import { HISTORY_PROOF_HEADER, historyAudience, signHistoryRequest } from '../app/sync/roles/history-proof.ts';
import type { RoomCredential } from '../app/sync/roles/room-credential.ts';
import { HISTORY_REQUESTS_PER_MINUTE } from './history-api.ts';
import { startTestServer, type TestServer } from './test/helpers.ts';
import { connectTestClient, eventually, newTestSession, type TestClient } from './test/sync-client.ts';
import { DEFAULT_HISTORY_POLICY } from './yjs/limits.ts';

/** HIST1 quickly: a periodic snapshot may follow 300 ms after the last. */
const EVERY_MS = 300;
const PRE_WIPE = 'composition "Kept" {\n  object "Crate" { geometry: "box" }\n}\n';

let server: TestServer;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.close();
});

async function start(): Promise<void> {
  const history = { ...DEFAULT_HISTORY_POLICY, everyMs: EVERY_MS };
  server = await startTestServer({ roomSyncLimits: { history } });
}

async function editor(roomId: string, name: string, credential?: RoomCredential): Promise<TestClient> {
  const session = credential ? await newTestSession() : undefined;
  const client = connectTestClient(server.url, roomId, new Y.Doc(), credential, session);
  clients.push(client);
  client.awareness.setLocalStateField('user', { name, color: '#4d96ff', inXR: false });
  await client.synced();
  return client;
}

/** Waits until the server holds this script for the room. */
async function serverHas(roomId: string, text: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const inspection = await server.roomSync.inspect(roomId);
    const doc = new Y.Doc();
    if (inspection) Y.applyUpdate(doc, inspection.update);
    if (doc.getText('script').toString() === text) return;
    if (Date.now() > deadline) throw new Error(`the server never held ${JSON.stringify(text)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function target(roomId: string, credential?: RoomCredential): HistoryTarget {
  return { serverUrl: server.url, roomId: roomId as RoomId, ...(credential ? { credential } : {}) };
}

/** The script a snapshot holds. */
function scriptOf(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return new RoomDoc(doc).scriptText();
}

/** Two periodic-worthy edits and a wipe by `wiper`: the room's history then holds a periodic and a wipe snapshot. */
async function editThenWipe(roomId: string, writer: TestClient, wiper: TestClient): Promise<void> {
  const room = new RoomDoc(writer.doc);
  room.replaceScript('composition "Kept" {\n}\n');
  await serverHas(roomId, 'composition "Kept" {\n}\n');
  await sleep(EVERY_MS + 50);
  room.replaceScript(PRE_WIPE);
  await serverHas(roomId, PRE_WIPE);
  await eventually(
    () => new RoomDoc(wiper.doc).scriptText() === PRE_WIPE,
    5_000,
    () => 'wiper never synced',
  );
  new RoomDoc(wiper.doc).replaceScript('');
  await serverHas(roomId, '');
}

describe('history of an open room', () => {
  it('[HIST1] [HIST2] [HIST4] keeps a periodic snapshot while the room changes and one before a wipe, with who was there', async () => {
    await start();
    const roomId = 'history-open-1';
    const alice = await editor(roomId, 'Alice');
    const mallory = await editor(roomId, 'Mallory');
    await editThenWipe(roomId, alice, mallory);

    const list = await listSnapshots(target(roomId));
    if (!list.ok) throw new Error(list.error);
    expect(list.snapshots.map((s) => s.reason)).toEqual(['wipe', 'periodic']);
    const [wipe, periodic] = list.snapshots;
    expect(wipe?.by).toEqual(['Mallory']);
    expect(wipe?.present).toEqual(['Alice', 'Mallory']);
    expect(periodic?.present).toEqual(['Alice', 'Mallory']);
    expect(wipe?.takenAt).toBeGreaterThanOrEqual(periodic?.takenAt ?? Number.POSITIVE_INFINITY);

    const before = await fetchSnapshot(target(roomId), wipe?.id ?? 0);
    if (!before.ok) throw new Error(before.error);
    expect(before.update.byteLength).toBe(wipe?.bytes);
    expect(scriptOf(before.update)).toBe(PRE_WIPE);
    // The periodic one is the room as it was before the first edit after EVERY_MS.
    const older = await fetchSnapshot(target(roomId), periodic?.id ?? 0);
    expect(older.ok && scriptOf(older.update)).toBe('composition "Kept" {\n}\n');
  });

  it('[HIST1] [HIST2] ordinary typing takes no wipe snapshot, and a quiet interval takes none at all', async () => {
    await start();
    const roomId = 'history-open-2';
    const alice = await editor(roomId, 'Alice');
    const room = new RoomDoc(alice.doc);
    room.replaceScript(PRE_WIPE);
    await serverHas(roomId, PRE_WIPE);
    room.editScript(0, 5); // five characters of many: editing, not a wipe
    await serverHas(roomId, PRE_WIPE.slice(5));
    await sleep(EVERY_MS + 50); // nothing changes meanwhile: no snapshot
    const list = await listSnapshots(target(roomId));
    expect(list.ok && list.snapshots).toEqual([]);
  });

  it('[HIST7] a restore is an edit: the server and a late joiner converge to the snapshot', async () => {
    await start();
    const roomId = 'history-open-3';
    const alice = await editor(roomId, 'Alice');
    const mallory = await editor(roomId, 'Mallory');
    await editThenWipe(roomId, alice, mallory);
    const list = await listSnapshots(target(roomId));
    const wipe = list.ok ? list.snapshots.find((s) => s.reason === 'wipe') : undefined;
    const snapshot = await fetchSnapshot(target(roomId), wipe?.id ?? 0);
    if (!snapshot.ok) throw new Error(snapshot.error);
    expect(new RoomDoc(alice.doc).restore(snapshot.update)).toEqual({ ok: true });
    await serverHas(roomId, PRE_WIPE);
    await eventually(
      () => new RoomDoc(mallory.doc).scriptText() === PRE_WIPE,
      5_000,
      () => 'mallory stayed wiped',
    );
    const late = await editor(roomId, 'Late');
    expect(new RoomDoc(late.doc).scriptText()).toBe(PRE_WIPE);
  });

  it('[HIST6] refuses bad ids, unknown rooms and snapshots, other methods, and too many requests', async () => {
    await start();
    const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
    expect((await get('/api/rooms/bad!/history')).status).toBe(400);
    expect((await get('/api/rooms/history-none/history')).status).toBe(404);
    const roomId = 'history-open-4';
    const alice = await editor(roomId, 'Alice');
    new RoomDoc(alice.doc).replaceScript(PRE_WIPE);
    await serverHas(roomId, PRE_WIPE);
    expect((await get(`/api/rooms/${roomId}/history`)).status).toBe(200);
    expect((await get(`/api/rooms/${roomId}/history/0`)).status).toBe(400);
    expect((await get(`/api/rooms/${roomId}/history/1e3`)).status).toBe(400);
    expect((await get(`/api/rooms/${roomId}/history/9999999999999999`)).status).toBe(400);
    expect((await get(`/api/rooms/${roomId}/history/77`)).status).toBe(404);
    expect((await get(`/api/rooms/${roomId}/history`, { method: 'POST', body: 'x'.repeat(100_000) })).status).toBe(405);
    // Those that reached the room counted (3); the rest of the minute's allowance passes, then 429.
    let passed = 0;
    let limited: Response | undefined;
    for (let i = 0; i < 2 * HISTORY_REQUESTS_PER_MINUTE && !limited; i++) {
      const response = await get(`/api/rooms/${roomId}/history`);
      if (response.status === 429) limited = response;
      else passed++;
    }
    expect(passed).toBeGreaterThanOrEqual(HISTORY_REQUESTS_PER_MINUTE - 3);
    expect(passed).toBeLessThanOrEqual(HISTORY_REQUESTS_PER_MINUTE - 2);
    if (!limited) throw new Error('never limited');
    expect(((await limited.json()) as { error: string }).error).toMatch(/too many history requests/);
  });
});

describe('history of a protected room', () => {
  async function protectedRoomWithHistory() {
    await start();
    const created = await createProtectedRoom();
    const owner = await editor(created.roomId, 'Owner', created.owner);
    const wiper = await editor(created.roomId, 'Wiper', created.owner);
    await editThenWipe(created.roomId, owner, wiper);
    return created;
  }

  it('[HIST5] the owner lists and fetches with a signed request', async () => {
    const created = await protectedRoomWithHistory();
    const list = await listSnapshots(target(created.roomId, created.owner));
    if (!list.ok) throw new Error(list.error);
    expect(list.snapshots.map((s) => s.reason)).toEqual(['wipe', 'periodic']);
    const one = await fetchSnapshot(target(created.roomId, created.owner), list.snapshots[0]?.id ?? 0);
    expect(one.ok && scriptOf(one.update)).toBe(PRE_WIPE);
  });

  it('[HIST5] refuses unsigned, wrongly signed, replayed, misdirected, stale and oversized proofs', async () => {
    const created = await protectedRoomWithHistory();
    const path = `/api/rooms/${created.roomId}/history`;
    const audience = historyAudience(new URL(server.url).host);
    const withProof = (proof: string, at = path) =>
      fetch(`${server.url}${at}`, { headers: { [HISTORY_PROOF_HEADER]: proof } });
    const sign = async (credential: RoomCredential, signedPath = path, now = Date.now(), aud = audience) =>
      (await signHistoryRequest(credential, aud, signedPath, now)) ?? '';

    expect((await fetch(`${server.url}${path}`)).status).toBe(401);
    // A viewer or editor has no owner key: the client does not even ask.
    const asViewer = await listSnapshots(
      target(created.roomId, { role: 'viewer', ownerPublicKey: created.owner.ownerPublicKey }),
    );
    expect(asViewer).toEqual({ ok: false, error: 'Only the room’s owner can see its history.' });
    // Another room's owner key, presented as this room's.
    const stranger = (await createProtectedRoom()).owner;
    const foreign = await sign({ ...stranger, ownerPublicKey: created.owner.ownerPublicKey });
    expect((await withProof(foreign)).status).toBe(403);
    // A valid proof works once.
    const proof = await sign(created.owner);
    expect((await withProof(proof)).status).toBe(200);
    expect((await withProof(proof)).status).toBe(401);
    // Signed for the list, sent for a snapshot; signed for another server.
    expect((await withProof(await sign(created.owner), `${path}/1`)).status).toBe(403);
    expect((await withProof(await sign(created.owner, path, Date.now(), 'history:evil.example:443'))).status).toBe(403);
    // Too old and from the future.
    expect((await withProof(await sign(created.owner, path, Date.now() - 120_000))).status).toBe(401);
    expect((await withProof(await sign(created.owner, path, Date.now() + 120_000))).status).toBe(401);
    // A flipped bit in the signature.
    const good = await sign(created.owner);
    const flipped = `${good.slice(0, -2)}${good.endsWith('AA') ? 'BA' : 'AA'}`;
    expect((await withProof(flipped)).status).toBe(403);
    // Garbled and oversized headers.
    expect((await withProof('not a proof')).status).toBe(400);
    expect((await withProof(`${Date.now()}.${'A'.repeat(22)}.${'A'.repeat(400)}`)).status).toBe(400);
    const body = (await (await withProof('1.2.3')).json()) as { error: string };
    expect(body.error).toMatch(/nonce/);
  });
});
