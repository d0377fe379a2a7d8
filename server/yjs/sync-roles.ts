/**
 * The server's side of roles on `/sync` (docs/roles.md ROLE5, MOD4). In a
 * protected room each connection is sent a CHALLENGE when it opens; its
 * document updates wait until it has proven a role and, for an owner or
 * editor, its session (MOD4: so a removed session cannot slip updates in
 * before it is recognised), at most `MAX_HELD_UPDATES` of them, while reading
 * (sync step 1, presence, queries) passes at once. A valid owner or editor
 * PROOF and a valid SESSION release them; a viewer PROOF, or no proof or no
 * session within `roleProofTimeoutMs`, makes it a viewer, whose updates that
 * change anything close it with 4403; a removed session is closed with 4410
 * and what it held is dropped. Runs in the thread that owns the sockets,
 * before a room's shard sees the message.
 */
import * as decoding from 'lib0/decoding';
import { MESSAGE_SYNC, SYNC_STEP1, SYNC_UPDATE } from '../../app/sync/gate/update-guard.ts';
import { newChallenge, serverAudience, verifyProof, verifySessionProof } from '../../app/sync/roles/join-proof.ts';
import { claimedKickSession, MAX_OWNER_ENTRIES, readOwnerEntry } from '../../app/sync/roles/owner-entries.ts';
import {
  isRoleMessage,
  type Role,
  type RoleMessage,
  readRoleMessage,
  type SessionProof,
  writeChallenge,
} from '../../app/sync/roles/role-messages.ts';
import { ownerKeyOfRoom } from '../../app/sync/roles/room-credential.ts';
import { sessionId } from '../../app/sync/roles/session-key.ts';
import type { OwnerDecisions } from '../owner-decisions.ts';

/** ROLE5: a viewer's update, a bad proof or too many waiting updates. */
export const CLOSE_ROLE_REFUSED = 4403;
export const ROLE_REFUSED_REASON = 'role does not allow this';
/** Document updates a connection may send before its role and session are verified. */
export const MAX_HELD_UPDATES = 32;

/**
 * What to do with one message of a connection; 'grab': pass it to the room
 * to be taken only if every change in it is a grab's (ROLE11).
 */
export type RoleDecision = 'forward' | 'grab' | 'consumed' | 'refuse';

/** ROLE5, MOD4: whether a connection's updates may change the room now, must wait, or may not. */
type Writes = 'allowed' | 'wait' | 'denied';

export interface SyncRoleHooks {
  send(data: Uint8Array): void;
  /** Passes a message on to the room (as if it had just arrived); `grabOnly`: ROLE11's check first. */
  forward(data: Uint8Array, grabOnly?: boolean): void;
  refuse(): void;
  /** MOD5: the connection's session was removed by the owner. */
  removed(): void;
}

/**
 * Sync step 2 or update, with its sub-type; undefined for any other message
 * (step 1, presence, malformed: the room judges those).
 */
function updatePayload(message: Uint8Array): { subtype: number; payload: Uint8Array } | undefined {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return undefined;
    const subtype = decoding.readVarUint(decoder);
    if (subtype === SYNC_STEP1) return undefined;
    return { subtype, payload: decoding.readVarUint8Array(decoder) };
  } catch {
    return undefined;
  }
}

/** An update with no structs and no deletions (`00 00`): how a viewer answers sync step 1. */
function isEmptyUpdate(payload: Uint8Array): boolean {
  return payload.length === 2 && payload[0] === 0 && payload[1] === 0;
}

export class ConnectionRoles {
  private role: Role | 'pending' = 'pending';
  private verifying = false;
  private readonly held: Uint8Array[] = [];
  private readonly challenge = newChallenge();
  private readonly timer: ReturnType<typeof setTimeout>;
  private sessionSeen = false;
  /** ROLE5, MOD4: the time to prove a role and a session is over; what is not proven by then is not. */
  private late = false;
  /** ROT2: the epoch of the editor capability this connection proved. */
  private editorEpoch = 0;
  private ownerEntries = 0;
  /** MOD3: owner entries are checked one after another, so a burst of forged ones costs one check before the close. */
  private entryChecks: Promise<void> = Promise.resolve();
  private closed = false;
  /** MOD4: the session this connection proved (base64url public key). */
  session: string | undefined;

  private constructor(
    private readonly room: string,
    private readonly ownerPublicKey: Uint8Array,
    private readonly audience: string,
    private readonly hooks: SyncRoleHooks,
    private readonly decisions: OwnerDecisions,
    proofTimeoutMs: number,
  ) {
    hooks.send(writeChallenge(this.challenge));
    this.timer = setTimeout(() => {
      this.late = true;
      if (this.role === 'pending') this.settle('viewer');
      else this.release();
    }, proofTimeoutMs);
    this.timer.unref?.();
  }

  /**
   * The role gate of a new connection to `room` (reached at `host`), which has
   * `proofTimeoutMs` to prove a role; undefined for an open room.
   */
  static open(
    room: string,
    host: string,
    hooks: SyncRoleHooks,
    decisions: OwnerDecisions,
    proofTimeoutMs: number,
  ): ConnectionRoles | undefined {
    const ownerPublicKey = ownerKeyOfRoom(room);
    return ownerPublicKey
      ? new ConnectionRoles(room, ownerPublicKey, serverAudience(host), hooks, decisions, proofTimeoutMs)
      : undefined;
  }

  /** The connection's proven role so far. */
  get current(): Role | 'pending' {
    return this.role;
  }

  receive(message: Uint8Array): RoleDecision {
    if (isRoleMessage(message)) return this.receiveRoleMessage(message);
    const update = updatePayload(message);
    if (update === undefined) return 'forward';
    const writes = this.writes();
    if (writes === 'wait') {
      if (this.held.length >= MAX_HELD_UPDATES) return 'refuse';
      this.held.push(message.slice()); // the frame may share a pooled buffer
      return 'consumed';
    }
    if (writes === 'allowed') return 'forward';
    if (isEmptyUpdate(update.payload)) return 'consumed';
    // ROLE11: where the owner lets viewers grab, a viewer's update (never its step 2, its whole copy) goes to the
    // room, which takes it only if every change in it is a grab's. An owner or editor that proved no session in
    // time (MOD4) writes nothing, grabs included.
    const grabs =
      this.role === 'viewer' && this.decisions.settings(this.room).viewersMayGrab && update.subtype === SYNC_UPDATE;
    return grabs ? 'grab' : 'refuse';
  }

  /**
   * ROLE5, MOD4: an owner or editor writes once its session is verified (and
   * not removed, or it would have been closed); until then, and until its
   * role is proven, its updates wait; without a session in time it only reads.
   */
  private writes(): Writes {
    if (this.role === 'pending') return 'wait';
    if (this.role === 'viewer') return 'denied';
    if (this.session !== undefined) return 'allowed';
    return this.late ? 'denied' : 'wait';
  }

  /** ROT2: the owner raised the editor epoch to `epoch`: an editor of an older one is a viewer from now on. */
  outdate(epoch: number): void {
    if (this.role === 'editor' && this.editorEpoch < epoch) this.role = 'viewer';
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.held.length = 0;
  }

  private receiveRoleMessage(message: Uint8Array): RoleDecision {
    const read = readRoleMessage(message);
    if (!read.ok) return 'refuse';
    if (read.message.kind === 'session') return this.receiveSession(read.message);
    if (read.message.kind === 'owner-entry') return this.receiveOwnerEntry(read.message.entry);
    return this.receiveProof(read.message);
  }

  private receiveProof(message: RoleMessage): RoleDecision {
    if (message.kind !== 'proof' || this.role !== 'pending' || this.verifying) return 'refuse';
    this.verifying = true;
    const proof = message;
    void verifyProof(this.ownerPublicKey, this.audience, this.challenge, proof).then((check) => {
      if (!check.ok) return this.refuse();
      if (proof.role !== 'editor') return this.settle(check.role);
      // ROT2: an editor link older than the room's editor epoch grants seeing only.
      this.editorEpoch = proof.epoch;
      this.settle(proof.epoch < this.decisions.editorEpoch(this.room) ? 'viewer' : 'editor');
    });
    return 'consumed';
  }

  /** MOD4: one SESSION per connection; a removed session is closed (4410), a forged one refused (4403). */
  private receiveSession(proof: SessionProof): RoleDecision {
    if (this.sessionSeen) return 'refuse';
    this.sessionSeen = true;
    void verifySessionProof(this.ownerPublicKey, this.audience, this.challenge, proof).then((valid) => {
      if (this.closed) return;
      if (!valid) return this.refuse();
      const session = sessionId(proof.session);
      // MOD4, MOD5: a removed session goes with what it held; only a recognised one's updates count.
      if (this.decisions.isKicked(this.room, session)) return this.remove();
      this.session = session;
      this.release();
    });
    return 'consumed';
  }

  /**
   * MOD3: an owner entry any connection passes on (the owner's page as it
   * kicks, every page as it connects). It is checked with the owner key; a
   * kick already known costs no signature check; one that does not verify is refused.
   */
  private receiveOwnerEntry(entry: Uint8Array): RoleDecision {
    if (++this.ownerEntries > MAX_OWNER_ENTRIES) return 'refuse';
    this.entryChecks = this.entryChecks.then(async () => {
      const claimed = claimedKickSession(entry);
      if (this.closed || (claimed && this.decisions.isKicked(this.room, sessionId(claimed)))) return;
      const read = await readOwnerEntry(this.ownerPublicKey, entry);
      if (this.closed) return;
      if (!read.ok) return this.refuse();
      if (read.entry.kind === 'editor-epoch') this.decisions.raiseEditorEpoch(this.room, read.entry.epoch);
      else if (read.entry.kind === 'kick') this.decisions.kick(this.room, sessionId(read.entry.session));
      else if (read.entry.kind === 'settings')
        this.decisions.setSettings(this.room, read.entry.sequence, read.entry.settings);
      // A voice mute (MOD6) is the peers' to apply: the server carries no voice.
    });
    return 'consumed';
  }

  private remove(): void {
    this.close();
    this.hooks.removed();
  }

  private refuse(): void {
    this.close();
    this.hooks.refuse();
  }

  private settle(role: Role): void {
    if (this.role !== 'pending') return;
    this.role = role;
    this.release();
  }

  /** Once the connection's writes are decided, what it held is judged in order as if it arrived now. */
  private release(): void {
    if (this.closed || this.writes() === 'wait') return;
    clearTimeout(this.timer);
    for (const message of this.held.splice(0)) {
      const decision = this.receive(message);
      if (decision === 'refuse') {
        this.refuse();
        return;
      }
      if (decision === 'forward' || decision === 'grab') this.hooks.forward(message, decision === 'grab');
    }
  }
}
