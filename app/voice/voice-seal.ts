/**
 * Voice signaling in password rooms (docs/voice.md VOICE15): every voice
 * message is sealed with a key derived from the room password before it goes
 * to the server, so the server (which routes `/signal` frames) never reads a
 * session description, an ICE candidate or even who talks to whom. The same
 * construction y-webrtc uses for the room's own signaling (room-doc.md PW1):
 * PBKDF2-SHA-256, 100,000 rounds, salted with the topic, to an AES-GCM 256 key;
 * a fresh 12-byte IV per message. WebCrypto only, so Node tests use the real
 * thing.
 *
 * @example
 *   const key = await voiceKey(password, topic);
 *   const sealed = await seal(key, text);            // base64: iv ‖ ciphertext+tag
 *   const text2 = await unseal(key, sealed);         // undefined if it was not sealed with this key
 */

const PBKDF2_ROUNDS = 100_000;
const IV_BYTES = 12;
/** AES-GCM's authentication tag. */
const TAG_BYTES = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The AES-GCM key of one room's voice topic for `password`. */
export async function voiceKey(password: string, topic: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', salt: encoder.encode(topic), iterations: PBKDF2_ROUNDS, hash: 'SHA-256' },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** `text` sealed with `key`, as base64 of the IV followed by the ciphertext and tag. */
export async function seal(key: CryptoKey, text: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoder.encode(text)));
  const bytes = new Uint8Array(IV_BYTES + cipher.length);
  bytes.set(iv);
  bytes.set(cipher, IV_BYTES);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The text `sealed` holds, or undefined when it is not base64, too short, or not sealed with `key`. Never throws. */
export async function unseal(key: CryptoKey, sealed: string): Promise<string | undefined> {
  let binary: string;
  try {
    binary = atob(sealed);
  } catch {
    return undefined;
  }
  if (binary.length < IV_BYTES + TAG_BYTES) return undefined;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES) },
      key,
      bytes.subarray(IV_BYTES),
    );
    return decoder.decode(plain);
  } catch {
    return undefined;
  }
}

/** Base64 length of a sealed text of `utf8Bytes` bytes. */
export function sealedLength(utf8Bytes: number): number {
  return Math.ceil((IV_BYTES + utf8Bytes + TAG_BYTES) / 3) * 4;
}
