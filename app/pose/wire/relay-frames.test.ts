// Every relay frame written and read back (seeded properties), and the
// readers' answers to what a hostile peer or a newer server may send.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PeerId } from '../../core/ids.ts';
import {
  parseRelaySecret,
  parseRelayVersion,
  RELAY_FROM,
  RELAY_MAX_TARGETS,
  RELAY_PROTOCOL_VERSION,
  RELAY_SECRET_BYTES,
  RELAY_TO_PEERS,
  readClientFrame,
  readServerFrame,
  relaySecretParam,
  relayUrl,
  toPeersLength,
  writeFrom,
  writeJoined,
  writeLeft,
  writePeers,
  writeSession,
  writeToPeers,
  writeToRoom,
} from './relay-frames.ts';

const SEED = 90_210;
const arbPeer = fc.integer({ min: 1, max: 0xffffffff }).map((id) => id as PeerId);
const arbPayload = fc.uint8Array({ minLength: 1, maxLength: 1200 });

describe('relay frames', () => {
  it('[WIRE1] TO_ROOM and TO_PEERS round-trip through the server reader (seeded property)', () => {
    const out = new Uint8Array(toPeersLength(RELAY_MAX_TARGETS, 1200));
    fc.assert(
      fc.property(fc.array(arbPeer, { minLength: 1, maxLength: RELAY_MAX_TARGETS }), arbPayload, (targets, payload) => {
        const room = readClientFrame(out.subarray(0, writeToRoom(out, payload)));
        expect(room).toEqual({ ok: true, frame: { type: 'to-room', payload } });
        const length = writeToPeers(out, targets, targets.length, payload);
        expect(length).toBe(toPeersLength(targets.length, payload.length));
        expect(readClientFrame(out.subarray(0, length))).toEqual({
          ok: true,
          frame: { type: 'to-peers', targets, payload },
        });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('[WIRE1] FROM, PEERS, JOINED and LEFT round-trip through the client reader (seeded property)', () => {
    fc.assert(
      fc.property(arbPeer, arbPayload, fc.array(arbPeer, { maxLength: 64 }), (peer, payload, peers) => {
        expect(readServerFrame(writeFrom(peer, payload))).toEqual({
          ok: true,
          frame: { type: 'from', sender: peer, payload },
        });
        expect(readServerFrame(writePeers(peers))).toEqual({ ok: true, frame: { type: 'peers', peers } });
        expect(readServerFrame(writeJoined(peer))).toEqual({ ok: true, frame: { type: 'joined', peer } });
        expect(readServerFrame(writeLeft(peer))).toEqual({ ok: true, frame: { type: 'left', peer } });
        const secret = payload.subarray(0, RELAY_SECRET_BYTES);
        if (secret.length === RELAY_SECRET_BYTES) {
          expect(readServerFrame(writeSession(secret))).toEqual({ ok: true, frame: { type: 'session', secret } });
          expect(parseRelaySecret(relaySecretParam(secret))).toEqual(secret);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('[WIRE1] the bytes are the documented ones (docs/transports.md, "Relay frames")', () => {
    const out = new Uint8Array(16);
    expect([...out.subarray(0, writeToPeers(out, [0x04030201], 1, Uint8Array.of(9)))]).toEqual([
      RELAY_TO_PEERS,
      1,
      1,
      2,
      3,
      4,
      9,
    ]);
    expect([...writeFrom(0x0a0b0c0d, Uint8Array.of(7, 8))]).toEqual([RELAY_FROM, 0x0d, 0x0c, 0x0b, 0x0a, 7, 8]);
    expect([...writePeers([2, 3])]).toEqual([0x11, 2, 0, 2, 0, 0, 0, 3, 0, 0, 0]);
  });

  it('[WIRE2] readers never throw, and give a reason for what they cannot read (seeded property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const client = readClientFrame(bytes);
        const server = readServerFrame(bytes);
        if (!client.ok) expect(client.reason).toMatch(/\w/);
        if (!server.ok) expect(server.reason).toMatch(/\w/);
      }),
      { seed: SEED, numRuns: 3000 },
    );
    // A frame type a newer server may add is skipped by name, not misread.
    expect(readServerFrame(Uint8Array.of(0x7f, 1, 2, 3))).toEqual({ ok: false, reason: 'unknown frame type' });
    expect(readServerFrame(Uint8Array.of(0x11, 2, 0, 1, 0, 0, 0))).toEqual({ ok: false, reason: 'bad peer count' });
  });

  it('[RELAY12] the upgrade names the protocol version; absent means 1, newer than the server is refused', () => {
    const url = new URL(relayUrl({ protocol: 'https:', host: 'example.test' }, 'room_1', 42));
    expect(url.protocol).toBe('wss:');
    expect(url.searchParams.get('v')).toBe(String(RELAY_PROTOCOL_VERSION));
    expect(parseRelayVersion(url.searchParams.get('v'))).toBe(RELAY_PROTOCOL_VERSION);
    expect(parseRelayVersion(null)).toBe(1);
    expect(parseRelayVersion(String(RELAY_PROTOCOL_VERSION + 1))).toBeUndefined();
    expect(parseRelayVersion('0')).toBeUndefined();
    expect(parseRelayVersion('1x')).toBeUndefined();
  });
});
