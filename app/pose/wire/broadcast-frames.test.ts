import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PeerId } from '../../core/ids.ts';
import {
  BROADCAST_PROTOCOL_VERSION,
  broadcastChannelName,
  EVERY_TAB,
  LEAVING,
  readBroadcastFrame,
  writeBroadcastFrame,
} from './broadcast-frames.ts';

const SEED = 31_337;

describe('BroadcastChannel frames', () => {
  it('[WIRE1] every frame round-trips: announcement, leave, addressed and broadcast payloads (seeded property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(EVERY_TAB), fc.constant(LEAVING), fc.integer({ min: 1, max: 0xfffffffe })),
        fc.integer({ min: 1, max: 0xffffffff }).map((id) => id as PeerId),
        fc.uint8Array({ maxLength: 1200 }),
        (to, from, payload) => {
          expect(readBroadcastFrame(writeBroadcastFrame({ to, from, payload }))).toEqual({ to, from, payload });
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
    expect([...writeBroadcastFrame({ to: 2, from: 3 as PeerId })]).toEqual([2, 0, 0, 0, 3, 0, 0, 0]);
  });

  it('[WIRE2] short frames and frames from no one are not read; the version is in the channel name', () => {
    expect(readBroadcastFrame(new Uint8Array(7))).toBeUndefined();
    expect(readBroadcastFrame(new Uint8Array(8))).toBeUndefined();
    expect(broadcastChannelName('room_1')).toBe(`holoroom-pose.${BROADCAST_PROTOCOL_VERSION}:room_1`);
  });
});
