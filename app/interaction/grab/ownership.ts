/**
 * Who may hold a shared object (docs/interaction.md GRAB1-GRAB7). The room
 * document's `owner` field (room-doc.md) names the holder by awareness client
 * id, the same number as the pose peer id (transports.md TRN6).
 *
 *   GRAB1 grabbing claims: `owner` = my id. An object held by another present
 *         person cannot be grabbed; free, mine, or held by someone who left can.
 *   GRAB2 two claims made before either side saw the other converge to the one
 *         from the higher client id (Yjs keeps, of concurrent writes to one map
 *         key, the write of the higher client id); the loser lets go at once.
 *   GRAB5 a client id is present while its presence state is listed here or the
 *         pose channel hears from it (and it has not said BYE or left presence
 *         since presence last announced it: POSE15, POSE19).
 *   GRAB6 an object whose owner is not present is free for everyone at once; the
 *         present person with the lowest client id clears the field after
 *         ABANDON_GRACE_MS, keeping the last pose it saw streamed.
 */
import type { PeerId } from '../../core/ids.ts';

/** How long an owner must stay absent before the cleaning peer clears the field (GRAB6). */
export const ABANDON_GRACE_MS = 2000;

export interface PresenceView {
  /** True while `peerId` is in the room (GRAB5). Includes this page's own id. */
  isPresent(peerId: PeerId): boolean;
  /** Every present client id, this page's own included. */
  presentIds(): Iterable<PeerId>;
}

/** The owner that counts: the document's, unless that person has left (GRAB6). */
export function effectiveOwner(owner: PeerId | null, presence: PresenceView): PeerId | null {
  return owner !== null && presence.isPresent(owner) ? owner : null;
}

/** GRAB1: may `self` grab an object whose document owner is `owner`? */
export function canClaim(owner: PeerId | null, self: PeerId, presence: PresenceView): boolean {
  const holder = effectiveOwner(owner, presence);
  return holder === null || holder === self;
}

/**
 * GRAB2, as Yjs settles it: of claims written concurrently (none saw another),
 * the document keeps the one from the highest client id. Exported so tests and
 * docs state the rule in one place; the document applies it by itself.
 */
export function concurrentClaimWinner(claimants: readonly PeerId[]): PeerId | undefined {
  let winner: PeerId | undefined;
  for (const id of claimants) if (winner === undefined || id > winner) winner = id;
  return winner;
}

/** GRAB6: the present person with the lowest client id cleans up after people who left. */
export function isCleaner(self: PeerId, presence: PresenceView): boolean {
  for (const id of presence.presentIds()) if (id < self) return false;
  return true;
}

/** A PresenceView over plain sets (tests, and combining awareness with the pose channel). */
export function presenceOf(...sources: (() => Iterable<PeerId>)[]): PresenceView {
  return {
    isPresent(peerId) {
      for (const source of sources) for (const id of source()) if (id === peerId) return true;
      return false;
    },
    *presentIds() {
      const seen = new Set<PeerId>();
      for (const source of sources) {
        for (const id of source()) {
          if (seen.has(id)) continue;
          seen.add(id);
          yield id;
        }
      }
    },
  };
}
