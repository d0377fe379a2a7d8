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
 *
 * The reader takes untrusted bytes and returns a reason instead of throwing.
 *
 * @example
 *   const read = readRoleMessage(writeChallenge(nonce));
 *   read.ok && read.message.kind === 'challenge'; // read.message.challenge equals nonce
 */
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './ed25519.ts';
import { CHALLENGE_BYTES } from './statements.ts';

/** After y-protocols' 0-3 and y-webrtc's 4. */
export const MESSAGE_ROLE = 20;
const KIND_CHALLENGE = 0x01;
const KIND_PROOF = 0x02;
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

export type RoleMessage = { kind: 'challenge'; challenge: Uint8Array<ArrayBuffer> } | ({ kind: 'proof' } & Proof);

export type RoleMessageRead = { ok: true; message: RoleMessage } | { ok: false; reason: string };

const CHALLENGE_LENGTH = 2 + CHALLENGE_BYTES;
const VIEWER_LENGTH = 3;
const OWNER_LENGTH = 3 + SIGNATURE_BYTES;
const EDITOR_LENGTH = 3 + 4 + PUBLIC_KEY_BYTES + 2 * SIGNATURE_BYTES;

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
