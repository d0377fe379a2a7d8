/**
 * MOD4 (docs/roles.md): the session key, an Ed25519 key pair this browser
 * profile makes once and keeps in its storage. Each connection to a protected
 * room proves it (a SESSION message), so the owner can name a session in a
 * kick and every verifier knows which connections are that session's, also
 * after a reload. It is not a person: another profile, or cleared storage, is
 * a new session.
 */
import type { KeyValueStorage } from '../../core/identity.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { PUBLIC_KEY_BYTES, SEED_BYTES, type Signer } from './ed25519-types.ts';

const STORAGE_KEY = 'holoroom.session-key';

export interface SessionKey {
  publicKey: Uint8Array<ArrayBuffer>;
  signer: Signer;
}

/** The session's public key as it appears in presence and in the server's records. */
export function sessionId(publicKey: Uint8Array): string {
  return encodeBase64url(publicKey);
}

/** The public key a session id names; undefined if it is not one. */
export function sessionFromId(id: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (typeof id !== 'string') return undefined;
  const key = decodeBase64url(id, PUBLIC_KEY_BYTES);
  return key?.length === PUBLIC_KEY_BYTES ? key : undefined;
}

/** Ed25519 itself, loaded with the first protected room (docs/performance.md LOAD16): an open room has no session key. */
type Ed25519Module = typeof import('./ed25519.ts');

async function readKept(
  storage: KeyValueStorage | undefined,
  { importSigner }: Ed25519Module,
): Promise<SessionKey | undefined> {
  let kept: string | null | undefined;
  try {
    kept = storage?.getItem(STORAGE_KEY);
  } catch {
    return undefined;
  }
  const [publicText = '', seedText = ''] = (kept ?? '').split('.');
  const publicKey = sessionFromId(publicText);
  const seed = decodeBase64url(seedText, SEED_BYTES);
  if (!publicKey || seed?.length !== SEED_BYTES) return undefined;
  const signer = await importSigner(seed, publicKey);
  return signer ? { publicKey, signer } : undefined;
}

/** This profile's session key: the kept one, or a new one that is kept from now on. */
export async function loadSessionKey(storage: KeyValueStorage | undefined): Promise<SessionKey> {
  const ed25519 = await import('./ed25519.ts');
  const kept = await readKept(storage, ed25519);
  if (kept) return kept;
  const pair = await ed25519.generateKeyPair();
  try {
    storage?.setItem(STORAGE_KEY, `${encodeBase64url(pair.publicKey)}.${encodeBase64url(pair.seed)}`);
  } catch {
    // Storage denied: the key still works for this visit, as a new session on the next.
  }
  return { publicKey: pair.publicKey, signer: pair.signer };
}
