/**
 * The shapes both Ed25519 implementations share (ed25519.ts: WebCrypto;
 * ed25519-fallback.ts: plain JavaScript), in a module of their own so neither
 * implementation imports the other, and so code that only handles keys as
 * bytes (a room id, a session id) needs no implementation at all
 * (docs/performance.md LOAD16).
 */

export const PUBLIC_KEY_BYTES = 32;
export const SEED_BYTES = 32;
export const SIGNATURE_BYTES = 64;

/** A signing key of the pure-JS implementation: the private seed itself (a browser without WebCrypto Ed25519). */
export interface SeedSigner {
  readonly seed: Uint8Array<ArrayBuffer>;
}

/** A private key that signs: WebCrypto's (not extractable), or the fallback's seed. */
export type Signer = CryptoKey | SeedSigner;

export interface KeyPair {
  publicKey: Uint8Array<ArrayBuffer>;
  seed: Uint8Array<ArrayBuffer>;
  signer: Signer;
}

/** One implementation of what roles need of Ed25519. */
export interface Ed25519 {
  generateKeyPair(): Promise<KeyPair>;
  /** The signing key for `seed`, if it is the private half of `publicKey`. */
  importSigner(seed: Uint8Array, publicKey: Uint8Array): Promise<Signer | undefined>;
  sign(signer: Signer, message: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>;
  /** Whether `signature` is `publicKey`'s over `message`; false (never a throw) for malformed keys or signatures. */
  verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean>;
}
