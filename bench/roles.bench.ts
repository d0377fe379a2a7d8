/**
 * What roles cost (docs/roles.md), side by side with an open room. Node only:
 *
 *   roles.verify_update_us          the role check of one keystroke update from a proven
 *                                   editor on the peer path (PeerRoles.admit), mean over a run
 *   roles.peer_update_open_us       what every peer pays per keystroke update in an open room:
 *                                   the update gate's judgement plus applying it (CAP4)
 *   roles.peer_update_protected_us  the same in a protected room: role check, gate, apply
 *   roles.proof_sign_ms             signing one join proof (an editor's, WebCrypto Ed25519)
 *   roles.proof_verify_ms           verifying it (the capability and the join signature)
 *   roles.join_open_ms              a Node client with an edit made before it connected, from
 *                                   connecting to that edit arriving at another client through
 *                                   the real server (median of runs), open room
 *   roles.join_protected_ms         the same as an editor of a protected room: the edit waits
 *                                   for the challenge, the proof and the session proof and their
 *                                   verification (ROLE5, MOD4)
 *   roles.join_extra_ms             the difference of the two medians
 *   roles.verify_entry_us           checking one owner entry (a kick: format and owner
 *                                   signature, MOD2), median of runs; what a page or the server
 *                                   pays once per entry it has not seen
 *   roles.verify_name_us            checking one presence entry's signed name (PNAME1: proof
 *                                   format, statement, session signature), median of runs; what
 *                                   a page pays once per entry or rename it has not seen
 *   roles.sign_name_us              signing one name (PNAME1), median of runs; once per rename
 *   roles.grab_check_us             checking one viewer's grab update (a release: transform and
 *                                   owner written over older values) against a room with a 2,000-
 *                                   character script and 200 objects with state (ROLE11), median;
 *                                   what a peer or the server pays per viewer update where viewers may grab
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { objectId } from '../app/core/ids.ts';
import { checkGrabUpdate } from '../app/sync/doc/grab-update.ts';
import { RoomDoc } from '../app/sync/doc/room-doc.ts';
import { UpdateGate } from '../app/sync/gate/update-gate.ts';
import { judgePeerMessage } from '../app/sync/gate/webrtc-guard.ts';
import { createProtectedRoom } from '../app/sync/roles/credential-keys.ts';
import { createProof, newChallenge, peerAudience, verifyProof } from '../app/sync/roles/join-proof.ts';
import { readOwnerEntry, signKick } from '../app/sync/roles/owner-entries.ts';
import { PeerRoles, type RoleLink } from '../app/sync/roles/peer-roles.ts';
import { checkName, NameSigner } from '../app/sync/roles/presence-names.ts';
import { readRoleMessage, writeProof } from '../app/sync/roles/role-messages.ts';
import { type RoomCredential, readRoleLink } from '../app/sync/roles/room-credential.ts';
import { loadSessionKey, sessionId } from '../app/sync/roles/session-key.ts';
import { startTestServer } from '../server/test/helpers.ts';
import { connectTestClient, eventually, newTestSession } from '../server/test/sync-client.ts';
import { median } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';

const KEYSTROKES = 2_000;
const PROOF_RUNS = 200;
const JOIN_RUNS = 15;
const ROUNDS = 5;

async function credentialOf(roomId: string, hash: string): Promise<RoomCredential> {
  const read = await readRoleLink(roomId, hash);
  if (!read.credential) throw new Error('no credential');
  return read.credential;
}

/** One typist's keystrokes as the sync update messages a peer receives. */
function keystrokeMessages(): Uint8Array[] {
  const doc = new Y.Doc();
  const messages: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, update);
    messages.push(encoding.toUint8Array(encoder));
  });
  const text = doc.getText('script');
  for (let i = 0; i < KEYSTROKES; i++) text.insert(text.length, i % 40 === 39 ? '\n' : 'x');
  return messages;
}

/** Microseconds per message of `handle` over all `messages`, in order (each applies once). */
function perMessageUs(messages: readonly Uint8Array[], handle: (message: Uint8Array) => void): number {
  const t0 = performance.now();
  for (const message of messages) handle(message);
  return ((performance.now() - t0) * 1000) / messages.length;
}

/** Applies a message the way y-webrtc does once the gate let it through. */
function applySync(doc: Y.Doc, message: Uint8Array): void {
  const decoder = { arr: message, pos: 1 };
  syncProtocol.readSyncMessage(decoder as never, encoding.createEncoder(), doc, 'peer');
}

async function measureUpdates(): Promise<Record<string, number>> {
  const room = await createProtectedRoom();
  const messages = keystrokeMessages();
  // A proven editor's connection to the owner.
  const ownerDoc = new Y.Doc();
  const roles = new PeerRoles(await credentialOf(room.roomId, room.ownerHash), ownerDoc);
  const sent: Uint8Array[] = [];
  const link: RoleLink = {
    key: {},
    close: () => {},
    send: (data) => sent.push(data),
    fingerprints: () => ({ local: 'sha-256 owner', remote: 'sha-256 editor' }),
  };
  roles.open(link);
  const challenge = readRoleMessage(sent[0] as Uint8Array);
  if (!challenge.ok || challenge.message.kind !== 'challenge') throw new Error('no challenge');
  const editor = await credentialOf(room.roomId, room.editorHash);
  const proof = await createProof(editor, peerAudience('sha-256 owner'), challenge.message.challenge);
  roles.admit(link, writeProof(proof));
  await eventually(
    () => roles.roleOf(link) === 'editor',
    5_000,
    () => 'the editor was not proven',
  );

  // Rounds in alternating order, each on fresh documents (an update applies once), so warm-up
  // and load on the machine fall on both paths alike; the median round is reported.
  const verify: number[] = [];
  const open: number[] = [];
  const guarded: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const openDoc = new Y.Doc();
    const openGate = new UpdateGate(openDoc);
    const protectedDoc = new Y.Doc();
    const protectedGate = new UpdateGate(protectedDoc);
    const runOpen = () =>
      perMessageUs(messages, (message) => {
        if (judgePeerMessage(message, openGate).ok) applySync(openDoc, message);
      });
    const runProtected = () =>
      perMessageUs(messages, (message) => {
        const admitted = roles.admit(link, message);
        if (admitted && judgePeerMessage(admitted, protectedGate).ok) applySync(protectedDoc, admitted);
      });
    if (round % 2 === 0) {
      open.push(runOpen());
      guarded.push(runProtected());
    } else {
      guarded.push(runProtected());
      open.push(runOpen());
    }
    verify.push(perMessageUs(messages, (message) => roles.admit(link, message)));
    if (protectedDoc.getText('script').toString() !== openDoc.getText('script').toString()) {
      throw new Error('the protected and the open peer did not end with the same text');
    }
    openGate.destroy();
    protectedGate.destroy();
  }

  const signs: number[] = [];
  const verifies: number[] = [];
  for (let i = 0; i < PROOF_RUNS; i++) {
    const nonce = newChallenge();
    const t0 = performance.now();
    const p = await createProof(editor, 'sync:127.0.0.1:1', nonce);
    const t1 = performance.now();
    const check = await verifyProof(room.owner.ownerPublicKey, 'sync:127.0.0.1:1', nonce, p);
    verifies.push(performance.now() - t1);
    signs.push(t1 - t0);
    if (!check.ok) throw new Error('a proof did not verify');
  }
  return {
    'roles.verify_update_us': median(verify),
    'roles.peer_update_open_us': median(open),
    'roles.peer_update_protected_us': median(guarded),
    'roles.proof_sign_ms': median(signs),
    'roles.proof_verify_ms': median(verifies),
  };
}

async function measureJoins(): Promise<Record<string, number>> {
  const server = await startTestServer();
  const room = await createProtectedRoom();
  const editor = await credentialOf(room.roomId, room.editorHash);
  const observe = async (roomId: string, credential?: RoomCredential) => {
    const session = credential ? await newTestSession() : undefined;
    const observer = connectTestClient(server.url, roomId, new Y.Doc(), credential, session);
    await observer.synced();
    return observer;
  };
  /** Milliseconds from connecting a client whose document holds a new edit to that edit arriving at `observer`. */
  const joinMs = async (
    roomId: string,
    credential: RoomCredential | undefined,
    observer: { doc: Y.Doc },
    i: number,
  ) => {
    const marker = `[join ${i}]`;
    const doc = new Y.Doc();
    doc.getText('script').insert(0, marker);
    // A page's session key is made once per browser profile, not per join: made before the clock starts.
    const session = credential ? await newTestSession() : undefined;
    const t0 = performance.now();
    const client = connectTestClient(server.url, roomId, doc, credential, session);
    await eventually(
      () => observer.doc.getText('script').toString().includes(marker),
      10_000,
      () => `join ${i} never arrived`,
    );
    const ms = performance.now() - t0;
    client.destroy();
    return ms;
  };
  const openObserver = await observe('benchopenroom01');
  const protectedObserver = await observe(room.roomId, await credentialOf(room.roomId, room.ownerHash));
  // Alternating, so load on the machine falls on both alike.
  const open: number[] = [];
  const guarded: number[] = [];
  for (let i = 0; i < JOIN_RUNS; i++) {
    open.push(await joinMs('benchopenroom01', undefined, openObserver, i));
    guarded.push(await joinMs(room.roomId, editor, protectedObserver, i));
  }
  openObserver.destroy();
  protectedObserver.destroy();
  await server.close();
  return {
    'roles.join_open_ms': median(open),
    'roles.join_protected_ms': median(guarded),
    'roles.join_extra_ms': median(guarded) - median(open),
  };
}

async function measureEntries(): Promise<Record<string, number>> {
  const room = await createProtectedRoom();
  const session = await loadSessionKey(undefined);
  const times: number[] = [];
  for (let i = 0; i < PROOF_RUNS; i++) {
    const entry = await signKick(room.owner, i + 1, session.publicKey);
    const t0 = performance.now();
    const read = await readOwnerEntry(room.owner.ownerPublicKey, entry);
    times.push((performance.now() - t0) * 1000);
    if (!read.ok) throw new Error(`an owner entry did not verify: ${read.reason}`);
  }
  return { 'roles.verify_entry_us': median(times) };
}

async function measureNames(): Promise<Record<string, number>> {
  const room = await createProtectedRoom();
  const key = await loadSessionKey(undefined);
  const session = sessionId(key.publicKey);
  const signer = new NameSigner(room.owner.ownerPublicKey, key, 4242);
  const signing: number[] = [];
  const checking: number[] = [];
  for (let i = 0; i < PROOF_RUNS; i++) {
    const name = `Person ${i}`;
    const t0 = performance.now();
    const nameProof = await new Promise<string>((resolve) => {
      signer.proofFor(name, () => resolve(signer.proofFor(name, () => {}) as string));
    });
    signing.push((performance.now() - t0) * 1000);
    const t1 = performance.now();
    const check = await checkName(room.owner.ownerPublicKey, 4242, { name, session, nameProof });
    checking.push((performance.now() - t1) * 1000);
    if (!check.ok) throw new Error(`a signed name did not verify: ${check.reason}`);
  }
  return { 'roles.sign_name_us': median(signing), 'roles.verify_name_us': median(checking) };
}

/** ROLE11: a viewer's release checked against a room of some size, as a peer or the server does. */
function measureGrabChecks(): Record<string, number> {
  const roomDoc = new Y.Doc();
  const room = new RoomDoc(roomDoc);
  room.replaceScript('x'.repeat(2_000));
  for (let i = 0; i < 200; i++) {
    const id = objectId(`Object${i}`);
    room.setTransform(id, { position: [i, 0, 0], rotation: [0, 0, 0], scale: [1, 1, 1] });
    room.setStateValue(id, 'count', i);
  }
  const viewerDoc = new Y.Doc();
  Y.applyUpdate(viewerDoc, Y.encodeStateAsUpdate(roomDoc));
  const viewer = new RoomDoc(viewerDoc);
  const updates: Uint8Array[] = [];
  viewerDoc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < PROOF_RUNS; i++) {
    const id = objectId(`Object${i % 200}`);
    viewer.transact(() => {
      viewer.setTransform(id, { position: [i, 1, 0], rotation: [0, i, 0], scale: [1, 1, 1] });
      viewer.setOwner(id, null);
    });
  }
  const times: number[] = [];
  for (const update of updates) {
    const t0 = performance.now();
    const check = checkGrabUpdate(roomDoc, update);
    times.push((performance.now() - t0) * 1000);
    if (!check.ok) throw new Error(`a viewer's release was refused: ${check.reason}`);
    Y.applyUpdate(roomDoc, update);
  }
  return { 'roles.grab_check_us': median(times) };
}

const roles: Benchmark = async () => ({
  ...(await measureUpdates()),
  ...(await measureJoins()),
  ...(await measureEntries()),
  ...(await measureNames()),
  ...measureGrabChecks(),
});

export default roles;
