// Every cluster bus message written and read back (seeded properties), and the
// readers' answers to bytes a hostile or broken publisher may put on a channel
// (docs/wire.md; docs/scaling.md, "Bus messages").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PeerId } from '../../app/core/ids.ts';
import { writeFrom, writeJoined } from '../../app/pose/wire/relay-frames.ts';
import {
  BUS,
  busBodyLength,
  RelayBundleWriter,
  readBusBody,
  readBusHeader,
  readDocStored,
  readDocUpdate,
  readPeerMessage,
  readRelayBundle,
  readSignalText,
  writeBusMessage,
  writeDocStored,
  writeDocUpdate,
  writePeerMessage,
} from './bus-codec.ts';

const SEED = 16_016;
const MAX_FRAME = 2048 + 5;
const arbInstance = fc.integer({ min: 0, max: 0xffffffff });
const arbPeer = fc.integer({ min: 1, max: 0xffffffff }).map((id) => id as PeerId);
const arbRecord = fc.record({
  sender: arbPeer,
  payload: fc.uint8Array({ minLength: 1, maxLength: 2048 }),
  targets: fc.array(arbPeer, { maxLength: 8 }),
});
const arbStreamId = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 6n }))
  .map(([ms, seq]) => `${ms}-${seq}`);

const bytesOf = (b: Uint8Array) => [...b];

describe('cluster bus messages', () => {
  it('[WIRE1] RELAY_FRAMES: a bundle of FROM frames and their targets reads back record by record (seeded property)', () => {
    fc.assert(
      fc.property(arbInstance, fc.array(arbRecord, { minLength: 1, maxLength: 12 }), (instance, records) => {
        const writer = new RelayBundleWriter();
        for (const r of records) writer.add(writeFrom(r.sender, r.payload), r.targets.length ? r.targets : undefined);
        const expectedBytes = writer.bytes;
        const message = writer.finish(instance);
        expect(message.length).toBe(expectedBytes);
        expect(writer.empty).toBe(true);
        expect(readBusHeader(message)).toEqual({ kind: BUS.relayFrames, instance });
        const read = readRelayBundle(message, MAX_FRAME);
        expect(read?.map((r) => ({ targets: r.targets, frame: bytesOf(r.frame) }))).toEqual(
          records.map((r) => ({ targets: r.targets, frame: bytesOf(writeFrom(r.sender, r.payload)) })),
        );
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('[WIRE1] peer, document, stored-size and signal messages read back exactly (seeded property)', () => {
    fc.assert(
      fc.property(
        arbInstance,
        arbPeer,
        fc.option(arbInstance, { nil: undefined }),
        arbStreamId,
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.double({ min: 0, max: 2 ** 50, noNaN: true }),
        fc.string({ maxLength: 200 }),
        (instance, peer, holder, id, update, stored, signal) => {
          const peerMessage = writePeerMessage(BUS.relayReplace, instance, peer, holder);
          expect(readBusHeader(peerMessage)).toEqual({ kind: BUS.relayReplace, instance });
          expect(readPeerMessage(peerMessage)).toEqual({ peer, holder });

          const docUpdate = writeDocUpdate(instance, id, update);
          expect(readBusHeader(docUpdate)).toEqual({ kind: BUS.docUpdate, instance });
          const readUpdate = readDocUpdate(docUpdate);
          expect(readUpdate?.id).toBe(id);
          expect(bytesOf(readUpdate?.update ?? new Uint8Array())).toEqual(bytesOf(update));

          expect(readDocStored(writeDocStored(instance, stored))).toBe(stored);

          const signalMessage = writeBusMessage(BUS.signal, instance, signal);
          expect(readSignalText(signalMessage)).toBe(signal);
          expect(busBodyLength(signalMessage)).toBe(Buffer.byteLength(signal));
          expect(bytesOf(readBusBody(writeBusMessage(BUS.docPresence, instance, update)))).toEqual(bytesOf(update));
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('[WIRE2] readers take any bytes without throwing, and refuse what is not well formed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const message = Buffer.from(bytes);
        expect(() => {
          readBusHeader(message);
          readRelayBundle(message, MAX_FRAME);
          readPeerMessage(message);
          readDocUpdate(message);
          readDocStored(message);
          busBodyLength(message);
        }).not.toThrow();
      }),
      { seed: SEED, numRuns: 2000 },
    );
    // A record that holds another relay frame than FROM spoils the whole bundle.
    const writer = new RelayBundleWriter();
    writer.add(writeFrom(7, Uint8Array.of(1, 2)), undefined);
    writer.add(writeJoined(8), undefined);
    expect(readRelayBundle(writer.finish(1), MAX_FRAME)).toBeUndefined();
    // A record longer than the message, or a frame over the relay's limit.
    const one = new RelayBundleWriter();
    one.add(writeFrom(7, new Uint8Array(100)), [3 as PeerId]);
    const whole = one.finish(1);
    expect(readRelayBundle(whole.subarray(0, whole.length - 1), MAX_FRAME)).toBeUndefined();
    expect(readRelayBundle(whole, 50)).toBeUndefined();
    // Peer 0 is no peer; a stored size must be a finite non-negative number; a stream id must look like one.
    expect(readPeerMessage(writePeerMessage(BUS.relayJoined, 1, 0 as PeerId))).toBeUndefined();
    expect(readDocStored(writeDocStored(1, Number.NaN))).toBeUndefined();
    expect(readDocStored(writeDocStored(1, -1))).toBeUndefined();
    expect(readDocUpdate(writeDocUpdate(1, 'not-an-id', Uint8Array.of(1)))).toBeUndefined();
  });
});
