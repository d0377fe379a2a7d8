import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peer } from '../../../testing/ids.ts';
import type { PeerId } from '../../core/ids.ts';
import { type MessageHeader, readHeader, writeHeader } from './header.ts';
import { HEADER_BYTES, KIND_BATCH, KIND_BYE } from './protocol.ts';

describe('the common header', () => {
  it('[POSE1] readHeader drops other versions, unknown kinds and a zero sender', () => {
    const header: MessageHeader = { kind: 0, sender: peer(1) };
    expect(readHeader(Uint8Array.of(2, 1, 1, 0, 0, 0), header)).toBe('version');
    expect(readHeader(Uint8Array.of(1, 9, 1, 0, 0, 0), header)).toBe('kind');
    expect(readHeader(Uint8Array.of(1, 1, 0, 0, 0, 0), header)).toBe('garbage');
    expect(readHeader(Uint8Array.of(1, 1, 0), header)).toBe('truncated');
  });

  it('[WIRE1] round-trips every kind and sender (seeded property)', () => {
    const bytes = new Uint8Array(HEADER_BYTES);
    fc.assert(
      fc.property(
        fc.integer({ min: KIND_BATCH, max: KIND_BYE }),
        fc.integer({ min: 1, max: 0xffffffff }),
        (kind, sender) => {
          const header: MessageHeader = { kind: 0, sender: 0 as PeerId };
          expect(writeHeader(bytes, kind, sender)).toBe(HEADER_BYTES);
          expect(readHeader(bytes, header)).toBe('ok');
          expect(header).toEqual({ kind, sender });
        },
      ),
      { seed: 61_001, numRuns: 300 },
    );
  });
});
