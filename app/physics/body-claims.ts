/**
 * Who may claim a shared body (docs/roles.md ROLE13, physics.md PHYS4, PHYS5).
 * A claim is a write to the room document (`owner`, then the rest pose), which
 * nobody takes from a viewer unless the owner lets viewers grab (ROLE11). So:
 *
 *   - a viewer's page claims nothing, neither what it lets go nor what wakes in
 *     its world; where viewers may grab, it claims what it throws and what its
 *     own bodies push, as a grab would;
 *   - the cleaner that claims bodies moving on their own (PHYS5) is the present
 *     peer with the lowest client id among those whose presence does not say
 *     they are viewers; a viewer's page is never the cleaner, setting or not.
 *
 * Roles in presence are claimed, not proven: a viewer that hides its role may
 * be chosen, and then its claims are refused and those bodies stall (roles.md,
 * "What it does not protect").
 *
 * The room makes a page's rights from its role and presence
 * (app/room/body-claim-rights.ts); physics only asks them.
 *
 * @example
 *   if (isBodyCleaner(selfId, presence, claims)) claimTheBody();
 */
import type { PeerId } from '../core/ids.ts';
import type { PresenceView } from '../interaction/grab/ownership.ts';

export interface BodyClaimRights {
  /** ROLE13: may this page claim the bodies it throws or its own bodies push? */
  claimsOwn(): boolean;
  /** ROLE13: does `peerId` (this page's own id included) say in presence that it is a viewer? */
  isViewer(peerId: PeerId): boolean;
}

/** An open room: everyone edits, so everyone may claim and nobody is a viewer. */
export const OPEN_ROOM_CLAIMS: BodyClaimRights = { claimsOwn: () => true, isViewer: () => false };

/** PHYS5, ROLE13: is `self` the cleaner, the present non-viewer with the lowest client id? */
export function isBodyCleaner(self: PeerId, presence: PresenceView, claims: BodyClaimRights): boolean {
  if (claims.isViewer(self)) return false;
  for (const id of presence.presentIds()) if (id < self && !claims.isViewer(id)) return false;
  return true;
}
