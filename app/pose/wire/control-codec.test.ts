import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peer } from '../../../testing/ids.ts';
import type { PeerId } from '../../core/ids.ts';
import {
  type Bye,
  type Ping,
  type Pong,
  readBye,
  readHello,
  readPing,
  readPong,
  writeBye,
  writeHello,
  writePing,
  writePong,
} from './control-codec.ts';
import { BYE_BYTES, MAX_LINK_TOKEN_BYTES, MAX_NAME_BYTES, PING_BYTES, PONG_BYTES } from './protocol.ts';

const SEED = 4_2024_11;
const arbSender = fc.integer({ min: 1, max: 0xffffffff }).map((id) => id as PeerId);
const arbTicks = fc.integer({ min: 0, max: 0xffffffff });
const emptyPing = (): Ping => ({ sender: 0 as PeerId, t0: 0 });
const emptyPong = (): Pong => ({ sender: 0 as PeerId, t0: 0, t1: 0, t2: 0 });
const emptyBye = (): Bye => ({ sender: 0 as PeerId });

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
    expect(readPing(bytes.subarray(0, writePing(bytes, { sender: peer(1), t0: 5 })), emptyPing())).toBe('ok');
    expect(readPing(bytes.subarray(0, 9), emptyPing())).toBe('truncated');
    const pong = { sender: peer(1), t0: 1, t1: 2, t2: 3 };
    expect(readPong(bytes.subarray(0, writePong(bytes, pong) + 1), emptyPong())).toBe('oversized');
    expect(readBye(bytes.subarray(0, writeBye(bytes, { sender: peer(1) })), emptyBye())).toBe('ok');
  });

  it('[WIRE1] PING, PONG and BYE round-trip exactly, at their fixed lengths (seeded property)', () => {
    const bytes = new Uint8Array(32);
    fc.assert(
      fc.property(arbSender, arbTicks, arbTicks, arbTicks, (sender, t0, t1, t2) => {
        const ping = emptyPing();
        expect(writePing(bytes, { sender, t0 })).toBe(PING_BYTES);
        expect(readPing(bytes.subarray(0, PING_BYTES), ping)).toBe('ok');
        expect(ping).toEqual({ sender, t0 });
        const pong = emptyPong();
        expect(writePong(bytes, { sender, t0, t1, t2 })).toBe(PONG_BYTES);
        expect(readPong(bytes.subarray(0, PONG_BYTES), pong)).toBe('ok');
        expect(pong).toEqual({ sender, t0, t1, t2 });
        const bye = emptyBye();
        expect(writeBye(bytes, { sender })).toBe(BYE_BYTES);
        expect(readBye(bytes.subarray(0, BYE_BYTES), bye)).toBe('ok');
        expect(bye).toEqual({ sender });
        // A reader of one kind refuses another kind's message.
        expect(readPing(bytes.subarray(0, BYE_BYTES), emptyPing())).toBe('kind');
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('[WIRE1] HELLO round-trips any name, colour and link token within its limits (seeded property)', () => {
    const arbName = fc
      .string({ unit: 'grapheme', maxLength: 30 })
      .filter((name) => new TextEncoder().encode(name).length <= MAX_NAME_BYTES);
    const arbColor = fc.integer({ min: 0, max: 0xffffff }).map((rgb) => `#${rgb.toString(16).padStart(6, '0')}`);
    const arbToken = fc
      .array(fc.integer({ min: 0x21, max: 0x7e }), { maxLength: MAX_LINK_TOKEN_BYTES })
      .map((codes) => String.fromCharCode(...codes));
    fc.assert(
      fc.property(
        arbSender,
        fc.boolean(),
        arbName,
        arbColor,
        arbToken,
        (sender, replyWanted, name, color, linkToken) => {
          const hello = { sender, replyWanted, name, color, linkToken };
          expect(readHello(writeHello(hello))).toEqual({ status: 'ok', hello });
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
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
