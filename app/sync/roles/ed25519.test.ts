/**
 * ROLE12 (docs/roles.md): WebCrypto's Ed25519 and the pure-JS fallback
 * (@noble/ed25519) are the same signature scheme: both reproduce RFC 8032's
 * test vectors, each verifies the other's signatures, both refuse what the
 * other refuses, and a runtime whose WebCrypto lacks Ed25519 uses the fallback.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Ed25519, webCryptoEd25519 } from './ed25519.ts';
import { pureEd25519 } from './ed25519-fallback.ts';

const hex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

/** RFC 8032 section 7.1, tests 1-3: secret key (seed), public key, message, signature. */
const RFC8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

/** The group order L of Ed25519. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** The same signature with S + L in place of S (still 32 bytes): valid arithmetic, refused by RFC 8032's S < L. */
function withUnreducedS(signature: Uint8Array): Uint8Array {
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i] ?? 0);
  s += L;
  const out = signature.slice();
  for (let i = 32; i < 64; i++) {
    out[i] = Number(s & 0xffn);
    s >>= 8n;
  }
  return out;
}

const IMPLEMENTATIONS: [string, Ed25519][] = [
  ['WebCrypto', webCryptoEd25519],
  ['pure JS', pureEd25519],
];

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
});

describe('Ed25519 with and without WebCrypto (ROLE12)', () => {
  it.each(IMPLEMENTATIONS)('[ROLE12] %s reproduces the RFC 8032 test vectors', async (_name, ed) => {
    for (const vector of RFC8032) {
      const signer = await ed.importSigner(hex(vector.seed), hex(vector.publicKey));
      if (!signer) throw new Error('the vector’s key pair was refused');
      expect(await ed.sign(signer, hex(vector.message))).toEqual(hex(vector.signature));
      expect(await ed.verify(hex(vector.publicKey), hex(vector.signature), hex(vector.message))).toBe(true);
    }
  });

  it('[ROLE12] each verifies the other’s signatures, and both sign a seed alike', async () => {
    const message = new TextEncoder().encode('holoroom/join/1 and a challenge');
    const directions: [Ed25519, Ed25519][] = [
      [webCryptoEd25519, pureEd25519],
      [pureEd25519, webCryptoEd25519],
    ];
    for (const [signerSide, verifierSide] of directions) {
      const pair = await signerSide.generateKeyPair();
      const signature = await signerSide.sign(pair.signer, message);
      expect(await verifierSide.verify(pair.publicKey, signature, message)).toBe(true);
      // The other side imports the same seed and makes the same (deterministic) signature.
      const imported = await verifierSide.importSigner(pair.seed, pair.publicKey);
      if (!imported) throw new Error('the other side refused the key pair');
      expect(await verifierSide.sign(imported, message)).toEqual(signature);
    }
  });

  it.each(IMPLEMENTATIONS)(
    '[ROLE12] %s refuses flipped bits, wrong keys and malformed input without throwing',
    async (_name, ed) => {
      const [vector] = RFC8032;
      if (!vector) throw new Error('no vector');
      const publicKey = hex(vector.publicKey);
      const signature = hex(vector.signature);
      const message = hex(vector.message);
      for (let bit = 0; bit < 512; bit += 37) {
        const flipped = signature.slice();
        flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        expect(await ed.verify(publicKey, flipped, message)).toBe(false);
      }
      expect(await ed.verify(hex(RFC8032[1]?.publicKey ?? ''), signature, message)).toBe(false);
      expect(await ed.verify(publicKey, signature, new Uint8Array([0]))).toBe(false);
      expect(await ed.verify(publicKey.slice(1), signature, message)).toBe(false);
      expect(await ed.verify(publicKey, signature.slice(1), message)).toBe(false);
      // A public key that is not a point's encoding, and a signature whose S is not reduced (S + L, RFC 8032 5.1.7).
      expect(await ed.verify(new Uint8Array(32).fill(0xff), signature, message)).toBe(false);
      expect(await ed.verify(publicKey, withUnreducedS(signature), message)).toBe(false);
      // A seed that is not the public key's private half.
      expect(await ed.importSigner(hex(RFC8032[1]?.seed ?? ''), publicKey)).toBeUndefined();
    },
  );

  it('[ROLE12] a runtime whose WebCrypto lacks Ed25519 signs and verifies with the fallback', async () => {
    const real = await import('./ed25519.ts');
    expect(await real.ed25519()).toBe(real.webCryptoEd25519);
    vi.resetModules();
    const subtle = crypto.subtle;
    const unsupported = () => Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'));
    const isEd25519 = (algorithm: unknown) =>
      algorithm === 'Ed25519' ||
      (typeof algorithm === 'object' && (algorithm as { name?: string })?.name === 'Ed25519');
    const importKey = subtle.importKey.bind(subtle);
    vi.spyOn(subtle, 'importKey').mockImplementation(((...args: Parameters<SubtleCrypto['importKey']>) =>
      isEd25519(args[2]) ? unsupported() : importKey(...args)) as SubtleCrypto['importKey']);
    vi.spyOn(subtle, 'generateKey').mockImplementation(unsupported);
    const stripped = await import('./ed25519.ts');
    const fallback = await import('./ed25519-fallback.ts');
    expect(await stripped.ed25519()).toBe(fallback.pureEd25519);
    const pair = await stripped.generateKeyPair();
    expect('seed' in pair.signer).toBe(true);
    const message = new Uint8Array([1, 2, 3]);
    const signature = await stripped.sign(pair.signer, message);
    expect(await stripped.verify(pair.publicKey, signature, message)).toBe(true);
    expect(await stripped.importSigner(pair.seed, pair.publicKey)).toEqual({ seed: pair.seed });
    vi.restoreAllMocks();
    // What it signed, WebCrypto accepts.
    expect(await webCryptoEd25519.verify(pair.publicKey, signature, message)).toBe(true);
  });
});
