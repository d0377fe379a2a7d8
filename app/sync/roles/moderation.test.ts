/**
 * MOD1-MOD4 (docs/roles.md): owner entries and session proofs, byte by byte,
 * with real WebCrypto Ed25519 (Node's): forged, from another room, replayed,
 * out of order, oversized and garbled input is refused with a reason, and a
 * peer's RoomModeration acts on verified kicks only.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomDoc } from '../doc/room-doc.ts';
import { createProtectedRoom } from './credential-keys.ts';
import { generateKeyPair } from './ed25519.ts';
import { createSessionProof, newChallenge, serverAudience, verifySessionProof } from './join-proof.ts';
import { RoomModeration } from './moderation.ts';
import {
  EPOCH_ENTRY_BYTES,
  KICK_ENTRY_BYTES,
  MAX_OWNER_ENTRIES,
  MAX_OWNER_ENTRY_BYTES,
  MUTE_ENTRY_BYTES,
  readOwnerEntry,
  SETTINGS_ENTRY_BYTES,
  signEditorEpoch,
  signKick,
  signRoomSettings,
  signVoiceMute,
} from './owner-entries.ts';
import { readRoleMessage, writeOwnerEntry, writeSession } from './role-messages.ts';
import { loadSessionKey, sessionId } from './session-key.ts';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => items.set(key, value),
  };
}

async function aSession() {
  return loadSessionKey(undefined);
}

/** A protected room's owner, a document's owner entries and a peer's reader of them, with the kicks it reported. */
async function moderated() {
  const room = await createProtectedRoom();
  const doc = new Y.Doc();
  const entries = new RoomDoc(doc).ownerEntries();
  const moderation = new RoomModeration(room.owner.ownerPublicKey, entries);
  const kicks: string[] = [];
  moderation.onKick((session) => kicks.push(session));
  return { room, doc, entries, moderation, kicks };
}

describe('owner entries (MOD1, MOD2)', () => {
  it('[MOD1] a kick entry is 102 bytes, signed by the owner, and reads back as the session it names', async () => {
    const room = await createProtectedRoom();
    const session = await aSession();
    const entry = await signKick(room.owner, 7, session.publicKey);
    expect(entry.length).toBe(KICK_ENTRY_BYTES);
    expect(KICK_ENTRY_BYTES).toBe(102);
    expect([entry[0], entry[1]]).toEqual([1, 1]);
    const read = await readOwnerEntry(room.owner.ownerPublicKey, entry);
    expect(read).toEqual({ ok: true, entry: { kind: 'kick', sequence: 7, session: session.publicKey } });
  });

  it('[MOD2] forged, foreign, oversized, truncated and unknown entries are refused with a reason', async () => {
    const room = await createProtectedRoom();
    const other = await createProtectedRoom();
    const session = await aSession();
    const entry = await signKick(room.owner, 1, session.publicKey);
    const flipped = entry.slice();
    flipped[10] = (flipped[10] as number) ^ 1; // another session than the owner signed
    const badSignature = entry.slice();
    badSignature[KICK_ENTRY_BYTES - 1] = (badSignature[KICK_ENTRY_BYTES - 1] as number) ^ 1;
    const newerVersion = entry.slice();
    newerVersion[0] = 2;
    const unknownKind = entry.slice();
    unknownKind[1] = 9;
    const cases: [unknown, Uint8Array, RegExp][] = [
      [flipped, room.owner.ownerPublicKey, /signature does not verify/],
      [badSignature, room.owner.ownerPublicKey, /signature does not verify/],
      // Another room's owner signed it: in this room it is a forgery.
      [await signKick(other.owner, 1, session.publicKey), room.owner.ownerPublicKey, /signature does not verify/],
      // The right bytes checked with the wrong key.
      [entry, other.owner.ownerPublicKey, /signature does not verify/],
      [new Uint8Array(MAX_OWNER_ENTRY_BYTES + 1), room.owner.ownerPublicKey, /at most 103 bytes/],
      [new Uint8Array(1 << 20), room.owner.ownerPublicKey, /at most 103 bytes/],
      [
        new Uint8Array([1, 1, ...new Uint8Array(KICK_ENTRY_BYTES - 1)]),
        room.owner.ownerPublicKey,
        /a kick entry is 102/,
      ],
      [entry.slice(0, 4), room.owner.ownerPublicKey, /truncated/],
      [entry.slice(0, 60), room.owner.ownerPublicKey, /a kick entry is 102 bytes/],
      [newerVersion, room.owner.ownerPublicKey, /unknown version/],
      [unknownKind, room.owner.ownerPublicKey, /unknown kind/],
      ['a string', room.owner.ownerPublicKey, /is bytes/],
      [{ length: 102 }, room.owner.ownerPublicKey, /is bytes/],
    ];
    for (const [bytes, key, reason] of cases) {
      const read = await readOwnerEntry(key, bytes);
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.reason).toMatch(reason);
    }
  });

  it('[MOD4] a session proof binds the session key to one challenge and one verifier', async () => {
    const room = await createProtectedRoom();
    const session = await aSession();
    const audience = serverAudience('127.0.0.1:8080');
    const challenge = newChallenge();
    const proof = await createSessionProof(room.owner.ownerPublicKey, session, audience, challenge);
    if (!proof) throw new Error('no proof');
    const key = room.owner.ownerPublicKey;
    expect(await verifySessionProof(key, audience, challenge, proof)).toBe(true);
    // Replayed on a new connection (new challenge), shown to another server, or in another room: refused.
    expect(await verifySessionProof(key, audience, newChallenge(), proof)).toBe(false);
    expect(await verifySessionProof(key, serverAudience('127.0.0.1:9090'), challenge, proof)).toBe(false);
    const other = await createProtectedRoom();
    expect(await verifySessionProof(other.owner.ownerPublicKey, audience, challenge, proof)).toBe(false);
    // Someone else's key claimed with this signature.
    const thief = await aSession();
    expect(await verifySessionProof(key, audience, challenge, { ...proof, session: thief.publicKey })).toBe(false);
    // The wire form reads back; wrong lengths are refused with a reason.
    const wire = writeSession(proof);
    expect(wire.length).toBe(98);
    expect(readRoleMessage(wire)).toEqual({ ok: true, message: { kind: 'session', ...proof } });
    expect(readRoleMessage(wire.slice(0, 97))).toEqual({ ok: false, reason: 'a session proof is 98 bytes' });
    const entry = await signKick(room.owner, 1, session.publicKey);
    expect(readRoleMessage(writeOwnerEntry(entry))).toEqual({ ok: true, message: { kind: 'owner-entry', entry } });
    expect(readRoleMessage(writeOwnerEntry(new Uint8Array(104)))).toEqual({
      ok: false,
      reason: 'an owner entry is at most 103 bytes',
    });
  });

  it('[MOD4] the session key is kept in storage: a reload is the same session', async () => {
    const storage = memoryStorage();
    const first = await loadSessionKey(storage);
    const again = await loadSessionKey(storage);
    expect(sessionId(again.publicKey)).toBe(sessionId(first.publicKey));
    storage.setItem('holoroom.session-key', 'garbled');
    const fresh = await loadSessionKey(storage);
    expect(sessionId(fresh.publicKey)).not.toBe(sessionId(first.publicKey));
    // A stored key whose seed is not the public key's half is not used.
    const stranger = await generateKeyPair();
    const [, seed] = (storage.getItem('holoroom.session-key') ?? '').split('.');
    storage.setItem('holoroom.session-key', `${sessionId(stranger.publicKey)}.${seed}`);
    expect(sessionId((await loadSessionKey(storage)).publicKey)).not.toBe(sessionId(stranger.publicKey));
  });
});

describe('a peer reads the owner entries of the room document (MOD3)', () => {
  it('[MOD3] a verified kick is acted on once, replayed or repeated', async () => {
    const { room, entries, moderation, kicks } = await moderated();
    const session = await aSession();
    await moderation.kick(room.owner, session.publicKey);
    await moderation.settled();
    expect(kicks).toEqual([sessionId(session.publicKey)]);
    expect(moderation.isKicked(sessionId(session.publicKey))).toBe(true);
    // The same bytes pushed again (a replay) and a second entry for the same session: nothing new.
    entries.push([entries.get(0)]);
    await moderation.kick(room.owner, session.publicKey);
    await moderation.settled();
    expect(kicks).toEqual([sessionId(session.publicKey)]);
    expect(moderation.counts).toEqual({ verified: 2, refused: 0 });
  });

  it('[MOD3] forged entries in the document are refused and kick nobody; order does not matter', async () => {
    const { room, doc, entries, moderation, kicks } = await moderated();
    const other = await createProtectedRoom();
    const victim = await aSession();
    const later = await aSession();
    // An editor (anyone who may write the document) forges entries: another owner's, garbage, too long.
    doc.transact(() => {
      entries.push([new Uint8Array(KICK_ENTRY_BYTES)]);
      entries.push(['not bytes']);
      entries.push([new Uint8Array(4096)]);
    });
    entries.push([await signKick(other.owner, 1, victim.publicKey)]);
    // Real entries arriving out of their sequence order still both hold.
    entries.push([await signKick(room.owner, 9, later.publicKey)]);
    entries.push([await signKick(room.owner, 2, victim.publicKey)]);
    await moderation.settled();
    expect(moderation.counts).toEqual({ verified: 2, refused: 4 });
    expect(moderation.lastRefusal).toMatch(/signature does not verify/);
    expect(kicks.sort()).toEqual([sessionId(victim.publicKey), sessionId(later.publicKey)].sort());
  });

  it('[MOD2] a room reads at most MAX_OWNER_ENTRIES entries', async () => {
    const { entries, moderation } = await moderated();
    entries.push(Array.from({ length: MAX_OWNER_ENTRIES + 5 }, () => new Uint8Array(3)));
    await moderation.settled();
    // Each distinct garbage entry counted once (they are equal bytes: one), plus the over-limit refusal.
    expect(moderation.counts.refused).toBe(2);
    expect(moderation.lastRefusal).toMatch(/at most 1024 owner entries/);
  });

  it('[MOD3] a kick holds after the entry is deleted from the document', async () => {
    const { room, entries, moderation } = await moderated();
    const session = await aSession();
    await moderation.kick(room.owner, session.publicKey);
    await moderation.settled();
    entries.delete(0, entries.length);
    await moderation.settled();
    expect(moderation.isKicked(sessionId(session.publicKey))).toBe(true);
  });
});

describe('editor link rotation (ROT1)', () => {
  it('[ROT1] an editor epoch entry is 74 bytes and reads back; forged or truncated ones are refused', async () => {
    const room = await createProtectedRoom();
    const other = await createProtectedRoom();
    const entry = await signEditorEpoch(room.owner, 3, 2);
    expect(entry.length).toBe(EPOCH_ENTRY_BYTES);
    expect(EPOCH_ENTRY_BYTES).toBe(74);
    expect([entry[0], entry[1]]).toEqual([1, 2]);
    expect(await readOwnerEntry(room.owner.ownerPublicKey, entry)).toEqual({
      ok: true,
      entry: { kind: 'editor-epoch', sequence: 3, epoch: 2 },
    });
    const raised = entry.slice();
    raised[6] = 9; // the epoch the owner did not sign
    expect(await readOwnerEntry(room.owner.ownerPublicKey, raised)).toEqual({
      ok: false,
      reason: 'the owner signature does not verify',
    });
    const foreign = await signEditorEpoch(other.owner, 1, 5);
    expect((await readOwnerEntry(room.owner.ownerPublicKey, foreign)).ok).toBe(false);
    expect(await readOwnerEntry(room.owner.ownerPublicKey, entry.slice(0, 70))).toEqual({
      ok: false,
      reason: 'an editor epoch entry is 74 bytes',
    });
  });

  it('[ROT1] the epoch only rises: entries out of order, replayed or forged do not lower or raise it', async () => {
    const { room, entries, moderation } = await moderated();
    const other = await createProtectedRoom();
    const two = await signEditorEpoch(room.owner, 2, 2);
    entries.push([two]);
    entries.push([await signEditorEpoch(room.owner, 1, 1)]); // arrives after the later one
    entries.push([two.slice()]); // replayed
    entries.push([await signEditorEpoch(other.owner, 1, 99)]); // another room's owner
    await moderation.settled();
    expect(moderation.editorEpoch.get()).toBe(2);
    expect(moderation.counts).toEqual({ verified: 2, refused: 1 });
    // The owner's rotation raises it past everything known.
    expect(await moderation.rotateEditorEpoch(room.owner)).toBe(3);
    await moderation.settled();
    expect(moderation.editorEpoch.get()).toBe(3);
  });
});

describe('mute for everyone (MOD6)', () => {
  it('[MOD6] a voice mute entry is 103 bytes, names a session and a flag, and reads back; forged ones are refused', async () => {
    const room = await createProtectedRoom();
    const other = await createProtectedRoom();
    const session = await aSession();
    const entry = await signVoiceMute(room.owner, 4, session.publicKey, true);
    expect(entry.length).toBe(MUTE_ENTRY_BYTES);
    expect(MUTE_ENTRY_BYTES).toBe(103);
    expect(MAX_OWNER_ENTRY_BYTES).toBe(103);
    expect([entry[0], entry[1], entry[38]]).toEqual([1, 3, 1]);
    expect(await readOwnerEntry(room.owner.ownerPublicKey, entry)).toEqual({
      ok: true,
      entry: { kind: 'voice-mute', sequence: 4, session: session.publicKey, muted: true },
    });
    const unmute = await signVoiceMute(room.owner, 5, session.publicKey, false);
    expect(await readOwnerEntry(room.owner.ownerPublicKey, unmute)).toMatchObject({
      ok: true,
      entry: { muted: false },
    });
    const flipped = entry.slice();
    flipped[38] = 0; // "unmuted", which the owner did not sign
    const badFlag = entry.slice();
    badFlag[38] = 2;
    const cases: [Uint8Array, RegExp][] = [
      [flipped, /signature does not verify/],
      [badFlag, /says 0 \(unmuted\) or 1 \(muted\)/],
      [await signVoiceMute(other.owner, 4, session.publicKey, true), /signature does not verify/],
      [entry.slice(0, 102), /a voice mute entry is 103 bytes/],
    ];
    for (const [bytes, reason] of cases) {
      const read = await readOwnerEntry(room.owner.ownerPublicKey, bytes);
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.reason).toMatch(reason);
    }
    // On the wire to the server (MOD3) it fits the OWNER_ENTRY message.
    expect(readRoleMessage(writeOwnerEntry(entry))).toEqual({ ok: true, message: { kind: 'owner-entry', entry } });
  });

  it('[MOD6] the latest sequence decides: unmute, late and replayed entries, forgeries, and a mute is never a kick', async () => {
    const { room, entries, moderation, kicks } = await moderated();
    const speaker = await aSession();
    const id = sessionId(speaker.publicKey);
    await moderation.setVoiceMuted(room.owner, speaker.publicKey, true);
    await moderation.settled();
    expect(moderation.isVoiceMuted(id)).toBe(true);
    const oldMute = entries.get(0) as Uint8Array;
    await moderation.setVoiceMuted(room.owner, speaker.publicKey, false);
    await moderation.settled();
    expect(moderation.isVoiceMuted(id)).toBe(false);
    // The old mute again, as other bytes (a copy) and as a fresh entry with a lower sequence: still unmuted.
    entries.push([oldMute.slice()]);
    entries.push([await signVoiceMute(room.owner, 1, speaker.publicKey, true)]);
    // An editor's forged mute (another room's owner signed it): refused.
    const other = await createProtectedRoom();
    entries.push([await signVoiceMute(other.owner, 99, speaker.publicKey, true)]);
    await moderation.settled();
    expect(moderation.isVoiceMuted(id)).toBe(false);
    expect(moderation.counts.refused).toBe(1);
    expect(kicks).toEqual([]);
    // Entries arriving out of order: the higher sequence wins, whichever came first.
    const late = await aSession();
    entries.push([await signVoiceMute(room.owner, 20, late.publicKey, true)]);
    entries.push([await signVoiceMute(room.owner, 19, late.publicKey, false)]);
    await moderation.settled();
    expect(moderation.isVoiceMuted(sessionId(late.publicKey))).toBe(true);
    // The owner's next entry goes above every sequence known, even after an editor deleted entries.
    entries.delete(0, entries.length);
    await moderation.setVoiceMuted(room.owner, late.publicKey, false);
    await moderation.settled();
    expect(moderation.isVoiceMuted(sessionId(late.publicKey))).toBe(false);
    expect(moderation.voiceMuted.get()).toEqual(new Set());
  });
});

describe('room settings (ROLE11)', () => {
  it('[ROLE11] a settings entry is 74 bytes and reads back; unknown settings, forged and truncated ones are refused', async () => {
    const room = await createProtectedRoom();
    const other = await createProtectedRoom();
    const entry = await signRoomSettings(room.owner, 5, { viewersMayGrab: true });
    expect(entry.length).toBe(SETTINGS_ENTRY_BYTES);
    expect(SETTINGS_ENTRY_BYTES).toBe(74);
    expect([entry[0], entry[1], entry[6]]).toEqual([1, 4, 1]);
    expect(await readOwnerEntry(room.owner.ownerPublicKey, entry)).toEqual({
      ok: true,
      entry: { kind: 'settings', sequence: 5, settings: { viewersMayGrab: true } },
    });
    const off = entry.slice();
    off[6] = 0; // "off", which the owner did not sign
    const unknown = entry.slice();
    unknown[7] = 1; // a setting this version does not know
    const cases: [Uint8Array, RegExp][] = [
      [off, /signature does not verify/],
      [unknown, /settings this version does not know/],
      [await signRoomSettings(other.owner, 5, { viewersMayGrab: true }), /signature does not verify/],
      [entry.slice(0, 73), /a settings entry is 74 bytes/],
    ];
    for (const [bytes, reason] of cases) {
      const read = await readOwnerEntry(room.owner.ownerPublicKey, bytes);
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.reason).toMatch(reason);
    }
  });

  it('[ROLE11] the settings entry with the highest sequence decides, in whatever order entries arrive', async () => {
    const { room, entries, moderation } = await moderated();
    const other = await createProtectedRoom();
    expect(moderation.settings.get()).toEqual({ viewersMayGrab: false });
    await moderation.setSettings(room.owner, { viewersMayGrab: true });
    await moderation.settled();
    expect(moderation.settings.get().viewersMayGrab).toBe(true);
    // An older "off" arriving late, and another room's owner's "off": nothing changes.
    entries.push([await signRoomSettings(room.owner, 0, { viewersMayGrab: false })]);
    entries.push([await signRoomSettings(other.owner, 99, { viewersMayGrab: false })]);
    await moderation.settled();
    expect(moderation.settings.get().viewersMayGrab).toBe(true);
    await moderation.setSettings(room.owner, { viewersMayGrab: false });
    await moderation.settled();
    expect(moderation.settings.get().viewersMayGrab).toBe(false);
  });
});
