// [TRN15] The late-answer guard reads a password room's signaling as y-webrtc writes it: these
// frames come from y-webrtc's own encryption (its crypto.js, which the package does not export,
// so it is imported by path). Anything else gives undefined, never a throw.
import { describe, expect, it } from 'vitest';
// @ts-expect-error y-webrtc's crypto module has no types of its own
import * as yWebrtcCrypto from '../../node_modules/y-webrtc/src/crypto.js';
import { decryptSignal, MAX_SIGNAL_CHARS } from './signaling-crypto.ts';

const { deriveKey, encryptJson } = yWebrtcCrypto as {
  deriveKey(secret: string, roomName: string): Promise<CryptoKey>;
  encryptJson(data: unknown, key: CryptoKey): Promise<Uint8Array>;
};

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('[TRN15] decryptSignal', () => {
  it("reads a message y-webrtc encrypted with the room's password key", async () => {
    const key = await deriveKey('correct horse', 'room-1');
    const message = { type: 'signal', from: 'a', to: 'b', token: 1.5, signal: { type: 'answer', sdp: 'v=0\r\n' } };
    expect(await decryptSignal(toBase64(await encryptJson(message, key)), key)).toEqual(message);
  });

  it('gives undefined for another password, another room, and a tampered ciphertext', async () => {
    const key = await deriveKey('correct horse', 'room-1');
    const sealed = await encryptJson({ type: 'announce', from: 'a' }, key);
    expect(await decryptSignal(toBase64(sealed), await deriveKey('wrong horse', 'room-1'))).toBeUndefined();
    expect(await decryptSignal(toBase64(sealed), await deriveKey('correct horse', 'room-2'))).toBeUndefined();
    const tampered = sealed.slice();
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(await decryptSignal(toBase64(tampered), key)).toBeUndefined();
  });

  it('gives undefined, without throwing, for malformed and oversized input', async () => {
    const key = await deriveKey('correct horse', 'room-1');
    expect(await decryptSignal('', key)).toBeUndefined();
    expect(await decryptSignal('%%% not base64 %%%', key)).toBeUndefined();
    expect(await decryptSignal(toBase64(new TextEncoder().encode('\u0007AES-CBC')), key)).toBeUndefined();
    const huge = toBase64(await encryptJson({ pad: 'x'.repeat(MAX_SIGNAL_CHARS) }, key));
    expect(huge.length).toBeGreaterThan(MAX_SIGNAL_CHARS);
    expect(await decryptSignal(huge, key)).toBeUndefined();
    // Seeded garbage of every length up to 300 bytes, some starting with a valid header.
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    };
    const header = [7, ...new TextEncoder().encode('AES-GCM')];
    for (let length = 0; length < 300; length++) {
      const bytes = Uint8Array.from(
        { length },
        (_, i) => (length % 2 === 0 && i < header.length ? header[i] : random()) ?? 0,
      );
      expect(await decryptSignal(toBase64(bytes), key)).toBeUndefined();
    }
  });
});
