/**
 * The capability format, links and join proofs of docs/roles.md, with real
 * WebCrypto Ed25519 (Node's), including forged, replayed, misdirected and
 * garbled input.
 */
import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import {
  createProtectedRoom,
  EDITOR_CAPABILITY_BYTES,
  editorHash,
  mintEditorCapability,
  ownerHash,
} from './credential-keys.ts';
import { createProof, newChallenge, peerAudience, serverAudience, verifyProof } from './join-proof.ts';
import { MESSAGE_ROLE, type Proof, readRoleMessage, writeChallenge, writeProof } from './role-messages.ts';
import { isProtectedRoom, ownerKeyOfRoom, readRoleLink } from './room-credential.ts';

async function credentialOf(roomId: string, hash: string) {
  const read = await readRoleLink(roomId, hash);
  if (!read.ok || !read.credential) throw new Error(`expected a credential: ${read.ok ? 'open room' : read.error}`);
  return read.credential;
}

describe('protected rooms and their links', () => {
  it('[ROLE1] a protected room id is p_ and the owner public key; other ids are open rooms', async () => {
    const created = await createProtectedRoom();
    expect(created.roomId).toMatch(/^p_[A-Za-z0-9_-]{43}$/);
    expect(ownerKeyOfRoom(created.roomId)).toEqual(created.owner.ownerPublicKey);
    expect(isProtectedRoom('abcdefghijkmnpqr')).toBe(false);
    expect(isProtectedRoom(`p_${'A'.repeat(42)}`)).toBe(false); // 31.5 bytes
    expect(isProtectedRoom(`p_${'A'.repeat(42)}B`)).toBe(false); // non-canonical last character
    expect(isProtectedRoom(`p_${'A'.repeat(43)}`)).toBe(true);
  });

  it('[ROLE2] the owner, editor and viewer links read back as their roles', async () => {
    const created = await createProtectedRoom();
    expect((await credentialOf(created.roomId, created.ownerHash)).role).toBe('owner');
    expect((await credentialOf(created.roomId, created.editorHash)).role).toBe('editor');
    expect((await credentialOf(created.roomId, '')).role).toBe('viewer');
    expect(await readRoleLink('abcdefghijkmnpqr', '')).toEqual({ ok: true, credential: undefined });
    expect(created.editorHash.length).toBe('#editor='.length + Math.ceil((EDITOR_CAPABILITY_BYTES * 4) / 3));
  });

  it('[ROLE2] forged, foreign, garbled and oversized secrets are refused and leave a viewer', async () => {
    const room = await createProtectedRoom();
    const other = await createProtectedRoom();
    const cases: [string, string, RegExp][] = [
      [room.roomId, other.editorHash, /not signed by the room.s owner/],
      [room.roomId, other.ownerHash, /not this room/],
      [room.roomId, '#owner=!!!', /damaged/],
      [room.roomId, `#editor=${'A'.repeat(100)}`, /damaged/],
      [room.roomId, `#editor=${room.editorHash.slice(8, -4)}`, /damaged/],
      [room.roomId, `#owner=${'A'.repeat(600)}`, /too long/],
      ['abcdefghijkmnpqr', room.ownerHash, /open room/],
    ];
    for (const [roomId, hash, error] of cases) {
      const read = await readRoleLink(roomId, hash);
      expect(read.ok, hash).toBe(false);
      if (!read.ok) expect(read.error).toMatch(error);
      expect(read.credential?.role).toBe(roomId === room.roomId ? 'viewer' : undefined);
    }
    // A capability whose signature is flipped by one bit.
    const bytes = decodeBase64url(room.editorHash.slice('#editor='.length), EDITOR_CAPABILITY_BYTES) as Uint8Array;
    bytes[EDITOR_CAPABILITY_BYTES - 1] = (bytes[EDITOR_CAPABILITY_BYTES - 1] as number) ^ 1;
    const flipped = await readRoleLink(room.roomId, `#editor=${encodeBase64url(bytes)}`);
    expect(flipped.ok).toBe(false);
    // A newer format version.
    bytes[0] = 2;
    const newer = await readRoleLink(room.roomId, `#editor=${encodeBase64url(bytes)}`);
    expect(newer.ok ? '' : newer.error).toMatch(/newer version/);
  });

  it('[ROLE2] an owner mints more editor links, each valid, and the owner link round-trips', async () => {
    const room = await createProtectedRoom();
    const again = await mintEditorCapability(room.owner);
    expect((await credentialOf(room.roomId, editorHash(again))).role).toBe('editor');
    expect(ownerHash(room.owner.seed)).toBe(room.ownerHash);
  });
});

describe('join proofs', () => {
  it('[ROLE3] owner and editor proofs verify for their challenge and audience; a viewer proves nothing', async () => {
    const room = await createProtectedRoom();
    const key = room.owner.ownerPublicKey;
    const audience = serverAudience('127.0.0.1:8080');
    for (const [hash, role] of [
      [room.ownerHash, 'owner'],
      [room.editorHash, 'editor'],
      ['', 'viewer'],
    ] as const) {
      const challenge = newChallenge();
      const proof = await createProof(await credentialOf(room.roomId, hash), audience, challenge);
      expect(await verifyProof(key, audience, challenge, proof)).toEqual({ ok: true, role });
    }
  });

  it('[ROLE3] a replayed, misdirected, foreign or forged proof is refused', async () => {
    const room = await createProtectedRoom();
    const other = await createProtectedRoom();
    const key = room.owner.ownerPublicKey;
    const editor = await credentialOf(room.roomId, room.editorHash);
    const audience = peerAudience('sha-256 AA:BB');
    const challenge = newChallenge();
    const proof = await createProof(editor, audience, challenge);
    // Replayed on a connection with another challenge.
    expect((await verifyProof(key, audience, newChallenge(), proof)).ok).toBe(false);
    // Forwarded to another verifier (another peer, or the server).
    expect((await verifyProof(key, peerAudience('sha-256 CC:DD'), challenge, proof)).ok).toBe(false);
    expect((await verifyProof(key, serverAudience('127.0.0.1:8080'), challenge, proof)).ok).toBe(false);
    // Presented in another room.
    expect((await verifyProof(other.owner.ownerPublicKey, audience, challenge, proof)).ok).toBe(false);
    // An editor key the owner never signed (another room's capability).
    const foreign = await createProof(await credentialOf(other.roomId, other.editorHash), audience, challenge);
    expect(await verifyProof(key, audience, challenge, foreign)).toEqual({
      ok: false,
      reason: 'the editor key is not signed by the owner',
    });
    // A signature with one bit flipped; an owner proof signed by an editor key.
    if (proof.role !== 'editor') throw new Error('expected an editor proof');
    const forged = { ...proof, signature: proof.signature.map((b, i) => (i === 0 ? b ^ 1 : b)) };
    expect((await verifyProof(key, audience, challenge, forged)).ok).toBe(false);
    const posing: Proof = { role: 'owner', signature: proof.signature };
    expect((await verifyProof(key, audience, challenge, posing)).ok).toBe(false);
  });
});

describe('role messages', () => {
  it('[ROLE4] CHALLENGE and every PROOF read back exactly', async () => {
    const room = await createProtectedRoom();
    const challenge = newChallenge();
    expect(readRoleMessage(writeChallenge(challenge))).toEqual({ ok: true, message: { kind: 'challenge', challenge } });
    expect(writeChallenge(challenge).length).toBe(34);
    for (const [hash, length] of [
      ['', 3],
      [room.ownerHash, 67],
      [room.editorHash, 167],
    ] as const) {
      const proof = await createProof(await credentialOf(room.roomId, hash), 'sync:x', challenge);
      const bytes = writeProof(proof);
      expect(bytes.length).toBe(length);
      expect(readRoleMessage(bytes)).toEqual({ ok: true, message: { kind: 'proof', ...proof } });
    }
  });

  it('[ROLE4] truncated, extended, unknown and random role messages return a reason, never throw', async () => {
    const room = await createProtectedRoom();
    const editorProof = writeProof(
      await createProof(await credentialOf(room.roomId, room.editorHash), 'a', newChallenge()),
    );
    const bad = [
      new Uint8Array([]),
      new Uint8Array([MESSAGE_ROLE]),
      new Uint8Array([MESSAGE_ROLE, 9]),
      new Uint8Array([MESSAGE_ROLE, 2, 7]),
      editorProof.subarray(0, 100),
      new Uint8Array([...editorProof, 0]),
      writeChallenge(newChallenge()).subarray(0, 20),
    ];
    for (const bytes of bad) expect(readRoleMessage(bytes).ok).toBe(false);
    // Seeded random bytes after the type byte.
    let seed = 0x1234;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    };
    for (let i = 0; i < 2_000; i++) {
      const bytes = Uint8Array.from({ length: next() % 200 }, next);
      bytes[0] = MESSAGE_ROLE;
      expect(() => readRoleMessage(bytes)).not.toThrow();
    }
  });
});
