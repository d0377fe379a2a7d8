/**
 * base64url without padding (RFC 4648 section 5), the encoding of every binary
 * value in a room link. Decoding returns undefined for anything that is not
 * canonical base64url, never throws.
 *
 * @example
 *   decodeBase64url(encodeBase64url(bytes)) // the same bytes
 */

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function encodeBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The bytes of `text`, or undefined if it is not canonical base64url of at most `maxBytes` bytes. */
export function decodeBase64url(text: string, maxBytes: number): Uint8Array<ArrayBuffer> | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1 || Math.floor((text.length * 3) / 4) > maxBytes) return undefined;
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Canonical only: one value, one spelling (unused low bits must be zero).
  return encodeBase64url(bytes) === text ? bytes : undefined;
}
