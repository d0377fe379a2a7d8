/**
 * The join proof (docs/roles.md, ROLE3): a prover signs the verifier's fresh
 * challenge for one connection, naming the verifier as the audience, so the
 * proof cannot be replayed on another connection or forwarded to another
 * verifier.
 *
 * @example
 *   const challenge = newChallenge();
 *   const proof = await createProof(credential, 'sync:127.0.0.1:8080', challenge);
 *   await verifyProof(ownerKey, 'sync:127.0.0.1:8080', challenge, proof); // { ok: true, role: 'editor' }
 */

import { verifyEditorSignature } from './credential-keys.ts';
import { sign, verify } from './ed25519.ts';
import type { Proof, Role, SessionProof } from './role-messages.ts';
import type { RoomCredential } from './room-credential.ts';
import type { SessionKey } from './session-key.ts';
import { CHALLENGE_BYTES, joinStatement, sessionStatement } from './statements.ts';

export function newChallenge(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(CHALLENGE_BYTES));
}

/** The audience of a proof for the server's `/sync` at `host` (`127.0.0.1:8080`). */
export function serverAudience(host: string): string {
  return `sync:${host.toLowerCase()}`;
}

/** The audience of a proof for a WebRTC peer: its DTLS fingerprint, as in SDP (`sha-256 AB:…`). */
export function peerAudience(fingerprint: string): string {
  return `rtc:${fingerprint.toLowerCase()}`;
}

/** The PROOF this credential gives for `challenge`; a viewer's carries no signature. */
export async function createProof(credential: RoomCredential, audience: string, challenge: Uint8Array): Promise<Proof> {
  if (credential.role === 'viewer') return { role: 'viewer' };
  const statement = joinStatement(credential.ownerPublicKey, audience, challenge);
  if (!statement) return { role: 'viewer' };
  const signature = await sign(credential.signer, statement);
  if (credential.role === 'owner') return { role: 'owner', signature };
  const { epoch, publicKey, ownerSignature } = credential.capability;
  return { role: 'editor', epoch, editorPublicKey: publicKey, capabilitySignature: ownerSignature, signature };
}

export type ProofCheck = { ok: true; role: Role } | { ok: false; reason: string };

/** Checks a PROOF against the room's owner key, this verifier's audience and the challenge it sent. Never throws. */
export async function verifyProof(
  ownerPublicKey: Uint8Array,
  audience: string,
  challenge: Uint8Array,
  proof: Proof,
): Promise<ProofCheck> {
  if (proof.role === 'viewer') return { ok: true, role: 'viewer' };
  const statement = joinStatement(ownerPublicKey, audience, challenge);
  if (!statement) return { ok: false, reason: 'audience not representable' };
  if (proof.role === 'owner') {
    return (await verify(ownerPublicKey, proof.signature, statement))
      ? { ok: true, role: 'owner' }
      : { ok: false, reason: 'the owner signature does not verify' };
  }
  const capable = await verifyEditorSignature(
    ownerPublicKey,
    proof.epoch,
    proof.editorPublicKey,
    proof.capabilitySignature,
  );
  if (!capable) return { ok: false, reason: 'the editor key is not signed by the owner' };
  return (await verify(proof.editorPublicKey, proof.signature, statement))
    ? { ok: true, role: 'editor' }
    : { ok: false, reason: 'the editor signature does not verify' };
}

/** MOD4: this page's session key signs the connection's challenge, so the verifier knows whose session it is. */
export async function createSessionProof(
  ownerPublicKey: Uint8Array,
  session: SessionKey,
  audience: string,
  challenge: Uint8Array,
): Promise<SessionProof | undefined> {
  const statement = sessionStatement(ownerPublicKey, audience, challenge);
  return statement ? { session: session.publicKey, signature: await sign(session.signer, statement) } : undefined;
}

/** MOD4: whether a SESSION message is its key's signature for this verifier's challenge. Never throws. */
export async function verifySessionProof(
  ownerPublicKey: Uint8Array,
  audience: string,
  challenge: Uint8Array,
  proof: SessionProof,
): Promise<boolean> {
  const statement = sessionStatement(ownerPublicKey, audience, challenge);
  return statement !== undefined && (await verify(proof.session, proof.signature, statement));
}
