/**
 * Ed25519 for roles (docs/roles.md ROLE12): the only code here that touches
 * `crypto.subtle` for signatures. Keys cross this boundary as raw bytes: a
 * 32-byte public key, a 32-byte private seed, a 64-byte signature.
 *
 * WebCrypto's Ed25519 is used wherever it works (Node, Chromium, Firefox,
 * Safari 17+). A browser without it gets a maintained pure-JS implementation
 * (`ed25519-fallback.ts`, @noble/ed25519), imported only then, so it costs
 * nothing where WebCrypto has Ed25519. Both make the same signatures (Ed25519
 * is deterministic) and accept each other's.
 */

import { decodeBase64url, encodeBase64url } from './base64url.ts';
import {
  type Ed25519,
  type KeyPair,
  PUBLIC_KEY_BYTES,
  SEED_BYTES,
  type SeedSigner,
  SIGNATURE_BYTES,
  type Signer,
} from './ed25519-types.ts';

export type { Ed25519, KeyPair, Signer };
export { PUBLIC_KEY_BYTES, SEED_BYTES, SIGNATURE_BYTES };

const ALGORITHM = { name: 'Ed25519' } as const;

function isSeedSigner(signer: Signer): signer is SeedSigner {
  return 'seed' in signer;
}

/** Ed25519 through WebCrypto. */
export const webCryptoEd25519: Ed25519 = {
  async generateKeyPair() {
    const pair = (await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
    return {
      publicKey,
      seed: decodeBase64url(jwk.d ?? '', SEED_BYTES) ?? new Uint8Array(SEED_BYTES),
      signer: pair.privateKey,
    };
  },

  async importSigner(seed, publicKey) {
    try {
      const signer = await crypto.subtle.importKey(
        'jwk',
        { kty: 'OKP', crv: 'Ed25519', d: encodeBase64url(seed), x: encodeBase64url(publicKey) },
        ALGORITHM,
        false,
        ['sign'],
      );
      // Not every WebCrypto checks the pair on import: sign and verify once.
      const probe = new Uint8Array([0x68, 0x6f, 0x6c, 0x6f]);
      return (await webCryptoEd25519.verify(publicKey, await webCryptoEd25519.sign(signer, probe), probe))
        ? signer
        : undefined;
    } catch {
      return undefined;
    }
  },

  async sign(signer, message) {
    // A key signs with the implementation that made it.
    if (isSeedSigner(signer)) return (await fallback()).sign(signer, message);
    return new Uint8Array(await crypto.subtle.sign(ALGORITHM, signer, message));
  },

  async verify(publicKey, signature, message) {
    if (publicKey.length !== PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
    try {
      const key = await crypto.subtle.importKey('raw', new Uint8Array(publicKey), ALGORITHM, false, ['verify']);
      return await crypto.subtle.verify(ALGORITHM, key, new Uint8Array(signature), new Uint8Array(message));
    } catch {
      return false;
    }
  },
};

/** The pure-JS implementation, loaded on first use. */
function fallback(): Promise<Ed25519> {
  return import('./ed25519-fallback.ts').then((module) => module.pureEd25519);
}

/**
 * RFC 8032 section 7.1, test 1: the public key and signature of the empty
 * message. WebCrypto has working Ed25519 if it verifies this (a browser
 * without it throws NotSupportedError, or has no `crypto.subtle.verify` for it).
 */
const PROBE_PUBLIC_KEY = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';
const PROBE_SIGNATURE = '5VZDAMNgrHKQhuLMgG6CioSHfx645dl02HPgZSJJAVVfuIIVkKM7rMYeOXAc-bRr0lv18FlbviRlUUFDjnoQCw';

async function webCryptoWorks(): Promise<boolean> {
  const publicKey = decodeBase64url(PROBE_PUBLIC_KEY, PUBLIC_KEY_BYTES);
  const signature = decodeBase64url(PROBE_SIGNATURE, SIGNATURE_BYTES);
  if (!publicKey || !signature || typeof crypto === 'undefined' || !crypto.subtle) return false;
  return webCryptoEd25519.verify(publicKey, signature, new Uint8Array(0));
}

let chosen: Promise<Ed25519> | undefined;

/** The implementation this runtime uses: WebCrypto's when it works, the pure-JS one otherwise (decided once). */
export function ed25519(): Promise<Ed25519> {
  chosen ??= webCryptoWorks().then((works) => (works ? webCryptoEd25519 : fallback()));
  return chosen;
}

/** A fresh key pair. */
export async function generateKeyPair(): Promise<KeyPair> {
  return (await ed25519()).generateKeyPair();
}

/** The signing key for `seed`, if it is the private half of `publicKey`. */
export async function importSigner(seed: Uint8Array, publicKey: Uint8Array): Promise<Signer | undefined> {
  return (await ed25519()).importSigner(seed, publicKey);
}

export function sign(signer: Signer, message: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return webCryptoEd25519.sign(signer, message);
}

/** Whether `signature` is `publicKey`'s over `message`; false (never a throw) for malformed keys or signatures. */
export async function verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  return (await ed25519()).verify(publicKey, signature, message);
}
