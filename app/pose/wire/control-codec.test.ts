import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peer } from '../../../testing/ids.ts';
import {
  checkFixedLength,
  type MessageHeader,
  readHeader,
  readHello,
  writeBye,
  writeHello,
  writePing,
  writePong,
} from './control-codec.ts';
import { KIND_BYE, KIND_PING, KIND_PONG, MAX_NAME_BYTES } from './protocol.ts';

describe('control messages', () => {
  it('[POSE15] HELLO round-trips name, colour and link token', () => {
    const bytes = writeHello({
      sender: peer(9),
      replyWanted: true,
      name: 'Amber Otter',
      color: '#1fb5c9',
      linkToken: 'abc-123',
    });
    expect(readHello(bytes)).toEqual({
      status: 'ok',
      hello: { sender: 9, replyWanted: true, name: 'Amber Otter', color: '#1fb5c9', linkToken: 'abc-123' },
    });
  });

  it('[POSE15] HELLO caps long names at a character boundary', () => {
    const bytes = writeHello({
      sender: peer(9),
      replyWanted: false,
      name: '😀'.repeat(40),
      color: '#000000',
      linkToken: '',
    });
    const result = readHello(bytes);
    expect(result.status).toBe('ok');
    if (result.status === 'ok') {
      expect(new TextEncoder().encode(result.hello.name).length).toBeLessThanOrEqual(MAX_NAME_BYTES);
      expect(result.hello.name).toBe('😀'.repeat(16));
    }
  });

  it('[POSE6] HELLO with invalid UTF-8, bad lengths or extra bytes is dropped', () => {
    const good = writeHello({ sender: peer(9), replyWanted: false, name: 'ab', color: '#102030', linkToken: 'x' });
    const badUtf8 = good.slice();
    badUtf8[8] = 0xff;
    expect(readHello(badUtf8).status).toBe('garbage');
    const longName = good.slice();
    longName[7] = 200;
    expect(readHello(longName).status).toBe('garbage');
    expect(readHello(good.subarray(0, good.length - 1)).status).toBe('truncated');
    const extra = new Uint8Array(good.length + 1);
    extra.set(good);
    expect(readHello(extra).status).toBe('oversized');
  });

  it('[POSE6] fixed-size messages must have their exact length', () => {
    const bytes = new Uint8Array(32);
    expect(checkFixedLength(bytes.subarray(0, writePing(bytes, 1, 5)), KIND_PING)).toBe('ok');
    expect(checkFixedLength(bytes.subarray(0, 9), KIND_PING)).toBe('truncated');
    expect(checkFixedLength(bytes.subarray(0, writePong(bytes, 1, 1, 2, 3) + 1), KIND_PONG)).toBe('oversized');
    expect(checkFixedLength(bytes.subarray(0, writeBye(bytes, 1)), KIND_BYE)).toBe('ok');
  });

  it('[POSE1] readHeader drops other versions, unknown kinds and a zero sender', () => {
    const header: MessageHeader = { kind: 0, sender: peer(1) };
    expect(readHeader(Uint8Array.of(2, 1, 1, 0, 0, 0), header)).toBe('version');
    expect(readHeader(Uint8Array.of(1, 9, 1, 0, 0, 0), header)).toBe('kind');
    expect(readHeader(Uint8Array.of(1, 1, 0, 0, 0, 0), header)).toBe('garbage');
    expect(readHeader(Uint8Array.of(1, 1, 0), header)).toBe('truncated');
  });

  it('[POSE6] readHello never throws on garbage (seeded property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        if (bytes.length > 2) {
          bytes[0] = 1;
          bytes[1] = 2;
        }
        expect(typeof readHello(bytes).status).toBe('string');
      }),
      { seed: 99, numRuns: 3000 },
    );
  });
});
