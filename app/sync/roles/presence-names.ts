/**
 * Names bound to session keys (docs/roles.md PNAME1-PNAME6). In a protected room
 * each page signs the name it shows with its session key (MOD4), bound to the
 * room, its awareness client id and a counter, and publishes the signature in
 * its presence as `nameProof`. Awareness entries are relayed by every peer and
 * the server, so the connection an entry arrives on says nothing about who
 * wrote it: what a page believes comes from the signature alone.
 *
 * @example
 *   const names = new PresenceNames(ownerPublicKey, () => redrawList());
 *   names.check(clientId, { name, session, nameProof }); // 'pending' first, then 'verified' or 'unverified'
 */
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { SIGNATURE_BYTES, sign, verify } from './ed25519.ts';
import { type SessionKey, sessionFromId } from './session-key.ts';
import { nameStatement } from './statements.ts';

/** PNAME1: version u8 (1) | counter u32 LE | signature (64): 69 bytes, 92 characters of base64url. */
const NAME_PROOF_VERSION = 1;
export const NAME_PROOF_BYTES = 1 + 4 + SIGNATURE_BYTES;
/** PNAME5: entries checked at once; an entry past this shows unverified until a check is free. */
export const MAX_PENDING_NAME_CHECKS = 64;
/** PNAME2: client ids whose owning session a page remembers (the oldest absent one is forgotten first). */
export const MAX_KNOWN_CLIENTS = 1024;

const TOO_MANY_CLIENTS = 'too many client ids to remember';

export type NameProofRead = { ok: true; counter: number; signature: Uint8Array } | { ok: false; reason: string };

export function writeNameProof(counter: number, signature: Uint8Array): string {
  const bytes = new Uint8Array(NAME_PROOF_BYTES);
  bytes[0] = NAME_PROOF_VERSION;
  new DataView(bytes.buffer).setUint32(1, counter, true);
  bytes.set(signature, 5);
  return encodeBase64url(bytes);
}

/** PNAME5: reads a peer's `nameProof`; a reason for anything that is not one, never throws. */
export function readNameProof(value: unknown): NameProofRead {
  if (value === undefined) return { ok: false, reason: 'no name proof' };
  if (typeof value !== 'string') return { ok: false, reason: 'name proof is not text' };
  const bytes = decodeBase64url(value, NAME_PROOF_BYTES);
  if (!bytes) return { ok: false, reason: 'name proof is not base64url of at most 69 bytes' };
  if (bytes.length < NAME_PROOF_BYTES) return { ok: false, reason: `name proof truncated (${bytes.length} bytes)` };
  if (bytes[0] !== NAME_PROOF_VERSION) return { ok: false, reason: `name proof version ${bytes[0]} unknown` };
  return { ok: true, counter: new DataView(bytes.buffer).getUint32(1, true), signature: bytes.subarray(5) };
}

/** What an awareness entry claims about its name. */
export interface ClaimedName {
  name: string;
  session?: unknown;
  nameProof?: unknown;
}

export type NameCheck = { ok: true; session: string; counter: number } | { ok: false; reason: string };

/** PNAME1: does the session the entry names vouch for its name under this room and client id? */
export async function checkName(
  ownerPublicKey: Uint8Array,
  clientId: number,
  claimed: ClaimedName,
): Promise<NameCheck> {
  const sessionKey = sessionFromId(claimed.session);
  if (!sessionKey) return { ok: false, reason: 'no session key' };
  const proof = readNameProof(claimed.nameProof);
  if (!proof.ok) return proof;
  const statement = nameStatement(ownerPublicKey, sessionKey, clientId, proof.counter, claimed.name);
  if (!statement) return { ok: false, reason: 'name or client id out of range' };
  if (!(await verify(sessionKey, proof.signature, statement))) {
    return { ok: false, reason: 'name signature does not verify for this room, client id and session' };
  }
  return { ok: true, session: claimed.session as string, counter: proof.counter };
}

/** This page's own names: signs each new name under the next counter (PNAME1). */
export class NameSigner {
  private counter = 0;
  private signed: { name: string; proof: string } | undefined;
  private signing: string | undefined;

  constructor(
    private readonly ownerPublicKey: Uint8Array,
    private readonly key: SessionKey,
    private readonly clientId: number,
  ) {}

  /** The proof for `name` once it is signed; until then undefined, and `onSigned` is called when it is. */
  proofFor(name: string, onSigned: () => void): string | undefined {
    if (this.signed?.name === name) return this.signed.proof;
    if (this.signing !== name) void this.sign(name, onSigned);
    return undefined;
  }

  private async sign(name: string, onSigned: () => void): Promise<void> {
    this.signing = name;
    const counter = ++this.counter;
    const statement = nameStatement(this.ownerPublicKey, this.key.publicKey, this.clientId, counter, name);
    if (!statement) {
      this.signing = undefined; // not a name a statement can carry (cleanName never makes one): publish it unsigned
      return;
    }
    const signature = await sign(this.key.signer, statement);
    if (this.signing !== name) return; // renamed again meanwhile: that name's signature is the one to publish
    this.signing = undefined;
    this.signed = { name, proof: writeNameProof(counter, signature) };
    onSigned();
  }
}

type CheckedName = { state: 'verified'; session: string } | { state: 'unverified'; reason: string };
export type NameVerdict = { state: 'pending' } | CheckedName;

export interface NameCounts {
  verified: number;
  refused: number;
}

/**
 * What this page believes about others' names (PNAME2, PNAME3, PNAME5): checks
 * each entry once, and keeps, per client id, the session that owns it (the
 * first whose name verified here) and the highest counter seen.
 */
export class PresenceNames {
  readonly counts: NameCounts = { verified: 0, refused: 0 };
  /** Why the last entry was refused (for `room.inspect()` and tests). */
  lastRefusal: string | undefined;
  private readonly latest = new Map<number, { entry: string; verdict: NameVerdict }>();
  private readonly owners = new Map<number, { session: string; counter: number }>();
  private pending = 0;
  private destroyed = false;

  /**
   * `isPresent` says whether a client id is in the room's presence now: the
   * owner of a present client id is never forgotten to make room for another.
   */
  constructor(
    private readonly ownerPublicKey: Uint8Array,
    private readonly onSettled: () => void,
    private readonly isPresent: (clientId: number) => boolean,
  ) {}

  /** The verdict on `clientId`'s entry as it is now; 'pending' starts a check that calls `onSettled`. */
  check(clientId: number, claimed: ClaimedName): NameVerdict {
    const entry = `${claimed.name}\n${String(claimed.session)}\n${String(claimed.nameProof)}`;
    const known = this.latest.get(clientId);
    // A refusal for lack of room is not the entry's fault: it is checked again once there is room.
    const retry = known?.verdict.state === 'unverified' && known.verdict.reason === TOO_MANY_CLIENTS;
    if (known?.entry === entry && !(retry && this.hasRoomForOwner())) return known.verdict;
    if (this.pending >= MAX_PENDING_NAME_CHECKS) return { state: 'unverified', reason: 'too many names to check' };
    this.latest.delete(clientId);
    this.latest.set(clientId, { entry, verdict: { state: 'pending' } });
    if (this.latest.size > MAX_KNOWN_CLIENTS) this.latest.delete(this.latest.keys().next().value as number);
    this.pending++;
    void checkName(this.ownerPublicKey, clientId, claimed).then((check) => {
      this.pending--;
      if (this.destroyed || this.latest.get(clientId)?.entry !== entry) return; // superseded by a newer entry
      const verdict = this.decide(clientId, check);
      if (verdict.state === 'verified') this.counts.verified++;
      else {
        this.counts.refused++;
        this.lastRefusal = verdict.reason;
      }
      this.latest.set(clientId, { entry, verdict });
      this.onSettled();
    });
    return { state: 'pending' };
  }

  destroy(): void {
    this.destroyed = true;
  }

  /** PNAME2: a client id belongs to the first session whose name verified for it; its counter only rises. */
  private decide(clientId: number, check: NameCheck): CheckedName {
    if (!check.ok) return { state: 'unverified', reason: check.reason };
    const owner = this.owners.get(clientId);
    if (owner && owner.session !== check.session) {
      return { state: 'unverified', reason: 'this client id belongs to another session' };
    }
    if (owner && check.counter < owner.counter)
      return { state: 'unverified', reason: 'an older name of this client id' };
    if (!owner && !this.makeRoomForOwner()) return { state: 'unverified', reason: TOO_MANY_CLIENTS };
    this.owners.set(clientId, { session: check.session, counter: check.counter });
    return { state: 'verified', session: check.session };
  }

  /** PNAME2: room for one more owner, forgetting the oldest client id that is not present; false if all are. */
  private makeRoomForOwner(): boolean {
    if (this.owners.size < MAX_KNOWN_CLIENTS) return true;
    const absent = this.oldestAbsentOwner();
    if (absent === undefined) return false;
    this.owners.delete(absent);
    return true;
  }

  private hasRoomForOwner(): boolean {
    return this.owners.size < MAX_KNOWN_CLIENTS || this.oldestAbsentOwner() !== undefined;
  }

  private oldestAbsentOwner(): number | undefined {
    for (const clientId of this.owners.keys()) if (!this.isPresent(clientId)) return clientId;
    return undefined;
  }
}
