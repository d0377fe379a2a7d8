import { describe, expect, it } from 'vitest';
import { peer } from '../../../testing/ids.ts';
import { canClaim, concurrentClaimWinner, effectiveOwner, isCleaner, presenceOf } from './ownership.ts';

describe('ownership rules', () => {
  const presence = presenceOf(
    () => [peer(3), peer(8)],
    () => [peer(8), peer(12)],
  );

  it('[GRAB5] present = in either source (presence or pose channel), listed once', () => {
    expect([...presence.presentIds()]).toEqual([3, 8, 12]);
    expect(presence.isPresent(peer(12))).toBe(true);
    expect(presence.isPresent(peer(4))).toBe(false);
  });

  it('[GRAB1] free, mine, or held by someone who left can be claimed; held by someone present cannot', () => {
    expect(canClaim(null, peer(8), presence)).toBe(true);
    expect(canClaim(peer(8), peer(8), presence)).toBe(true);
    expect(canClaim(peer(4), peer(8), presence)).toBe(true);
    expect(canClaim(peer(12), peer(8), presence)).toBe(false);
    expect(effectiveOwner(peer(4), presence)).toBeNull();
    expect(effectiveOwner(peer(12), presence)).toBe(12);
  });

  it('[GRAB2] of concurrent claims, the highest client id wins', () => {
    expect(concurrentClaimWinner([peer(12), peer(3), peer(8)])).toBe(12);
    expect(concurrentClaimWinner([])).toBeUndefined();
  });

  it('[GRAB6] the lowest present id cleans up', () => {
    expect(isCleaner(peer(3), presence)).toBe(true);
    expect(isCleaner(peer(8), presence)).toBe(false);
  });
});
