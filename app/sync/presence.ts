/**
 * Presence: who is in the room, carried by Yjs awareness. Each peer publishes
 * `{ user: { name, color, inXR } }`; states from peers are untrusted and are
 * validated before anything shows them.
 */
import type { Awareness } from 'y-protocols/awareness';
import { type Identity, parseIdentity } from '../core/identity.ts';

export interface PresenceUser extends Identity {
  inXR: boolean;
}

export interface Peer extends PresenceUser {
  clientId: number;
}

/** Reads one awareness state; undefined when malformed. */
export function parsePresence(state: unknown): PresenceUser | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const user = (state as Record<string, unknown>).user;
  const identity = parseIdentity(user);
  if (!identity) return undefined;
  return { ...identity, inXR: (user as Record<string, unknown>).inXR === true };
}

/** Everyone else in the room with a valid presence state, sorted by name. */
export function listPeers(awareness: Awareness): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const user = parsePresence(state);
    if (user) peers.push({ clientId, ...user });
  }
  return peers.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
}

export function publishPresence(awareness: Awareness, user: PresenceUser): void {
  awareness.setLocalStateField('user', user);
}
