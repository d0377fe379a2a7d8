/**
 * Presence: who is in the room, carried by Yjs awareness. Each peer publishes
 * `{ user: { name, color, inXR, away } }`; states from peers are untrusted and are
 * validated before anything shows them.
 */
import type { Awareness } from 'y-protocols/awareness';
import { type Identity, parseIdentity } from '../core/identity.ts';
import { type PeerId, toPeerId } from '../core/ids.ts';
import { sessionFromId } from './roles/session-key.ts';

export interface PresenceUser extends Identity {
  inXR: boolean;
  /** In a protected room: the session id the person's connections prove (docs/roles.md MOD4), as they claim it. */
  session?: string;
  /** The page is hidden (another tab, minimized, a locked phone): its avatar stands still (PRES5). */
  away: boolean;
}

export interface Peer extends PresenceUser {
  peerId: PeerId;
}

/** Reads one awareness state; undefined when malformed. */
export function parsePresence(state: unknown): PresenceUser | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const user = (state as Record<string, unknown>).user;
  const identity = parseIdentity(user);
  if (!identity) return undefined;
  const fields = user as Record<string, unknown>;
  const session = fields.session;
  return {
    ...identity,
    inXR: fields.inXR === true,
    away: fields.away === true,
    ...(sessionFromId(session) ? { session: session as string } : {}),
  };
}

/** Everyone else in the room with a valid presence state, sorted by name. */
export function listPeers(awareness: Awareness): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    const peerId = toPeerId(clientId);
    if (clientId === awareness.clientID || peerId === undefined) continue;
    const user = parsePresence(state);
    if (user) peers.push({ peerId, ...user });
  }
  return peers.sort((a, b) => a.name.localeCompare(b.name) || a.peerId - b.peerId);
}

export function publishPresence(awareness: Awareness, user: PresenceUser): void {
  awareness.setLocalStateField('user', user);
}

/** PRES3: how often this peer re-announces its presence (the y-protocols default is every 15 s). */
export const PRESENCE_RENEW_MS = 1_000;
/** PRES3: a peer not heard from for this long leaves the list (the y-protocols default is 30 s). */
export const PRESENCE_TIMEOUT_MS = 5_000;
const PRESENCE_CHECK_MS = 500;

export interface PresenceClock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realClock: PresenceClock = {
  now: () => Date.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/**
 * Keeps presence short-lived so a vanished peer leaves lists in seconds:
 * renews this peer's state every PRESENCE_RENEW_MS, and drops peers whose
 * state is older than PRESENCE_TIMEOUT_MS. The drop is local (a 'change'
 * event, no broadcast), so a slow link to one peer never removes it for others;
 * its next renewal brings it back. `leave()` (PRES1) tells everyone at once.
 */
export class PresenceKeeper {
  private readonly renewTimer: unknown;
  private readonly checkTimer: unknown;
  /** When each remote client was last heard from, on this keeper's clock. */
  private readonly lastHeard = new Map<number, number>();

  constructor(
    private readonly awareness: Awareness,
    private readonly clock: PresenceClock = realClock,
  ) {
    awareness.on('update', this.onUpdate);
    this.renewTimer = clock.setInterval(() => this.renew(), PRESENCE_RENEW_MS);
    this.checkTimer = clock.setInterval(() => this.dropSilentPeers(), PRESENCE_CHECK_MS);
  }

  /** PRES1: an explicit goodbye on every transport (sent synchronously, e.g. from `pagehide`). */
  leave(): void {
    this.awareness.setLocalState(null);
  }

  renew(): void {
    const state = this.awareness.getLocalState();
    if (state !== null) this.awareness.setLocalState(state);
  }

  dropSilentPeers(): void {
    const now = this.clock.now();
    // States that arrived before this keeper started count as heard now.
    for (const clientId of this.awareness.states.keys()) {
      if (clientId !== this.awareness.clientID && !this.lastHeard.has(clientId)) this.lastHeard.set(clientId, now);
    }
    const removed: number[] = [];
    for (const [clientId, heard] of this.lastHeard) {
      if (now - heard < PRESENCE_TIMEOUT_MS) continue;
      this.lastHeard.delete(clientId);
      if (this.awareness.states.delete(clientId)) removed.push(clientId);
    }
    if (removed.length > 0) this.awareness.emit('change', [{ added: [], updated: [], removed }, 'timeout']);
  }

  destroy(): void {
    this.awareness.off('update', this.onUpdate);
    this.clock.clearInterval(this.renewTimer);
    this.clock.clearInterval(this.checkTimer);
  }

  private readonly onUpdate = ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
    if (origin === 'local') return;
    const now = this.clock.now();
    for (const id of added) this.lastHeard.set(id, now);
    for (const id of updated) this.lastHeard.set(id, now);
    for (const id of removed) this.lastHeard.delete(id);
  };
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
