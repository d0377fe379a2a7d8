/**
 * What a page may claim of the room's `@physics` bodies (docs/roles.md ROLE13),
 * from its own role and the roles its peers state in presence: the adapter
 * between interaction rights, presence and app/physics/body-claims.ts.
 *
 * @example
 *   const claims = bodyClaimRights(() => interaction.rights, session.awareness);
 */
import type { Awareness } from 'y-protocols/awareness';
import type { InteractionRights } from '../interaction/interaction-rights.ts';
import type { BodyClaimRights } from '../physics/body-claims.ts';
import { presenceRoleOf } from '../sync/presence.ts';

/**
 * A page's claim rights from its interaction rights (ROLE10, ROLE11: a viewer's page grabs
 * shared objects only where the owner lets viewers grab) and the roles peers state in presence.
 * This page counts as a viewer by its own role, whatever its presence says.
 */
export function bodyClaimRights(
  rights: () => Pick<InteractionRights, 'role' | 'grabsShared'>,
  awareness: Awareness,
): BodyClaimRights {
  return {
    claimsOwn: () => rights().grabsShared(),
    isViewer: (peerId) =>
      peerId === awareness.clientID ? rights().role === 'viewer' : presenceRoleOf(awareness, peerId) === 'viewer',
  };
}
