/**
 * The owner's signature on a history request (docs/history.md HIST5): in a
 * protected room only the owner may list or fetch the room's snapshots, and
 * proves it per HTTP request with one header, so a request needs no second
 * round trip for a challenge. What is signed names the server (audience), the
 * exact request path, the time and a random nonce: a proof cannot be sent to
 * another server, reused for another path, used after `PROOF_WINDOW_MS`, or
 * replayed inside that window (the server remembers nonces it accepted).
 *
 * Header `Holoroom-Proof: <time ms, decimal>.<nonce, 22 base64url>.<signature, 86 base64url>`.
 *
 * @example
 *   const header = await signHistoryRequest(owner, 'history:127.0.0.1:8080', '/api/rooms/p_…/history');
 *   fetch(url, { headers: { [HISTORY_PROOF_HEADER]: header } });
 */
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { SIGNATURE_BYTES, sign, verify } from './ed25519.ts';
import type { RoomCredential } from './room-credential.ts';
import { historyStatement } from './statements.ts';

export const HISTORY_PROOF_HEADER = 'Holoroom-Proof';
/** How far a proof's time may be from the server's clock, either way. */
export const PROOF_WINDOW_MS = 60_000;
const NONCE_BYTES = 16;
/** Longest header read at all: 15 digits, 22 + 86 characters and two dots fit well under it. */
const MAX_PROOF_HEADER_LENGTH = 160;

/** The audience of a history proof for the server at `host` (`127.0.0.1:8080`). */
export function historyAudience(host: string): string {
  return `history:${host.toLowerCase()}`;
}

/** The header value proving the owner asks for `path` now; undefined for a credential that is not the owner's. */
export async function signHistoryRequest(
  credential: RoomCredential,
  audience: string,
  path: string,
  now = Date.now(),
): Promise<string | undefined> {
  if (credential.role !== 'owner') return undefined;
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const statement = historyStatement(credential.ownerPublicKey, audience, path, now, nonce);
  if (!statement) return undefined;
  const signature = await sign(credential.signer, statement);
  return `${now}.${encodeBase64url(nonce)}.${encodeBase64url(signature)}`;
}

export interface HistoryProof {
  time: number;
  /** base64url, the key under which the server remembers it. */
  nonce: string;
  statementNonce: Uint8Array;
  signature: Uint8Array;
}

/** Reads the header without throwing: the proof, or why it is not one. */
export function readHistoryProof(header: string): { ok: true; proof: HistoryProof } | { ok: false; reason: string } {
  if (header.length > MAX_PROOF_HEADER_LENGTH) return { ok: false, reason: 'proof header too long' };
  const parts = header.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'proof header is not time.nonce.signature' };
  const [timeText = '', nonceText = '', signatureText = ''] = parts;
  if (!/^[0-9]{1,15}$/.test(timeText)) return { ok: false, reason: 'proof time is not a number' };
  const nonce = decodeBase64url(nonceText, NONCE_BYTES);
  const signature = decodeBase64url(signatureText, SIGNATURE_BYTES);
  if (nonce?.length !== NONCE_BYTES) return { ok: false, reason: 'proof nonce is not 16 bytes' };
  if (signature?.length !== SIGNATURE_BYTES) return { ok: false, reason: 'proof signature is not 64 bytes' };
  return { ok: true, proof: { time: Number(timeText), nonce: nonceText, statementNonce: nonce, signature } };
}

/** Whether the room's owner key signed this proof for `audience` and `path`. Never throws. */
export async function verifyHistoryProof(
  ownerPublicKey: Uint8Array,
  audience: string,
  path: string,
  proof: HistoryProof,
): Promise<boolean> {
  const statement = historyStatement(ownerPublicKey, audience, path, proof.time, proof.statementNonce);
  return statement !== undefined && verify(ownerPublicKey, proof.signature, statement);
}
