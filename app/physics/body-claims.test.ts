import { describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type PeerId, toPeerId } from '../core/ids.ts';
import { isCleaner, presenceOf } from '../interaction/grab/ownership.ts';
import { InteractionRights, type PageRole } from '../interaction/interaction-rights.ts';
import { bodyClaimRights } from '../room/body-claim-rights.ts';
import { type BodyClaimRights, isBodyCleaner, OPEN_ROOM_CLAIMS } from './body-claims.ts';

const id = (n: number) => toPeerId(n) as PeerId;

/** A page's awareness with this page's own state and the peers' states as they arrived. */
function pageAwareness(ownRole: PageRole, peers: Record<number, Record<string, unknown>>): Awareness {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalStateField('user', {
    name: 'Me',
    color: '#000000',
    ...(ownRole === 'open' ? {} : { role: ownRole }),
  });
  for (const [clientId, state] of Object.entries(peers)) awareness.getStates().set(Number(clientId), state);
  return awareness;
}

function claimsOf(role: PageRole, peers: Record<number, Record<string, unknown>>, viewersMayGrab = false) {
  const awareness = pageAwareness(role, peers);
  const rights = new InteractionRights(role, () => viewersMayGrab);
  const claims = bodyClaimRights(() => rights, awareness);
  const self = id(awareness.clientID);
  const presence = presenceOf(() => [...awareness.getStates().keys()].map(id));
  return { claims, self, presence };
}

const user = (role?: string) => ({ user: { name: 'P', color: '#123456', ...(role ? { role } : {}) } });

describe('who may claim a shared body (ROLE13)', () => {
  it('[ROLE13][PHYS5] a viewer with the lowest id is not the cleaner; the editor above it is', () => {
    // Client ids are 32-bit numbers above 0; the peer at 1 is below any page's own id.
    const editor = claimsOf('editor', { 1: user('viewer') });
    expect(isCleaner(editor.self, editor.presence)).toBe(false);
    expect(isBodyCleaner(editor.self, editor.presence, editor.claims)).toBe(true);

    const viewer = claimsOf('viewer', { 4294967295: user('editor') });
    expect(isCleaner(viewer.self, viewer.presence)).toBe(true);
    expect(isBodyCleaner(viewer.self, viewer.presence, viewer.claims)).toBe(false);
  });

  it('[ROLE13] a viewer page is never the cleaner, even alone, even where viewers may grab, whatever its presence says', () => {
    for (const viewersMayGrab of [false, true]) {
      const alone = claimsOf('viewer', {}, viewersMayGrab);
      expect(isBodyCleaner(alone.self, alone.presence, alone.claims)).toBe(false);
    }
    // Its own role decides for itself, not the state it published (which anyone may have rewritten).
    const awareness = pageAwareness('viewer', {});
    awareness.setLocalStateField('user', user('editor').user);
    const rights = new InteractionRights('viewer');
    const claims = bodyClaimRights(() => rights, awareness);
    expect(claims.isViewer(id(awareness.clientID))).toBe(true);
  });

  it('[ROLE13] peers stating no role, or one that does not parse, count: only a stated viewer is skipped', () => {
    for (const state of [user(), user('owner'), user('Viewer'), { user: { name: '__proto__', role: 'viewer' } }]) {
      const page = claimsOf('editor', { 1: state });
      expect(isBodyCleaner(page.self, page.presence, page.claims), JSON.stringify(state)).toBe(false);
    }
  });

  it('[ROLE13][ROLE11] a viewer page claims its own bodies only where the owner lets viewers grab; owner and editor pages always', () => {
    expect(claimsOf('viewer', {}).claims.claimsOwn()).toBe(false);
    expect(claimsOf('viewer', {}, true).claims.claimsOwn()).toBe(true);
    for (const role of ['owner', 'editor', 'open'] as const) expect(claimsOf(role, {}).claims.claimsOwn()).toBe(true);
  });

  it('[ROLE13] the setting is asked each time: turning it off stops a viewer page claiming at once', () => {
    let allowed = true;
    const rights = new InteractionRights('viewer', () => allowed);
    const claims: BodyClaimRights = bodyClaimRights(() => rights, pageAwareness('viewer', {}));
    expect(claims.claimsOwn()).toBe(true);
    allowed = false;
    expect(claims.claimsOwn()).toBe(false);
  });

  it('[PHYS5] in an open room the cleaner is the lowest present id, as GRAB6', () => {
    const presence = presenceOf(() => [id(5), id(9)]);
    expect(isBodyCleaner(id(5), presence, OPEN_ROOM_CLAIMS)).toBe(true);
    expect(isBodyCleaner(id(9), presence, OPEN_ROOM_CLAIMS)).toBe(false);
  });
});
