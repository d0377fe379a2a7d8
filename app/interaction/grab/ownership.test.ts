import { describe, expect, it } from 'vitest';
import { canClaim, concurrentClaimWinner, effectiveOwner, isCleaner, presenceOf } from './ownership.ts';

describe('ownership rules', () => {
  const presence = presenceOf(
    () => [3, 8],
    () => [8, 12],
  );

  it('[GRAB5] present = in either source (presence or pose channel), listed once', () => {
    expect([...presence.presentIds()]).toEqual([3, 8, 12]);
    expect(presence.isPresent(12)).toBe(true);
    expect(presence.isPresent(4)).toBe(false);
  });

  it('[GRAB1] free, mine, or held by someone who left can be claimed; held by someone present cannot', () => {
    expect(canClaim(null, 8, presence)).toBe(true);
    expect(canClaim(8, 8, presence)).toBe(true);
    expect(canClaim(4, 8, presence)).toBe(true);
    expect(canClaim(12, 8, presence)).toBe(false);
    expect(effectiveOwner(4, presence)).toBeNull();
    expect(effectiveOwner(12, presence)).toBe(12);
  });

  it('[GRAB2] of concurrent claims, the highest client id wins', () => {
    expect(concurrentClaimWinner([12, 3, 8])).toBe(12);
    expect(concurrentClaimWinner([])).toBeUndefined();
  });

  it('[GRAB6] the lowest present id cleans up', () => {
    expect(isCleaner(3, presence)).toBe(true);
    expect(isCleaner(8, presence)).toBe(false);
  });
});
