/**
 * Reads a password room's signaling message the way y-webrtc writes it
 * (its `crypto.js`, not exported by the package): base64 of
 * `varString "AES-GCM" · varUint8Array iv · varUint8Array ciphertext`, the
 * plaintext being one lib0 `writeAny` value, under the room's AES-GCM key.
 * The late-answer guard (y-webrtc-internals.ts, TRN15) reads what y-webrtc is
 * about to read. Untrusted input: anything malformed, under another key or too
 * large gives undefined, never a throw.
 */
import * as buffer from 'lib0/buffer';
import * as decoding from 'lib0/decoding';

/**
 * Longer messages are not read: the signaling server closes a socket that
 * sends a larger frame (SIG1), and y-webrtc's messages (SDP, ICE candidates)
 * are a few KB.
 */
export const MAX_SIGNAL_CHARS = 64 * 1024;

/** The decrypted message, or undefined if `data` is not one under `key`. */
export async function decryptSignal(data: string, key: CryptoKey): Promise<unknown> {
  if (data.length > MAX_SIGNAL_CHARS) return undefined;
  let iv: Uint8Array<ArrayBuffer>;
  let cipher: Uint8Array<ArrayBuffer>;
  try {
    const decoder = decoding.createDecoder(buffer.fromBase64(data));
    if (decoding.readVarString(decoder) !== 'AES-GCM') return undefined;
    // Copies: WebCrypto takes views of an ArrayBuffer only.
    iv = new Uint8Array(decoding.readVarUint8Array(decoder));
    cipher = new Uint8Array(decoding.readVarUint8Array(decoder));
  } catch {
    return undefined;
  }
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, cipher);
    return decoding.readAny(decoding.createDecoder(new Uint8Array(plain)));
  } catch {
    return undefined;
  }
}
