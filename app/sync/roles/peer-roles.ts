/**
 * Roles between WebRTC peers (docs/roles.md ROLE6). In a protected room each
 * peer challenges every connection as it opens and answers the other side's
 * challenge; until a peer has proven owner or editor rights its document
 * updates are dropped and its sync step 2 is passed on emptied (so y-webrtc
 * still counts the connection synced). Once it has, this peer asks it for
 * everything (sync step 1), so what it sent before its proof arrives again.
 * Transport-free: a link is anything that can send bytes to one peer and
 * name the DTLS fingerprints of its connection.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { checkGrabUpdate } from '../doc/grab-update.ts';
import {
  createProof,
  createSessionProof,
  newChallenge,
  peerAudience,
  verifyProof,
  verifySessionProof,
} from './join-proof.ts';
import {
  isRoleMessage,
  type Role,
  readRoleMessage,
  type SessionProof,
  writeChallenge,
  writeProof,
  writeSession,
} from './role-messages.ts';
import type { RoomCredential } from './room-credential.ts';
import { type SessionKey, sessionId } from './session-key.ts';

const MESSAGE_SYNC = 0;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** One connection to one peer, as roles need it. */
export interface RoleLink {
  /** Stable identity of the connection (a new one after a reconnect). */
  readonly key: object;
  send(data: Uint8Array): void;
  /** Closes the connection (MOD5: its session was removed by the owner). */
  close(): void;
  /** This side's and the other side's DTLS fingerprint (`sha-256 AB:…`), once both descriptions are set. */
  fingerprints(): { local: string; remote: string } | undefined;
}

interface LinkState {
  challenge: Uint8Array<ArrayBuffer> | undefined;
  role: Role | 'pending';
  proofSeen: boolean;
  answered: boolean;
  /** MOD4: the session the peer proved on this connection. */
  session: string | undefined;
  sessionSeen: boolean;
  /** ROLE6, MOD4: both proofs checked and the peer may write (counted once, step 1 sent once). */
  granted: boolean;
  /** ROT2: the epoch of the editor capability the peer proved. */
  editorEpoch: number;
}

/** MOD4, MOD5: this page's session key, and what the owner's entries say about other sessions. */
export interface PeerSessions {
  key: SessionKey;
  isKicked(session: string): boolean;
  /** A connection proved a session the owner removed: close it. */
  onKickedPeer(link: RoleLink): void;
  /** ROT2: editor capabilities of a lower epoch no longer grant editing. */
  editorEpoch(): number;
  /** ROLE11: the owner lets viewers grab (their updates that only grab are taken). */
  viewersMayGrab?(): boolean;
}

export interface PeerRoleCounts {
  /** Connections whose peer proved owner or editor rights. */
  provenPeers: number;
  /** Document updates dropped because their sender had not proven editor rights. */
  refusedUpdates: number;
  /** ROLE11: a viewer's updates taken because viewers may grab and every change in them was a grab's. */
  acceptedGrabs: number;
  /** Proofs that did not verify, and role messages that could not be read. */
  refusedProofs: number;
  /** MOD5: messages dropped because their connection's session was removed by the owner. */
  refusedKicked: number;
  /** MOD5: connections closed because their session was removed by the owner. */
  closedKicked: number;
}

/** The SDP `a=fingerprint:` of a description, as `algorithm value` in lowercase. */
export function sdpFingerprint(sdp: string | undefined): string | undefined {
  const match = /^a=fingerprint:(\S+) (\S+)/m.exec(sdp ?? '');
  return match ? `${match[1]} ${match[2]}`.toLowerCase() : undefined;
}

/** Sync step 2 with an empty update: what a peer that may not write seems to have sent. */
function emptyStep2(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_STEP2);
  encoding.writeVarUint8Array(encoder, new Uint8Array([0, 0]));
  return encoding.toUint8Array(encoder);
}

/** The sync sub-type of a sync message; undefined for other messages (and unreadable ones: the gate judges them). */
function syncSubtype(message: Uint8Array): number | undefined {
  try {
    const decoder = decoding.createDecoder(message);
    return decoding.readVarUint(decoder) === MESSAGE_SYNC ? decoding.readVarUint(decoder) : undefined;
  } catch {
    return undefined;
  }
}

function isWriter(role: Role | 'pending'): boolean {
  return role === 'owner' || role === 'editor';
}

export class PeerRoles {
  readonly counts: PeerRoleCounts = {
    provenPeers: 0,
    refusedUpdates: 0,
    acceptedGrabs: 0,
    refusedProofs: 0,
    refusedKicked: 0,
    closedKicked: 0,
  };
  private readonly links = new WeakMap<object, LinkState>();

  constructor(
    readonly credential: RoomCredential,
    private readonly doc: Y.Doc,
    private readonly sessions?: PeerSessions,
  ) {}

  /** ROLE3: a connection opened; challenge the peer on it. */
  open(link: RoleLink): void {
    const state = this.stateOf(link);
    if (state.challenge) return;
    state.challenge = newChallenge();
    link.send(writeChallenge(state.challenge));
  }

  /** What of `message` from `link` reaches y-webrtc: the message, an emptied step 2, or nothing. */
  admit(link: RoleLink, message: Uint8Array): Uint8Array | undefined {
    const state = this.stateOf(link);
    if (state.session !== undefined && this.sessions?.isKicked(state.session)) {
      this.counts.refusedKicked++;
      return undefined;
    }
    if (isRoleMessage(message)) {
      this.receiveRoleMessage(link, state, message);
      return undefined;
    }
    const subtype = syncSubtype(message);
    if (subtype === undefined || subtype === SYNC_STEP1 || this.writes(state)) return message;
    if (subtype === SYNC_UPDATE && this.grabs(state, message)) {
      this.counts.acceptedGrabs++;
      return message;
    }
    this.counts.refusedUpdates++;
    return subtype === SYNC_STEP2 ? emptyStep2() : undefined;
  }

  /** The role a connection's peer has proven so far (ROT2: an editor of an older epoch is a viewer now). */
  roleOf(link: RoleLink): Role | 'pending' {
    const state = this.stateOf(link);
    return state.role === 'editor' && !this.writes(state) ? 'viewer' : state.role;
  }

  /**
   * ROLE6, ROT2, MOD4: whether the connection's peer proved owner rights, or editor rights of a valid
   * epoch, and (where this page knows sessions) a session the owner has not removed. Both proofs are
   * checked asynchronously and may finish in either order; until both have, the peer writes nothing,
   * so a removed session cannot slip an update in between its role proof and its session proof.
   */
  private writes(state: LinkState): boolean {
    if (this.sessions && (state.session === undefined || this.sessions.isKicked(state.session))) return false;
    if (state.role === 'editor') return state.editorEpoch >= (this.sessions?.editorEpoch() ?? 0);
    return isWriter(state.role);
  }

  /**
   * ROLE11: a proven viewer's update (not its sync step 2, which carries its
   * whole copy) is taken when the owner lets viewers grab and every change in
   * it is a grab's, checked against this page's copy.
   */
  private grabs(state: LinkState, message: Uint8Array): boolean {
    const sessions = this.sessions;
    if (!sessions?.viewersMayGrab?.() || state.role === 'pending') return false;
    if (state.session === undefined || sessions.isKicked(state.session)) return false;
    try {
      const decoder = decoding.createDecoder(message);
      decoding.readVarUint(decoder);
      decoding.readVarUint(decoder);
      return checkGrabUpdate(this.doc, decoding.readVarUint8Array(decoder)).ok;
    } catch {
      return false;
    }
  }

  /** Once a connection's peer may write: count it and ask it for everything again (what it sent before was dropped). */
  private grantIfProven(link: RoleLink, state: LinkState): void {
    if (state.granted || !this.writes(state)) return;
    state.granted = true;
    this.counts.provenPeers++;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    link.send(encoding.toUint8Array(encoder));
  }

  /** MOD5: the owner removed `session`: closes those of `links` whose peer proved it. */
  closeSession(session: string, links: Iterable<RoleLink>): void {
    for (const link of links) {
      if (this.sessionOf(link) !== session) continue;
      this.counts.closedKicked++;
      link.close();
    }
  }

  /** MOD4: the session a connection's peer proved, if it did. */
  sessionOf(link: RoleLink): string | undefined {
    return this.links.get(link.key)?.session;
  }

  private stateOf(link: RoleLink): LinkState {
    let state = this.links.get(link.key);
    if (!state) {
      state = {
        challenge: undefined,
        role: 'pending',
        proofSeen: false,
        answered: false,
        session: undefined,
        sessionSeen: false,
        granted: false,
        editorEpoch: 0,
      };
      this.links.set(link.key, state);
    }
    return state;
  }

  private receiveRoleMessage(link: RoleLink, state: LinkState, message: Uint8Array): void {
    const read = readRoleMessage(message);
    const fingerprints = link.fingerprints();
    if (!read.ok || !fingerprints) {
      this.counts.refusedProofs++;
      return;
    }
    if (read.message.kind === 'challenge') {
      if (state.answered) return;
      state.answered = true;
      this.answer(link, peerAudience(fingerprints.remote), read.message.challenge);
      return;
    }
    if (read.message.kind === 'session') {
      this.receiveSession(link, state, peerAudience(fingerprints.local), read.message);
      return;
    }
    if (read.message.kind !== 'proof') return; // owner entries travel in the document between peers
    // ROLE4: one proof per connection, and only for a challenge this side sent.
    if (state.proofSeen || !state.challenge) {
      this.counts.refusedProofs++;
      return;
    }
    state.proofSeen = true;
    const ownerKey = this.credential.ownerPublicKey;
    const proof = read.message;
    void verifyProof(ownerKey, peerAudience(fingerprints.local), state.challenge, proof).then((check) => {
      if (!check.ok) {
        this.counts.refusedProofs++;
        state.role = 'viewer';
        return;
      }
      state.role = check.role;
      if (proof.role === 'editor') state.editorEpoch = proof.epoch;
      this.grantIfProven(link, state);
    });
  }

  /** ROLE3, MOD4: the PROOF of this page's role, then the SESSION of its session key, both for this challenge. */
  private answer(link: RoleLink, audience: string, challenge: Uint8Array): void {
    const session = this.sessions?.key;
    void (async () => {
      link.send(writeProof(await createProof(this.credential, audience, challenge)));
      if (!session) return;
      const proof = await createSessionProof(this.credential.ownerPublicKey, session, audience, challenge);
      if (proof) link.send(writeSession(proof));
    })();
  }

  /** MOD4, MOD5: one SESSION per connection, for this side's challenge; a removed session's connection is closed. */
  private receiveSession(link: RoleLink, state: LinkState, audience: string, proof: SessionProof): void {
    if (state.sessionSeen || !state.challenge) {
      this.counts.refusedProofs++;
      return;
    }
    state.sessionSeen = true;
    const challenge = state.challenge;
    void verifySessionProof(this.credential.ownerPublicKey, audience, challenge, proof).then((valid) => {
      if (!valid) {
        this.counts.refusedProofs++;
        return;
      }
      state.session = sessionId(proof.session);
      this.grantIfProven(link, state);
      if (!this.sessions?.isKicked(state.session)) return;
      this.counts.closedKicked++;
      this.sessions.onKickedPeer(link);
    });
  }
}
