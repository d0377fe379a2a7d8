/**
 * Ed25519 in plain JavaScript (@noble/ed25519, pinned in package.json), for a
 * browser whose WebCrypto lacks Ed25519 (docs/roles.md ROLE12). `ed25519.ts`
 * imports this module only there, so elsewhere it is never downloaded; it
 * imports nothing of the app but types, so it adds no chunk to what a page
 * loads first. Its SHA-512 is WebCrypto's, which every browser with
 * `crypto.subtle` has. Verification follows RFC 8032 strictly (`zip215:
 * false`), as WebCrypto's does, so both accept the same signatures. Wrong
 * lengths and malformed keys make noble throw: read as "no".
 */
import * as noble from '@noble/ed25519';
import type { Ed25519 } from './ed25519-types.ts';

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export const pureEd25519: Ed25519 = {
  async generateKeyPair() {
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const publicKey = new Uint8Array(await noble.getPublicKeyAsync(seed));
    return { publicKey, seed, signer: { seed } };
  },

  async importSigner(seed, publicKey) {
    const own = new Uint8Array(seed);
    try {
      return equalBytes(await noble.getPublicKeyAsync(own), publicKey) ? { seed: own } : undefined;
    } catch {
      return undefined;
    }
  },

  async sign(signer, message) {
    if (!('seed' in signer)) throw new Error('a WebCrypto key cannot sign with the pure-JS Ed25519');
    return new Uint8Array(await noble.signAsync(message, signer.seed));
  },

  async verify(publicKey, signature, message) {
    try {
      return await noble.verifyAsync(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
};
