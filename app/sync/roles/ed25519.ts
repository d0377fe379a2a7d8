/**
 * Ed25519 through WebCrypto (browsers and Node alike): the only code here
 * that touches `crypto.subtle`. Keys cross this boundary as raw bytes: a
 * 32-byte public key, a 32-byte private seed, a 64-byte signature.
 */

import { decodeBase64url, encodeBase64url } from './base64url.ts';

export const PUBLIC_KEY_BYTES = 32;
export const SEED_BYTES = 32;
export const SIGNATURE_BYTES = 64;

const ALGORITHM = { name: 'Ed25519' } as const;

export interface KeyPair {
  publicKey: Uint8Array<ArrayBuffer>;
  seed: Uint8Array<ArrayBuffer>;
  signer: CryptoKey;
}

/** A fresh key pair. */
export async function generateKeyPair(): Promise<KeyPair> {
  const pair = (await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return {
    publicKey,
    seed: decodeBase64url(jwk.d ?? '', SEED_BYTES) ?? new Uint8Array(SEED_BYTES),
    signer: pair.privateKey,
  };
}

/**
 * The signing key for `seed`, if it is the private half of `publicKey`
 * (checked by signing and verifying, since not every WebCrypto checks the pair on import).
 */
export async function importSigner(seed: Uint8Array, publicKey: Uint8Array): Promise<CryptoKey | undefined> {
  try {
    const signer = await crypto.subtle.importKey(
      'jwk',
      { kty: 'OKP', crv: 'Ed25519', d: encodeBase64url(seed), x: encodeBase64url(publicKey) },
      ALGORITHM,
      false,
      ['sign'],
    );
    const probe = new Uint8Array([0x68, 0x6f, 0x6c, 0x6f]);
    return (await verify(publicKey, await sign(signer, probe), probe)) ? signer : undefined;
  } catch {
    return undefined;
  }
}

export async function sign(signer: CryptoKey, message: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign(ALGORITHM, signer, message));
}

/** Whether `signature` is `publicKey`'s over `message`; false (never a throw) for malformed keys or signatures. */
export async function verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  if (publicKey.length !== PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
  try {
    const key = await crypto.subtle.importKey('raw', new Uint8Array(publicKey), ALGORITHM, false, ['verify']);
    return await crypto.subtle.verify(ALGORITHM, key, new Uint8Array(signature), new Uint8Array(message));
  } catch {
    return false;
  }
}
