/**
 * Presence: who is in the room, carried by Yjs awareness. Each peer publishes
 * `{ user: { name, color, inXR, away } }` (in a protected room also `session`,
 * `nameProof`, docs/roles.md PNAME1, and `role`, ROLE13); states from peers are untrusted and
 * are validated before anything shows them, names in a protected room checked
 * against their session's signature (PNAME3).
 */
import type { Awareness } from 'y-protocols/awareness';
import { type Identity, parseIdentity } from '../core/identity.ts';
import { type PeerId, toPeerId } from '../core/ids.ts';
import { sessionFingerprint, UNVERIFIED_NAME } from './roles/name-labels.ts';
import type { PresenceNames } from './roles/presence-names.ts';
import { sessionFromId } from './roles/session-key.ts';

/** PNAME1: a `nameProof` is 92 characters; anything longer is not kept from a peer's state. */
const MAX_NAME_PROOF_CHARS = 92;

/** ROLE13: the roles a page in a protected room says it has; any other value is not kept. */
export const PRESENCE_ROLES = ['owner', 'editor', 'viewer'] as const;
export type PresenceRole = (typeof PRESENCE_ROLES)[number];

export interface PresenceUser extends Identity {
  inXR: boolean;
  /** In a protected room: the session id the person's connections prove (docs/roles.md MOD4), as they claim it. */
  session?: string;
  /** PNAME1: the session's signature over the name, this room, the client id and a counter (as they claim it). */
  nameProof?: string;
  /** ROLE13: in a protected room, the role the page says its link gives (claimed, not proven: the cleaner choice reads it). */
  role?: PresenceRole;
  /** The page is hidden (another tab, minimized, a locked phone): its avatar stands still (PRES5). */
  away: boolean;
}

export interface Peer extends PresenceUser {
  peerId: PeerId;
  /**
   * PNAME3: 'open' in an open room (names are self-declared); in a protected room
   * 'verified' when the name's signature checked out, and then `session` is the
   * session that signed it; 'unverified' otherwise, and `name` is UNVERIFIED_NAME.
   */
  nameCheck: 'open' | 'verified' | 'unverified';
  /** PNAME4: set when another verified session present (this page's included) shows the same name. */
  fingerprint?: string;
}

/** Reads one awareness state; undefined when malformed. */
export function parsePresence(state: unknown): PresenceUser | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const user = (state as Record<string, unknown>).user;
  const identity = parseIdentity(user);
  if (!identity) return undefined;
  const fields = user as Record<string, unknown>;
  const { session, nameProof } = fields;
  const role = presenceRole(fields.role);
  return {
    ...identity,
    inXR: fields.inXR === true,
    away: fields.away === true,
    ...(sessionFromId(session) ? { session: session as string } : {}),
    ...(typeof nameProof === 'string' && nameProof.length <= MAX_NAME_PROOF_CHARS ? { nameProof } : {}),
    ...(role ? { role } : {}),
  };
}

/** ROLE13: one of PRESENCE_ROLES exactly, else undefined (a peer's state is untrusted). */
function presenceRole(value: unknown): PresenceRole | undefined {
  return PRESENCE_ROLES.find((role) => role === value);
}

/**
 * ROLE13: the role client `clientId`'s presence states (this page's own included),
 * undefined when it states none, is not present, or its state is malformed.
 */
export function presenceRoleOf(awareness: Awareness, clientId: number): PresenceRole | undefined {
  return parsePresence(awareness.getStates().get(clientId))?.role;
}

/**
 * Everyone else in the room with a valid presence state, sorted by name. With
 * `names` (a protected room), each name is as its session signed it (PNAME3):
 * an entry still being checked is left out until it is, one that did not
 * verify shows UNVERIFIED_NAME and names no session, and two verified sessions
 * showing the same name carry their fingerprints (PNAME4).
 */
export function listPeers(awareness: Awareness, names?: PresenceNames): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    const peerId = toPeerId(clientId);
    if (clientId === awareness.clientID || peerId === undefined) continue;
    const user = parsePresence(state);
    if (!user) continue;
    if (!names) {
      peers.push({ peerId, ...user, nameCheck: 'open' });
      continue;
    }
    const { session: _claimed, nameProof: _proof, ...shown } = user;
    const verdict = names.check(clientId, user);
    if (verdict.state === 'pending') continue;
    if (verdict.state === 'unverified')
      peers.push({ peerId, ...shown, name: UNVERIFIED_NAME, nameCheck: 'unverified' });
    else peers.push({ peerId, ...shown, session: verdict.session, nameCheck: 'verified' });
  }
  if (names) markSameNames(peers, parsePresence(awareness.getLocalState()));
  return peers.sort((a, b) => a.name.localeCompare(b.name) || a.peerId - b.peerId);
}

/** PNAME4: gives a fingerprint to each verified peer whose name another verified session (or this page) also shows. */
function markSameNames(peers: Peer[], self: PresenceUser | undefined): void {
  const sessionsByName = new Map<string, Set<string>>();
  const count = (name: string, session: string) => {
    const sessions = sessionsByName.get(name) ?? new Set<string>();
    sessions.add(session);
    sessionsByName.set(name, sessions);
  };
  if (self?.session) count(self.name, self.session);
  for (const peer of peers) if (peer.session) count(peer.name, peer.session);
  for (const peer of peers) {
    if (peer.session && (sessionsByName.get(peer.name)?.size ?? 0) > 1) {
      peer.fingerprint = sessionFingerprint(peer.session);
    }
  }
}

/** What a person's name tag and list entry say: the name, and the session's fingerprint when it is shared (PNAME4). */
export function peerLabel(peer: Pick<Peer, 'name' | 'fingerprint'>): string {
  return peer.fingerprint ? `${peer.name} · ${peer.fingerprint}` : peer.name;
}

export function publishPresence(awareness: Awareness, user: PresenceUser): void {
  awareness.setLocalStateField('user', user);
}

/** PRES3: how often this peer re-announces its presence (the y-protocols default is every 15 s). */
export const PRESENCE_RENEW_MS = 1_000;
/** PRES3: a peer not heard from for this long leaves the list (the y-protocols default is 30 s). */
export const PRESENCE_TIMEOUT_MS = 5_000;
const PRESENCE_CHECK_MS = 500;
/**
 * TRN33: a peer not heard from for this long (two renewals missed) is asked after: peers no longer
 * re-broadcast each other's renewals (TRN32), so one reached only through others is refreshed by
 * asking those others, at most once per PRESENCE_RENEW_MS.
 */
export const PRESENCE_STALE_MS = 2 * PRESENCE_RENEW_MS;

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
 * Renewals also ride on what others send (PRES7): when a peer's presence
 * arrives and this page's own renewal is due, it renews then, because a
 * hidden page's timers may wake only once a minute while its sockets and data
 * channels still deliver every message at once.
 * A state for this page's own client id that someone else sent (awareness
 * takes any entry with a higher clock, and peers relay entries) is replaced
 * at once by this page's own, with a higher clock (PRES6).
 */
export class PresenceKeeper {
  private readonly renewTimer: unknown;
  private readonly checkTimer: unknown;
  /** When each remote client was last heard from, on this keeper's clock. */
  private readonly lastHeard = new Map<number, number>();
  /** PRES6: the state this page itself last set. */
  private own: Record<string, unknown> | null;
  /** PRES7: when this page last published its state, on this keeper's clock. */
  private lastPublished: number;
  /** PRES6: how often someone else's state for this page's client id was replaced by its own. */
  ownStateRestored = 0;
  /** TRN33: when this keeper last asked after stale peers, on its clock. */
  private lastAsked = Number.NEGATIVE_INFINITY;

  /** `askAfter` (TRN33) is called when some peer's state is stale: it asks the page's peers for what they hold. */
  constructor(
    private readonly awareness: Awareness,
    private readonly clock: PresenceClock = realClock,
    private readonly askAfter?: () => void,
  ) {
    this.own = awareness.getLocalState();
    this.lastPublished = clock.now();
    awareness.on('update', this.onUpdate);
    this.renewTimer = clock.setInterval(() => this.renew(), PRESENCE_RENEW_MS);
    this.checkTimer = clock.setInterval(() => this.dropSilentPeers(), PRESENCE_CHECK_MS);
  }

  /** PRES1: an explicit goodbye on every transport (sent synchronously, e.g. from `pagehide`). */
  leave(): void {
    this.own = null;
    this.awareness.setLocalState(null);
  }

  renew(): void {
    if (this.own !== null) this.awareness.setLocalState(this.own);
  }

  dropSilentPeers(): void {
    const now = this.clock.now();
    // States that arrived before this keeper started count as heard now.
    for (const clientId of this.awareness.states.keys()) {
      if (clientId !== this.awareness.clientID && !this.lastHeard.has(clientId)) this.lastHeard.set(clientId, now);
    }
    const removed: number[] = [];
    let stale = false;
    for (const [clientId, heard] of this.lastHeard) {
      stale ||= now - heard >= PRESENCE_STALE_MS;
      if (now - heard < PRESENCE_TIMEOUT_MS) continue;
      this.lastHeard.delete(clientId);
      if (this.awareness.states.delete(clientId)) removed.push(clientId);
    }
    if (removed.length > 0) this.awareness.emit('change', [{ added: [], updated: [], removed }, 'timeout']);
    if (stale && this.askAfter && now - this.lastAsked >= PRESENCE_RENEW_MS) {
      this.lastAsked = now;
      this.askAfter();
    }
  }

  destroy(): void {
    this.awareness.off('update', this.onUpdate);
    this.clock.clearInterval(this.renewTimer);
    this.clock.clearInterval(this.checkTimer);
  }

  private readonly onUpdate = ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
    const self = this.awareness.clientID;
    const now = this.clock.now();
    if (origin === 'local') {
      this.own = this.awareness.getLocalState();
      this.lastPublished = now;
      return;
    }
    if (this.own !== null && (added.includes(self) || updated.includes(self))) {
      // PRES6: someone rewrote this page's entry; publish its own again, above their clock.
      if (this.awareness.getLocalState() !== this.own) {
        this.ownStateRestored++;
        this.awareness.setLocalState(this.own);
      }
    }
    let heardOthers = false;
    for (const id of [...added, ...updated]) {
      if (id === self) continue;
      this.lastHeard.set(id, now);
      heardOthers = true;
    }
    for (const id of removed) this.lastHeard.delete(id);
    // PRES7: someone is listening and this page's renewal is due: renew now, in this message's task,
    // whether or not the renewal timer woke (a hidden page's timers may wake once a minute).
    if (heardOthers && now - this.lastPublished >= PRESENCE_RENEW_MS) this.renew();
  };
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
