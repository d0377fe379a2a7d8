/**
 * CHALLENGE and PROOF, the two role messages (docs/roles.md, ROLE3, ROLE4),
 * framed like the Yjs messages they travel with: a varUint message type
 * (`MESSAGE_ROLE`, one byte) and then the body below. The server's `/sync`
 * and y-webrtc's data channels carry the same bytes.
 *
 *   CHALLENGE      20, 0x01, challenge (32)                                 34 bytes
 *   PROOF viewer   20, 0x02, 0                                               3 bytes
 *   PROOF owner    20, 0x02, 2, join signature (64)                          67 bytes
 *   PROOF editor   20, 0x02, 1, epoch u32 LE, editor key (32),
 *                  owner's capability signature (64), join signature (64)   167 bytes
 *   SESSION        20, 0x03, session public key (32), session signature (64) 98 bytes
 *   OWNER_ENTRY    20, 0x04, an owner entry (owner-entries.ts), 7-102 bytes  9-104 bytes
 *
 * The reader takes untrusted bytes and returns a reason instead of throwing.
 *
 * @example
 *   const read = readRoleMessage(writeChallenge(nonce));
 *   read.ok && read.message.kind === 'challenge'; // read.message.challenge equals nonce
 */
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './ed25519.ts';
import { MAX_OWNER_ENTRY_BYTES } from './owner-entries.ts';
import { CHALLENGE_BYTES } from './statements.ts';

/** After y-protocols' 0-3 and y-webrtc's 4. */
export const MESSAGE_ROLE = 20;
const KIND_CHALLENGE = 0x01;
const KIND_PROOF = 0x02;
const KIND_SESSION = 0x03;
const KIND_OWNER_ENTRY = 0x04;
const ROLE_CODES = { viewer: 0, editor: 1, owner: 2 } as const;

export type Role = keyof typeof ROLE_CODES;

export type Proof =
  | { role: 'viewer' }
  | { role: 'owner'; signature: Uint8Array<ArrayBuffer> }
  | {
      role: 'editor';
      epoch: number;
      editorPublicKey: Uint8Array<ArrayBuffer>;
      capabilitySignature: Uint8Array<ArrayBuffer>;
      signature: Uint8Array<ArrayBuffer>;
    };

/** MOD4: the key of the session on this connection, signed for this connection's challenge. */
export interface SessionProof {
  session: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
}

export type RoleMessage =
  | { kind: 'challenge'; challenge: Uint8Array<ArrayBuffer> }
  | ({ kind: 'proof' } & Proof)
  | ({ kind: 'session' } & SessionProof)
  /** MOD3: an owner entry, passed on for the verifier to check (the bytes are not checked here). */
  | { kind: 'owner-entry'; entry: Uint8Array<ArrayBuffer> };

export type RoleMessageRead = { ok: true; message: RoleMessage } | { ok: false; reason: string };

const CHALLENGE_LENGTH = 2 + CHALLENGE_BYTES;
const VIEWER_LENGTH = 3;
const OWNER_LENGTH = 3 + SIGNATURE_BYTES;
const EDITOR_LENGTH = 3 + 4 + PUBLIC_KEY_BYTES + 2 * SIGNATURE_BYTES;
const SESSION_LENGTH = 2 + PUBLIC_KEY_BYTES + SIGNATURE_BYTES;

export function writeSession(proof: SessionProof): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(SESSION_LENGTH);
  out[0] = MESSAGE_ROLE;
  out[1] = KIND_SESSION;
  out.set(proof.session.subarray(0, PUBLIC_KEY_BYTES), 2);
  out.set(proof.signature.subarray(0, SIGNATURE_BYTES), 2 + PUBLIC_KEY_BYTES);
  return out;
}

export function writeOwnerEntry(entry: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(2 + entry.length);
  out[0] = MESSAGE_ROLE;
  out[1] = KIND_OWNER_ENTRY;
  out.set(entry, 2);
  return out;
}

export function writeChallenge(challenge: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(CHALLENGE_LENGTH);
  out[0] = MESSAGE_ROLE;
  out[1] = KIND_CHALLENGE;
  out.set(challenge.subarray(0, CHALLENGE_BYTES), 2);
  return out;
}

export function writeProof(proof: Proof): Uint8Array<ArrayBuffer> {
  const length = proof.role === 'viewer' ? VIEWER_LENGTH : proof.role === 'owner' ? OWNER_LENGTH : EDITOR_LENGTH;
  const out = new Uint8Array(length);
  out[0] = MESSAGE_ROLE;
  out[1] = KIND_PROOF;
  out[2] = ROLE_CODES[proof.role];
  if (proof.role === 'owner') out.set(proof.signature, 3);
  if (proof.role === 'editor') {
    new DataView(out.buffer).setUint32(3, proof.epoch, true);
    out.set(proof.editorPublicKey, 7);
    out.set(proof.capabilitySignature, 7 + PUBLIC_KEY_BYTES);
    out.set(proof.signature, 7 + PUBLIC_KEY_BYTES + SIGNATURE_BYTES);
  }
  return out;
}

/** Whether `message` (a whole sync-framed message) is a role message, by its first byte. */
export function isRoleMessage(message: Uint8Array): boolean {
  return message[0] === MESSAGE_ROLE;
}

export function readRoleMessage(message: Uint8Array): RoleMessageRead {
  if (message[0] !== MESSAGE_ROLE) return { ok: false, reason: 'not a role message' };
  const copy = (from: number, length: number) => message.slice(from, from + length);
  if (message[1] === KIND_CHALLENGE) {
    if (message.length !== CHALLENGE_LENGTH) return { ok: false, reason: 'a challenge is 34 bytes' };
    return { ok: true, message: { kind: 'challenge', challenge: copy(2, CHALLENGE_BYTES) } };
  }
  if (message[1] === KIND_SESSION) {
    if (message.length !== SESSION_LENGTH) return { ok: false, reason: `a session proof is ${SESSION_LENGTH} bytes` };
    const session = copy(2, PUBLIC_KEY_BYTES);
    return { ok: true, message: { kind: 'session', session, signature: copy(2 + PUBLIC_KEY_BYTES, SIGNATURE_BYTES) } };
  }
  if (message[1] === KIND_OWNER_ENTRY) {
    if (message.length > 2 + MAX_OWNER_ENTRY_BYTES) {
      return { ok: false, reason: `an owner entry is at most ${MAX_OWNER_ENTRY_BYTES} bytes` };
    }
    return { ok: true, message: { kind: 'owner-entry', entry: message.slice(2) } };
  }
  if (message[1] !== KIND_PROOF) return { ok: false, reason: 'unknown role message kind' };
  const role = message[2];
  if (role === ROLE_CODES.viewer && message.length === VIEWER_LENGTH) {
    return { ok: true, message: { kind: 'proof', role: 'viewer' } };
  }
  if (role === ROLE_CODES.owner && message.length === OWNER_LENGTH) {
    return { ok: true, message: { kind: 'proof', role: 'owner', signature: copy(3, SIGNATURE_BYTES) } };
  }
  if (role === ROLE_CODES.editor && message.length === EDITOR_LENGTH) {
    return {
      ok: true,
      message: {
        kind: 'proof',
        role: 'editor',
        epoch: new DataView(message.buffer, message.byteOffset, message.length).getUint32(3, true),
        editorPublicKey: copy(7, PUBLIC_KEY_BYTES),
        capabilitySignature: copy(7 + PUBLIC_KEY_BYTES, SIGNATURE_BYTES),
        signature: copy(7 + PUBLIC_KEY_BYTES + SIGNATURE_BYTES, SIGNATURE_BYTES),
      },
    };
  }
  return { ok: false, reason: 'a proof has an unknown role or the wrong length for its role' };
}
