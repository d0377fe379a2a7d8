/**
 * PNAME1-PNAME6 (docs/roles.md): names bound to session keys, with real Ed25519
 * (Node's WebCrypto) and real y-protocols awareness. The statement byte by
 * byte; forged, replayed (on another client id, in another room, by another
 * session), renamed, oversized, truncated and garbled proofs refused with a
 * reason and never thrown; a client id kept by its first session; what lists
 * and avatar tags show.
 */
import { describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { peer } from '../../../testing/ids.ts';
import { MAX_NAME_LENGTH } from '../../core/identity.ts';
import { avatarName } from '../../room/avatars.ts';
import { listPeers, type Peer, publishPresence } from '../presence.ts';
import { encodeBase64url } from './base64url.ts';
import { createProtectedRoom } from './credential-keys.ts';
import { PUBLIC_KEY_BYTES } from './ed25519.ts';
import { sessionFingerprint, UNVERIFIED_NAME } from './name-labels.ts';
import {
  checkName,
  MAX_KNOWN_CLIENTS,
  MAX_PENDING_NAME_CHECKS,
  NAME_PROOF_BYTES,
  NameSigner,
  PresenceNames,
  readNameProof,
  writeNameProof,
} from './presence-names.ts';
import { loadSessionKey, type SessionKey, sessionId } from './session-key.ts';
import { MAX_NAME_BYTES, nameStatement } from './statements.ts';

/** This page's proof for `name`, once its signer has signed it. */
function proofOf(signer: NameSigner, name: string): Promise<string> {
  return new Promise((resolve) => {
    const now = signer.proofFor(name, () => resolve(signer.proofFor(name, () => {}) as string));
    if (now) resolve(now);
  });
}

/** What `key`'s page publishes for `name` at `clientId` (after `renames`, each under the next counter). */
async function signed(owner: Uint8Array, key: SessionKey, clientId: number, name: string, renames: string[] = []) {
  const signer = new NameSigner(owner, key, clientId);
  for (const earlier of renames) await proofOf(signer, earlier);
  return { name, session: sessionId(key.publicKey), nameProof: await proofOf(signer, name) };
}

/** Settles every pending check of `names` (each check is one WebCrypto verify). */
async function settled(names: PresenceNames, clientId: number, claimed: Parameters<PresenceNames['check']>[1]) {
  for (let i = 0; i < 100; i++) {
    const verdict = names.check(clientId, claimed);
    if (verdict.state !== 'pending') return verdict;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error('the check did not settle in 100 ms');
}

function namesFor(owner: Uint8Array, present: (id: number) => boolean = () => true) {
  return new PresenceNames(owner, () => {}, present);
}

describe('the name statement (PNAME1)', () => {
  it('[PNAME1] binds tag, room, session, client id, counter and name, byte by byte', async () => {
    const owner = new Uint8Array(PUBLIC_KEY_BYTES).fill(1);
    const session = new Uint8Array(PUBLIC_KEY_BYTES).fill(2);
    const statement = nameStatement(owner, session, 0x01020304, 7, 'Ané') as Uint8Array;
    const tag = 'holoroom/name/1';
    expect(statement.length).toBe(15 + 32 + 32 + 4 + 4 + 1 + 4);
    expect(new TextDecoder().decode(statement.subarray(0, 15))).toBe(tag);
    expect([...statement.subarray(15, 47)]).toEqual([...owner]);
    expect([...statement.subarray(47, 79)]).toEqual([...session]);
    expect([...statement.subarray(79, 88)]).toEqual([4, 3, 2, 1, 7, 0, 0, 0, 4]);
    expect([...statement.subarray(88)]).toEqual([0x41, 0x6e, 0xc3, 0xa9]);
    expect(nameStatement(owner, session, 1, 1, '')).toBeUndefined();
    expect(nameStatement(owner, session, 1, 1, 'x'.repeat(MAX_NAME_BYTES + 1))).toBeUndefined();
    expect(nameStatement(owner, session, 2 ** 32, 1, 'x')).toBeUndefined();
    expect(nameStatement(owner, session, 1, -1, 'x')).toBeUndefined();
    // The longest name a person can choose still fits.
    expect(nameStatement(owner, session, 1, 1, '😀'.repeat(MAX_NAME_LENGTH))).toBeDefined();
  });

  it('[PNAME1] a proof is version, counter and signature (69 bytes), and checks for its own room, client id and session', async () => {
    const room = await createProtectedRoom();
    const key = await loadSessionKey(undefined);
    const claimed = await signed(room.owner.ownerPublicKey, key, 1234, 'Alice');
    expect(claimed.nameProof.length).toBe(92);
    const read = readNameProof(claimed.nameProof);
    expect(read.ok && read.counter).toBe(1);
    expect(NAME_PROOF_BYTES).toBe(69);
    expect(await checkName(room.owner.ownerPublicKey, 1234, claimed)).toEqual({
      ok: true,
      session: claimed.session,
      counter: 1,
    });
  });

  it('[PNAME1] each rename is signed under the next counter', async () => {
    const room = await createProtectedRoom();
    const key = await loadSessionKey(undefined);
    const claimed = await signed(room.owner.ownerPublicKey, key, 9, 'Carol', ['Bob']);
    const read = readNameProof(claimed.nameProof);
    expect(read.ok && read.counter).toBe(2);
    expect((await checkName(room.owner.ownerPublicKey, 9, claimed)).ok).toBe(true);
  });
});

describe('forged and garbled names (PNAME5)', () => {
  it('[PNAME5] forged, replayed on another client id or room, claimed by another session, renamed: refused with a reason', async () => {
    const room = await createProtectedRoom();
    const otherRoom = await createProtectedRoom();
    const alice = await loadSessionKey(undefined);
    const mallory = await loadSessionKey(undefined);
    const owner = room.owner.ownerPublicKey;
    const claimed = await signed(owner, alice, 100, 'Alice');
    const proof = readNameProof(claimed.nameProof);
    if (!proof.ok) throw new Error(proof.reason);
    const flipped = proof.signature.slice();
    flipped[3] = (flipped[3] as number) ^ 1;
    const refusals = [
      checkName(owner, 100, { ...claimed, nameProof: writeNameProof(1, flipped) }),
      checkName(owner, 101, claimed), // replayed under the forger's own client id
      checkName(otherRoom.owner.ownerPublicKey, 100, claimed), // replayed in another room
      checkName(owner, 100, { ...claimed, session: sessionId(mallory.publicKey) }), // another session claims it
      checkName(owner, 100, { ...claimed, name: 'Alicia' }), // the name changed without a signature
      checkName(owner, 100, { ...claimed, nameProof: writeNameProof(2, proof.signature) }), // another counter
    ];
    for (const check of await Promise.all(refusals)) {
      expect(check).toEqual({
        ok: false,
        reason: 'name signature does not verify for this room, client id and session',
      });
    }
  });

  it('[PNAME5] oversized, truncated, unknown-version, non-text and missing proofs and sessions are refused, never thrown', async () => {
    const room = await createProtectedRoom();
    const alice = await loadSessionKey(undefined);
    const owner = room.owner.ownerPublicKey;
    const claimed = await signed(owner, alice, 100, 'Alice');
    const bytes = new Uint8Array(NAME_PROOF_BYTES);
    bytes[0] = 2;
    const cases: [unknown, string][] = [
      [`${claimed.nameProof}AAAA`, 'name proof is not base64url of at most 69 bytes'],
      ['A'.repeat(1 << 20), 'name proof is not base64url of at most 69 bytes'],
      [claimed.nameProof.slice(0, 80), 'name proof truncated (60 bytes)'],
      ['', 'name proof truncated (0 bytes)'],
      [encodeBase64url(bytes), 'name proof version 2 unknown'],
      ['not base64url!', 'name proof is not base64url of at most 69 bytes'],
      [42, 'name proof is not text'],
      [undefined, 'no name proof'],
    ];
    for (const [nameProof, reason] of cases) {
      expect(await checkName(owner, 100, { ...claimed, nameProof })).toEqual({ ok: false, reason });
    }
    expect(await checkName(owner, 100, { ...claimed, session: 'short' })).toEqual({
      ok: false,
      reason: 'no session key',
    });
    expect(await checkName(owner, 100, { ...claimed, name: 'x'.repeat(200) })).toEqual({
      ok: false,
      reason: 'name or client id out of range',
    });
    expect(await checkName(owner, -1, claimed)).toEqual({ ok: false, reason: 'name or client id out of range' });
  });

  it('[PNAME5] 2,000 seeded random proofs and sessions never throw and never verify', async () => {
    const room = await createProtectedRoom();
    let seed = 0x2545f491;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
    const checks: Promise<unknown>[] = [];
    for (let i = 0; i < 2_000; i++) {
      const proofLength = random() < 0.5 ? NAME_PROOF_BYTES : Math.floor(random() * 100);
      const proof = bytes(proofLength);
      if (random() < 0.5) proof[0] = 1;
      checks.push(
        checkName(room.owner.ownerPublicKey, Math.floor(random() * 2 ** 32), {
          name: 'Alice',
          session: encodeBase64url(bytes(random() < 0.8 ? 32 : 31)),
          nameProof: random() < 0.9 ? encodeBase64url(proof) : proof,
        }),
      );
    }
    const results = await Promise.all(checks);
    expect(results.filter((r) => (r as { ok: boolean }).ok)).toEqual([]);
  });

  it(`[PNAME5] at most ${MAX_PENDING_NAME_CHECKS} checks wait at once; more show unverified until one is free`, async () => {
    const room = await createProtectedRoom();
    const names = namesFor(room.owner.ownerPublicKey);
    const claimed = { name: 'x', session: sessionId(new Uint8Array(32)), nameProof: 'AQ' };
    for (let i = 0; i < MAX_PENDING_NAME_CHECKS; i++) expect(names.check(i, claimed).state).toBe('pending');
    expect(names.check(MAX_PENDING_NAME_CHECKS, claimed)).toEqual({
      state: 'unverified',
      reason: 'too many names to check',
    });
    await settled(names, 0, claimed);
    expect((await settled(names, MAX_PENDING_NAME_CHECKS, claimed)).state).toBe('unverified');
    expect(names.counts.refused).toBe(MAX_PENDING_NAME_CHECKS + 1);
  });
});

describe('who owns a client id (PNAME2)', () => {
  it("[PNAME2] a client id belongs to the first session whose name verified; another session's signed entry for it is refused", async () => {
    const room = await createProtectedRoom();
    const owner = room.owner.ownerPublicKey;
    const alice = await loadSessionKey(undefined);
    const mallory = await loadSessionKey(undefined);
    const names = namesFor(owner);
    expect(await settled(names, 100, await signed(owner, alice, 100, 'Alice'))).toEqual({
      state: 'verified',
      session: sessionId(alice.publicKey),
    });
    // Mallory signs for Alice's client id with her own key (valid signature, wrong owner).
    const hijack = await signed(owner, mallory, 100, 'Alice');
    expect((await checkName(owner, 100, hijack)).ok).toBe(true);
    expect(await settled(names, 100, hijack)).toEqual({
      state: 'unverified',
      reason: 'this client id belongs to another session',
    });
    expect(names.lastRefusal).toBe('this client id belongs to another session');
  });

  it('[PNAME2] an older name of a client id (replayed after a rename) is refused', async () => {
    const room = await createProtectedRoom();
    const owner = room.owner.ownerPublicKey;
    const alice = await loadSessionKey(undefined);
    const signer = new NameSigner(owner, alice, 100);
    const session = sessionId(alice.publicKey);
    const first = { name: 'Alice', session, nameProof: await proofOf(signer, 'Alice') };
    const second = { name: 'Alicia', session, nameProof: await proofOf(signer, 'Alicia') };
    const names = namesFor(owner);
    expect((await settled(names, 100, first)).state).toBe('verified');
    expect((await settled(names, 100, second)).state).toBe('verified');
    expect(await settled(names, 100, first)).toEqual({
      state: 'unverified',
      reason: 'an older name of this client id',
    });
  });

  it(`[PNAME2] a page remembers ${MAX_KNOWN_CLIENTS} owners and forgets only absent ones`, async () => {
    const room = await createProtectedRoom();
    const owner = room.owner.ownerPublicKey;
    const mallory = await loadSessionKey(undefined);
    const alice = await loadSessionKey(undefined);
    const present = new Set<number>([0]);
    const names = namesFor(owner, (id) => present.has(id));
    expect((await settled(names, 0, await signed(owner, alice, 0, 'Alice'))).state).toBe('verified');
    // Mallory fills the page's memory with client ids of her own (all absent but the last ones).
    for (let id = 1; id < MAX_KNOWN_CLIENTS; id++) {
      expect((await settled(names, id, await signed(owner, mallory, id, 'M'))).state).toBe('verified');
    }
    for (let id = 1; id < MAX_KNOWN_CLIENTS; id++) present.add(id);
    expect(await settled(names, MAX_KNOWN_CLIENTS, await signed(owner, mallory, MAX_KNOWN_CLIENTS, 'M'))).toEqual({
      state: 'unverified',
      reason: 'too many client ids to remember',
    });
    // Alice is present, so her client id is never freed for another session.
    expect((await settled(names, 0, await signed(owner, mallory, 0, 'Alice'))).state).toBe('unverified');
    present.delete(5);
    expect((await settled(names, MAX_KNOWN_CLIENTS, await signed(owner, mallory, MAX_KNOWN_CLIENTS, 'M'))).state).toBe(
      'verified',
    );
  }, 30_000);
});

describe('what lists and tags show (PNAME3, PNAME4, PNAME6)', () => {
  /** Three awarenesses in memory; `watcher` sees what the others publish, as relayed entries. */
  async function threePeople() {
    const room = await createProtectedRoom();
    const owner = room.owner.ownerPublicKey;
    const watcher = new Awareness(new Y.Doc());
    const alice = { awareness: new Awareness(new Y.Doc()), key: await loadSessionKey(undefined) };
    const mallory = { awareness: new Awareness(new Y.Doc()), key: await loadSessionKey(undefined) };
    let changed = 0;
    const names = new PresenceNames(
      owner,
      () => changed++,
      (id) => watcher.states.has(id),
    );
    const publishAs = async (who: typeof alice, name: string, clientId = who.awareness.clientID) => {
      const claimed = await signed(owner, who.key, clientId, name);
      return { color: '#4d96ff', inXR: false, away: false, ...claimed };
    };
    const show = (clientId: number, user: object) => {
      watcher.states.set(clientId, { user });
    };
    const list = async () => {
      for (let i = 0; i < 100 && listPeers(watcher, names).length < watcher.states.size - 1; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return listPeers(watcher, names);
    };
    publishPresence(watcher, { name: 'Owner', color: '#4d96ff', inXR: false, away: false });
    return { owner, watcher, alice, mallory, names, publishAs, show, list, changes: () => changed };
  }

  it("[PNAME3] an entry that copies another's signed name shows as an unverified guest and names no session", async () => {
    const t = await threePeople();
    const aliceUser = await t.publishAs(t.alice, 'Alice');
    t.show(t.alice.awareness.clientID, aliceUser);
    t.show(t.mallory.awareness.clientID, aliceUser); // Mallory publishes Alice's whole entry as hers
    const listed = await t.list();
    const byId = new Map(listed.map((p) => [p.peerId as number, p]));
    expect(byId.get(t.alice.awareness.clientID)).toMatchObject({
      name: 'Alice',
      nameCheck: 'verified',
      session: aliceUser.session,
    });
    const forged = byId.get(t.mallory.awareness.clientID) as Peer;
    expect(forged).toMatchObject({ name: UNVERIFIED_NAME, nameCheck: 'unverified' });
    expect(forged.session).toBeUndefined();
    expect(forged.fingerprint).toBeUndefined();
    expect(t.changes()).toBeGreaterThan(0);
  });

  it('[PNAME3] an entry still being checked is not listed', async () => {
    const t = await threePeople();
    t.show(t.alice.awareness.clientID, await t.publishAs(t.alice, 'Alice'));
    expect(listPeers(t.watcher, t.names)).toEqual([]);
    expect((await t.list()).map((p) => p.name)).toEqual(['Alice']);
  });

  it('[PNAME4] two sessions showing the same name are told apart by their fingerprints; one session with two tabs is not', async () => {
    const t = await threePeople();
    const aliceUser = await t.publishAs(t.alice, 'Alice');
    t.show(t.alice.awareness.clientID, aliceUser);
    t.show(777, await t.publishAs(t.alice, 'Alice', 777)); // Alice's second tab: the same session
    expect((await t.list()).map((p) => p.fingerprint)).toEqual([undefined, undefined]);
    t.show(t.mallory.awareness.clientID, await t.publishAs(t.mallory, 'Alice'));
    const listed = await t.list();
    const fingerprints = new Map(listed.map((p) => [p.peerId as number, p.fingerprint]));
    expect(fingerprints.get(t.alice.awareness.clientID)).toBe(sessionFingerprint(aliceUser.session));
    expect(fingerprints.get(t.mallory.awareness.clientID)).toBe(sessionFingerprint(sessionId(t.mallory.key.publicKey)));
    expect(sessionFingerprint(aliceUser.session)).toMatch(/^[0-9a-f]{8}$/);
    expect(fingerprints.get(t.alice.awareness.clientID)).not.toBe(fingerprints.get(t.mallory.awareness.clientID));
  });

  it("[PNAME6] an avatar's tag shows presence's name, never the pose channel's alone in a protected room", async () => {
    const t = await threePeople();
    t.show(t.alice.awareness.clientID, await t.publishAs(t.alice, 'Alice'));
    t.show(t.mallory.awareness.clientID, await t.publishAs(t.mallory, 'Alice'));
    const present = await t.list();
    const alice = peer(t.alice.awareness.clientID);
    const fingerprint = present.find((p) => p.peerId === alice)?.fingerprint;
    expect(avatarName(present, true, alice, 'Alice')).toBe(`Alice · ${fingerprint}`);
    expect(avatarName(present, true, peer(4242), 'Alice')).toBe(UNVERIFIED_NAME);
    expect(avatarName(present, false, peer(4242), 'Alice')).toBe('Alice');
  });
});
