/**
 * A room held in memory while anyone is connected to it: its Y.Doc (loaded
 * from the store), the room's awareness (presence relay), and the connected
 * peers, each named by a connection id. Speaks the sync half of the
 * y-websocket protocol; the socket half (limits, framing) is room-sync.ts, and
 * a room lives inside a shard worker (shard-host.ts), so nothing here blocks
 * the thread that answers HTTP and the other endpoints.
 *
 * Rules (docs/room-sync-protocol.md, docs/security.md):
 *   RS3  a message that fails the update guard closes with 4400; nothing of it
 *        reaches the document, the store or other peers.
 *   RS8  a room takes no update that would make it hold more than maxRoomBytes
 *        (stored log + pending structs + presence, SEC10): 4413.
 *   RS9  when a peer leaves, the presence states it claimed are removed and
 *        everyone else is told at once (PRES2).
 *   RS10 an accepted update is written to the store before it is relayed.
 *   RS11 the log is compacted into one snapshot after compactAfterUpdates rows
 *        or compactAfterBytes bytes, when the room unloads, and on shutdown.
 *   SEC6 each update is integrated once, into the document itself; what it
 *        emits is held back until it is on disk, and an update that throws
 *        halfway is undone by reloading the room from disk. Pending structs
 *        (waiting on missing clocks) are bounded per room.
 *   SEC12 a write the store refuses (quota, full disk, I/O error) closes the
 *        sender with 4507 (a "try again later" code) and changes nothing in
 *        memory either: the room is read back from disk.
 *   SEC15 a presence client id belongs to the connection that first sent a
 *        state for it, until that connection closes or sends null; others'
 *        states for it are dropped, and each connection claims at most a few.
 *   SEC16 new structs under a client id another live connection claimed are
 *        refused (cut out of the update); when that claim ends, the senders
 *        of refused structs are asked to sync again, so nothing honest is lost.
 *   HIST1 HIST2 snapshots for the room's history around accepted updates
 *        (room-snapshots.ts, docs/history.md).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  outdatedTimeout,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import { checkGrabUpdate } from '../../app/sync/doc/grab-update.ts';
import {
  inspectProviderMessage,
  judgeGrowth,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
} from '../../app/sync/gate/update-guard.ts';
import { parsePresence } from '../../app/sync/presence.ts';
import type { Logger } from '../log.ts';
import { TokenBucket } from '../rate-limit.ts';
import { errorText } from '../socket-watch.ts';
import { awarenessMessage, syncStep1Message, syncStep2Message, updateMessage } from './messages.ts';
import type { HistoryPolicy, SnapshotPeople } from './room-history.ts';
import { RoomSnapshots, type SnapshotSink } from './room-snapshots.ts';
import { QuotaError, type RoomLog } from './room-store.ts';
import { compareStreamIds } from './stream-ids.ts';
import { CLOSE_ROLE_REFUSED, ROLE_REFUSED_REASON } from './sync-roles.ts';

/**
 * Where a room's updates are kept: the SQLite store (one server), or in
 * cluster mode the room's image from Redis, whose `append` hands the update to
 * the main thread to store before anything after it goes out (shard-host.ts).
 */
export interface RoomJournal {
  load(room: string): RoomLog;
  /** Durable when it returns (SQLite), or ordered before every later output (cluster). */
  append(room: string, update: Uint8Array, roomQuotaBytes: number, origin: number): number;
  compact(room: string, snapshot: Uint8Array, upToSeq: number): number;
  markUsed(room: string): void;
}

/** Where a room's messages go: the shard host turns these into socket sends. */
export interface RoomOutput {
  send(conn: number, message: Uint8Array): void;
  /** Cluster mode: presence entries this instance's connections own, for the other instances. */
  presence?(update: Uint8Array): void;
  /** To every connection of the room except `except`. */
  broadcast(message: Uint8Array, except?: number): void;
  /** SEC15: someone else claims an id `conn` holds; make sure `conn` is still alive. */
  challenge(conn: number): void;
}

export interface Violation {
  code: number;
  /** A fixed sentence of this file, never text from the peer (SEC3). */
  reason: string;
}

/**
 * SEC11: a Y.Doc in memory takes about this many times its encoded size
 * (measured: 10.4x for the 1,000-line late-join room, 12.3x for a script of
 * 20,000 scattered edits); the server-wide budget counts memory, not bytes on disk.
 */
const IN_MEMORY_FACTOR = 12;

/** Close codes in y-websocket's "do not reconnect" range (4400-4499). */
const CLOSE_MALFORMED = 4400;
const CLOSE_TOO_LARGE = 4413;
/** Storage trouble, in the "try again later" range (4500-4599): the client reconnects with backoff. */
export const CLOSE_STORAGE = 4507;
/** SEC9: the room computed too many sync replies just now; try again later. */
const CLOSE_BUSY = 4503;

export interface LiveRoomOptions {
  compactAfterUpdates: number;
  compactAfterBytes: number;
  /** RS8/SEC10/SEC12: what the room may hold, in memory and on disk. */
  maxRoomBytes: number;
  /** SEC6: bytes of structs waiting on missing clocks. */
  maxPendingBytes: number;
  /** SEC15: presence client ids one connection may claim. */
  maxPresencePerConnection: number;
  /**
   * Cluster mode: the room came from Redis and its updates go back there;
   * compaction is done once per room by the cluster, never here.
   */
  clustered?: boolean;
  /** Full sync replies (sync step 2 to a step 1) per connection per minute, with a burst of the same. */
  syncRepliesPerMinute: number;
  /**
   * SEC9: bytes of sync replies the room computes per second for clients that
   * already hold part of it (the whole room is one shared copy, see `fullReply`).
   */
  syncReplyBytesPerSecond: number;
  /** HIST1-HIST3 (docs/history.md): when snapshots are taken and kept; absent: none. */
  history?: HistoryPolicy;
}

interface Peer {
  /** SEC15: the presence client ids this connection claimed. */
  claims: Set<number>;
  syncReplies: TokenBucket;
}

export class LiveRoom {
  doc: Y.Doc;
  /** Presence, on a document of its own so reloading the room's document keeps it. */
  readonly awareness = new Awareness(new Y.Doc());
  readonly peers = new Map<number, Peer>();
  /** When the last peer left (for unloading idle rooms). */
  emptySince = Date.now();
  /** SEC15: client id -> the connection that claimed it; in cluster mode -instance for another instance's. */
  private readonly owners = new Map<number, number>();
  /** Cluster mode: the last stream entry integrated (from the image or another instance). */
  lastId = '0-0';
  /** Cluster mode: the copy here failed halfway and must be dropped, not written or served. */
  broken = false;
  /** SEC16: client id -> connections whose structs under it were refused. */
  private readonly refused = new Map<number, Set<number>>();
  private readonly presenceBytes = new Map<number, number>();
  private lastSeq = 0;
  private rowsSinceCompaction = 0;
  private bytesSinceCompaction = 0;
  /** Updates the document emitted during an apply, held until they are on disk (SEC6). */
  private held: Uint8Array[] | undefined;
  /**
   * SEC9: the whole room as one sync reply, in shared memory, and the updates
   * accepted since it was encoded (sent before it): every client that asks for
   * everything (a late joiner, or a hundred sockets that ask and never read)
   * gets the same bytes, so a five-byte request costs neither an encoding nor
   * a copy. Encoded again once the updates since outgrow a quarter of it.
   */
  private fullReply: { message: Uint8Array; since: Uint8Array[]; sinceBytes: number } | undefined;
  private readonly replyBytes: TokenBucket;
  /** HIST1, HIST2: the room's snapshots; absent in cluster mode (docs/history.md). */
  private readonly snapshots: RoomSnapshots | undefined;

  constructor(
    readonly id: string,
    private readonly store: RoomJournal,
    private readonly logger: Logger,
    private readonly options: LiveRoomOptions,
    private readonly output: RoomOutput,
    history?: SnapshotSink,
  ) {
    this.awareness.setLocalState(null);
    // SEC23: y-protocols expires silent states on a timer of its own, which in
    // a shard worker runs outside any job, so what it broadcast was never sent.
    // The shard's tick job expires them instead (expirePresence).
    clearInterval(this.awareness._checkInterval);
    if (history && options.history) this.snapshots = new RoomSnapshots(id, history, options.history, logger);
    this.replyBytes = new TokenBucket(options.syncReplyBytesPerSecond, 4 * options.syncReplyBytesPerSecond);
    this.doc = this.load();
    store.markUsed(id);
    if (this.rowsSinceCompaction > 1 && !options.clustered) this.compact();
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /** Bytes the room holds: its stored log, pending structs and presence states (SEC10). */
  get heldBytes(): number {
    let presence = 0;
    for (const bytes of this.presenceBytes.values()) presence += bytes;
    return this.bytesSinceCompaction + this.pendingBytes + presence;
  }

  /** SEC11: an estimate of the memory the room takes (its document in memory, pending structs, presence). */
  get memoryBytes(): number {
    return this.heldBytes + (IN_MEMORY_FACTOR - 1) * this.bytesSinceCompaction;
  }

  get storedBytes(): number {
    return this.bytesSinceCompaction;
  }

  get pendingBytes(): number {
    const { pendingStructs, pendingDs } = this.doc.store;
    return (pendingStructs?.update.byteLength ?? 0) + (pendingDs?.byteLength ?? 0);
  }

  /** The presence ids each connection claims (tests, RS9). */
  claimsOf(conn: number): number[] {
    return [...(this.peers.get(conn)?.claims ?? [])];
  }

  join(conn: number): void {
    const perMinute = this.options.syncRepliesPerMinute;
    this.peers.set(conn, { claims: new Set(), syncReplies: new TokenBucket(perMinute / 60, perMinute) });
    this.output.send(conn, syncStep1Message(this.doc));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) this.output.send(conn, awarenessMessage(this.awareness, states));
  }

  /** RS9, SEC15, SEC16: forgets the peer, its presence and its claims. */
  leave(conn: number): void {
    const peer = this.peers.get(conn);
    if (!peer) return;
    this.peers.delete(conn);
    for (const senders of this.refused.values()) senders.delete(conn);
    const gone = [...peer.claims];
    for (const clientId of gone) this.release(clientId);
    if (gone.length > 0) {
      removeAwarenessStates(this.awareness, gone, 'leave');
      // Cluster mode: the other instances' connections learn it too (RS9).
      this.output.presence?.(encodeAwarenessUpdate(this.awareness, gone));
    }
    for (const clientId of gone) this.awareness.meta.delete(clientId);
    if (this.peers.size === 0) this.emptySince = Date.now();
  }

  /**
   * Handles one binary frame; returns the violation that must close the
   * socket, if any. `grabOnly`: a viewer's update where viewers may grab,
   * taken only if every change in it is a grab's (docs/roles.md ROLE11).
   */
  receive(conn: number, message: Uint8Array, grabOnly = false): Violation | undefined {
    if (!this.peers.has(conn)) return undefined;
    const verdict = inspectProviderMessage(message);
    if (!verdict.ok) {
      this.logger.info('room', 'refused a message', { room: this.id, detail: verdict.message });
      return verdict.reason === 'too-large'
        ? { code: CLOSE_TOO_LARGE, reason: 'message too large' }
        : { code: CLOSE_MALFORMED, reason: 'malformed message' };
    }
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) return this.receiveSync(conn, decoder, grabOnly);
    if (type === MESSAGE_AWARENESS) return this.receiveAwareness(conn, decoding.readVarUint8Array(decoder));
    if (type === MESSAGE_QUERY_AWARENESS) {
      this.output.send(conn, awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
    }
    // MESSAGE_AUTH and y-webrtc-only types carry nothing the server acts on.
    return undefined;
  }

  /**
   * SEC23: removes the presence states nobody renewed for y-protocols'
   * `outdatedTimeout` (30 s), as its own timer would, and tells the room's
   * connections. Runs in the shard's tick job, so the removal is sent. The ids
   * stay claimed by their connections (SEC15): a renewal brings them back.
   */
  expirePresence(now = Date.now()): void {
    const gone: number[] = [];
    for (const [clientId, meta] of this.awareness.meta) {
      if (now - meta.lastUpdated >= outdatedTimeout && this.awareness.states.has(clientId)) gone.push(clientId);
    }
    if (gone.length === 0) return;
    for (const clientId of gone) this.presenceBytes.delete(clientId);
    removeAwarenessStates(this.awareness, gone, 'timeout');
  }

  /** RS11: folds the update log into one snapshot row. Throws what the store throws. */
  compact(): void {
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    this.lastSeq = this.store.compact(this.id, snapshot, this.lastSeq);
    this.rowsSinceCompaction = 1;
    this.bytesSinceCompaction = snapshot.byteLength;
  }

  /** Compacts (if the log has grown) and frees the room; a failed compaction keeps the log as it is. */
  unload(): void {
    if (this.rowsSinceCompaction > 1 && !this.options.clustered) {
      try {
        this.compact();
      } catch (error) {
        this.logger.error('room', 'compaction failed; the update log is kept', {
          room: this.id,
          error: errorText(error),
        });
      }
    }
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.doc.destroy();
    this.awareness.destroy();
    this.detach(this.doc);
    this.doc.destroy();
  }

  private load(): Y.Doc {
    const doc = new Y.Doc();
    const log = this.store.load(this.id);
    for (const update of log.updates) {
      try {
        Y.applyUpdate(doc, update);
      } catch (error) {
        this.logger.error('room', 'skipping a stored update that does not apply', {
          room: this.id,
          error: errorText(error),
        });
      }
    }
    this.lastSeq = log.lastSeq;
    this.rowsSinceCompaction = log.updates.length;
    this.bytesSinceCompaction = log.bytes;
    doc.on('update', this.onDocUpdate);
    return doc;
  }

  private detach(doc: Y.Doc): void {
    doc.off('update', this.onDocUpdate);
  }

  /** SEC6/SEC12: throws away what is in memory and reads the room back from disk. */
  private reload(): void {
    this.fullReply = undefined;
    if (this.options.clustered) {
      // The image this room came from is older than what Redis holds now: the shard drops the room instead.
      this.broken = true;
      return;
    }
    const previous = this.doc;
    this.detach(previous);
    this.doc = this.load();
    previous.destroy();
  }

  private receiveSync(conn: number, decoder: decoding.Decoder, grabOnly: boolean): Violation | undefined {
    const subtype = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (subtype === SYNC_STEP1) {
      // A five-byte request is answered with the whole room: bounded per connection (SEC9).
      if (!this.peers.get(conn)?.syncReplies.take()) return { code: 4429, reason: 'too many sync requests' };
      if (this.knowsNothing(payload)) {
        const whole = this.wholeRoomReply();
        // The updates since go first: the client holds them (waiting on the room) until the
        // step 2 with the room arrives, so it is complete the moment it counts itself synced.
        for (const update of whole.since) this.output.send(conn, update);
        this.output.send(conn, whole.message);
        return undefined;
      }
      const reply = syncStep2Message(this.doc, payload);
      if (!this.replyBytes.take(reply.byteLength)) return { code: CLOSE_BUSY, reason: 'server busy, try again later' };
      this.output.send(conn, reply);
      return undefined;
    }
    if (grabOnly) {
      const check = checkGrabUpdate(this.doc, payload);
      if (!check.ok) {
        this.logger.info('room', "refused a viewer's update that is not only a grab", {
          room: this.id,
          detail: check.reason,
        });
        return { code: CLOSE_ROLE_REFUSED, reason: ROLE_REFUSED_REASON };
      }
    }
    return this.integrate(conn, payload);
  }

  /** True when the state vector `payload` names nothing this room has (a fresh client). */
  private knowsNothing(payload: Uint8Array): boolean {
    for (const [client, clock] of Y.decodeStateVector(payload)) {
      if (clock > 0 && Y.getState(this.doc.store, client) > 0) return false;
    }
    return true;
  }

  private wholeRoomReply(): NonNullable<LiveRoom['fullReply']> {
    if (!this.fullReply) {
      this.fullReply = { message: shared(syncStep2Message(this.doc, new Uint8Array([0]))), since: [], sinceBytes: 0 };
    }
    return this.fullReply;
  }

  /** Keeps the cached whole-room reply current with an accepted update's message. */
  private extendFullReply(message: Uint8Array): void {
    const reply = this.fullReply;
    if (!reply) return;
    // Shared memory: the shard sends these many times and must never hand them over (transfer) once.
    reply.since.push(shared(message));
    reply.sinceBytes += message.byteLength;
    if (reply.since.length > 256 || reply.sinceBytes > Math.max(64 * 1024, reply.message.byteLength / 4)) {
      this.fullReply = undefined;
    }
  }

  /** SEC6, SEC10, SEC12, SEC16: one update from `conn`, integrated once. */
  private integrate(conn: number, received: Uint8Array): Violation | undefined {
    const update = this.withoutOthersStructs(conn, received);
    if (update === undefined) return undefined;
    const growth = judgeGrowth(this.doc, update);
    if (!growth.ok) return { code: CLOSE_TOO_LARGE, reason: 'update would pass the room limits' };
    if (this.heldBytes + update.byteLength > this.options.maxRoomBytes) {
      if (this.rowsSinceCompaction > 1 && !this.options.clustered) this.tryCompact();
      if (this.heldBytes + update.byteLength > this.options.maxRoomBytes) {
        return { code: CLOSE_TOO_LARGE, reason: 'room is over its size limit' };
      }
    }
    const store = this.doc.store;
    const pendingBefore = store.pendingStructs
      ? { missing: new Map(store.pendingStructs.missing), update: store.pendingStructs.update }
      : null;
    const pendingDsBefore = store.pendingDs;
    const wipe = this.snapshots?.beforeUpdate(this.doc, update, () => this.people());
    this.held = [];
    try {
      Y.applyUpdate(this.doc, update, conn);
    } catch (error) {
      // Yjs keeps what it integrated before throwing; the disk does not have it.
      this.held = undefined;
      this.logger.warn('room', 'an update failed halfway; reloading the room from disk', {
        room: this.id,
        error: errorText(error),
      });
      this.reload();
      return { code: CLOSE_MALFORMED, reason: 'update does not integrate' };
    }
    const emitted = this.held;
    this.held = undefined;
    let violation: Violation | undefined;
    if (this.pendingBytes > this.options.maxPendingBytes) {
      // What did integrate stays; the new structs waiting on missing clocks go.
      this.doc.store.pendingStructs = pendingBefore;
      this.doc.store.pendingDs = pendingDsBefore;
      violation = { code: CLOSE_TOO_LARGE, reason: 'too many structs wait on missing updates' };
    }
    for (const part of emitted) {
      const stored = this.persist(part, conn);
      if (stored) return stored;
      const message = updateMessage(part);
      this.extendFullReply(message);
      this.output.broadcast(message, conn);
    }
    if (wipe && emitted.length > 0) this.snapshots?.afterUpdate(this.doc, wipe, this.people(conn));
    if (
      !this.options.clustered &&
      (this.rowsSinceCompaction >= this.options.compactAfterUpdates ||
        this.bytesSinceCompaction >= this.options.compactAfterBytes)
    ) {
      this.tryCompact();
    }
    return violation;
  }

  /** RS10, SEC12: appends an emitted update; on refusal the room is read back from disk. */
  private persist(update: Uint8Array, conn: number): Violation | undefined {
    try {
      this.lastSeq = this.store.append(this.id, update, this.options.maxRoomBytes, conn);
    } catch (error) {
      const quota = error instanceof QuotaError;
      this.logger[quota ? 'warn' : 'error']('room', 'refusing a write the store did not take', {
        room: this.id,
        error: errorText(error),
      });
      this.reload();
      return { code: CLOSE_STORAGE, reason: quota ? 'server storage quota reached' : 'server storage unavailable' };
    }
    this.rowsSinceCompaction++;
    this.bytesSinceCompaction += update.byteLength;
    return undefined;
  }

  private tryCompact(): void {
    try {
      this.compact();
    } catch (error) {
      this.logger.error('room', 'compaction failed; the update log is kept', {
        room: this.id,
        error: errorText(error),
      });
    }
  }

  /**
   * SEC16: `received` without the structs it carries under client ids that
   * another live connection claims, or undefined when nothing is left. Old
   * structs (already here) are harmless duplicates and are cut out too.
   */
  private withoutOthersStructs(conn: number, received: Uint8Array): Uint8Array | undefined {
    const foreign: number[] = [];
    for (const [client, end] of Y.parseUpdateMeta(received).to) {
      const owner = this.owners.get(client);
      if (owner === undefined || owner === conn || end <= Y.getState(this.doc.store, client)) continue;
      foreign.push(client);
    }
    if (foreign.length === 0) return received;
    const cut = new Map<number, number>();
    for (const client of foreign) {
      cut.set(client, Number.MAX_SAFE_INTEGER);
      let senders = this.refused.get(client);
      if (!senders) {
        senders = new Set();
        this.refused.set(client, senders);
      }
      senders.add(conn);
    }
    this.logger.info('room', 'refused structs written under another connection\u2019s client id', {
      room: this.id,
      clients: foreign.length,
    });
    const rest = Y.diffUpdate(received, Y.encodeStateVector(cut));
    const meta = Y.parseUpdateMeta(rest);
    const empty = meta.to.size === 0 && Y.decodeUpdate(rest).ds.clients.size === 0;
    return empty ? undefined : rest;
  }

  /** SEC15: keeps only the entries `conn` may speak for, and applies them. */
  private receiveAwareness(conn: number, update: Uint8Array): Violation | undefined {
    const peer = this.peers.get(conn);
    if (!peer) return undefined;
    if (this.heldBytes + update.byteLength > this.options.maxRoomBytes) {
      return { code: CLOSE_TOO_LARGE, reason: 'room is over its size limit' };
    }
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const kept = encoding.createEncoder();
    let keptCount = 0;
    const body = encoding.createEncoder();
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      const owner = this.owners.get(clientId);
      if (owner !== undefined && owner !== conn) {
        if (owner >= 0) this.output.challenge(owner);
        continue;
      }
      if (json === 'null') {
        if (owner !== conn) continue;
      } else if (owner === undefined) {
        if (peer.claims.size >= this.options.maxPresencePerConnection) continue;
        peer.claims.add(clientId);
        this.owners.set(clientId, conn);
      }
      encoding.writeVarUint(body, clientId);
      encoding.writeVarUint(body, clock);
      encoding.writeVarString(body, json);
      keptCount++;
      if (json === 'null') {
        this.presenceBytes.delete(clientId);
      } else {
        this.presenceBytes.set(clientId, json.length);
      }
    }
    if (keptCount === 0) return undefined;
    encoding.writeVarUint(kept, keptCount);
    encoding.writeUint8Array(kept, encoding.toUint8Array(body));
    const keptUpdate = encoding.toUint8Array(kept);
    applyAwarenessUpdate(this.awareness, keptUpdate, conn);
    this.output.presence?.(keptUpdate);
    for (const clientId of [...peer.claims]) {
      if (!this.awareness.getStates().has(clientId)) {
        peer.claims.delete(clientId);
        this.release(clientId);
        this.awareness.meta.delete(clientId);
      }
    }
    return undefined;
  }

  /**
   * Cluster mode: an update another instance stored under stream id `id`
   * (checked there). Integrated and sent to this instance's connections;
   * entries this room already has (from its image) are skipped.
   */
  applyRemote(id: string, update: Uint8Array): void {
    if (compareStreamIds(id, this.lastId) <= 0) return;
    this.lastId = id;
    this.held = [];
    try {
      Y.applyUpdate(this.doc, update, 'remote');
    } catch (error) {
      this.held = undefined;
      this.logger.error('room', 'an update from another instance does not integrate; dropping the room here', {
        room: this.id,
        error: errorText(error),
      });
      this.broken = true;
      return;
    }
    const emitted = this.held;
    this.held = undefined;
    this.bytesSinceCompaction += update.byteLength;
    for (const part of emitted) {
      const message = updateMessage(part);
      this.extendFullReply(message);
      this.output.broadcast(message);
    }
  }

  /** Cluster mode: the room's stored size after a compaction somewhere in the cluster. */
  setStoredBytes(bytes: number): void {
    this.bytesSinceCompaction = bytes;
  }

  /**
   * Cluster mode, SEC15 across instances: presence entries owned by
   * connections of `instance`. An id owned here (or by a third instance) stays
   * with its owner; the rest are applied and sent to this instance's connections.
   */
  applyRemotePresence(instance: number, update: Uint8Array): void {
    const remoteOwner = -instance;
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const body = encoding.createEncoder();
    let keptCount = 0;
    const released: number[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      const owner = this.owners.get(clientId);
      if (owner !== undefined && owner !== remoteOwner) continue;
      if (json === 'null') {
        if (owner !== remoteOwner) continue;
        released.push(clientId);
      } else {
        this.owners.set(clientId, remoteOwner);
        this.presenceBytes.set(clientId, json.length);
      }
      encoding.writeVarUint(body, clientId);
      encoding.writeVarUint(body, clock);
      encoding.writeVarString(body, json);
      keptCount++;
    }
    if (keptCount === 0) return;
    const kept = encoding.createEncoder();
    encoding.writeVarUint(kept, keptCount);
    encoding.writeUint8Array(kept, encoding.toUint8Array(body));
    applyAwarenessUpdate(this.awareness, encoding.toUint8Array(kept), 'remote');
    for (const clientId of released) {
      this.release(clientId);
      this.awareness.meta.delete(clientId);
    }
  }

  /** Cluster mode: every presence state this instance's connections own (answering another instance's query). */
  ownPresence(): Uint8Array | undefined {
    const ids = [...this.owners].filter(([, owner]) => owner >= 0).map(([clientId]) => clientId);
    if (ids.length === 0) return undefined;
    return encodeAwarenessUpdate(this.awareness, ids);
  }

  /** Cluster mode (RS9 across instances): the connections of a dead instance have left. */
  instanceGone(instance: number): void {
    const gone = [...this.owners].filter(([, owner]) => owner === -instance).map(([clientId]) => clientId);
    if (gone.length === 0) return;
    for (const clientId of gone) this.release(clientId);
    removeAwarenessStates(this.awareness, gone, 'remote');
    for (const clientId of gone) this.awareness.meta.delete(clientId);
  }

  /** Names in the room's presence, and (HIST2) those the connection `by` claims: who was editing. */
  private people(by?: number): SnapshotPeople {
    const nameOf = (state: unknown) => parsePresence(state)?.name;
    const states = this.awareness.getStates();
    const present = [...states.values()].map(nameOf).filter((name) => name !== undefined);
    const claims = by === undefined ? [] : [...(this.peers.get(by)?.claims ?? [])];
    const byNames = claims.map((clientId) => nameOf(states.get(clientId))).filter((name) => name !== undefined);
    return { present: [...new Set(present)].sort(), by: byNames };
  }

  /** SEC15/SEC16: `clientId` is nobody's now; whoever was refused under it syncs again. */
  private release(clientId: number): void {
    this.owners.delete(clientId);
    this.presenceBytes.delete(clientId);
    const senders = this.refused.get(clientId);
    if (!senders) return;
    this.refused.delete(clientId);
    const request = syncStep1Message(this.doc);
    for (const conn of senders) if (this.peers.has(conn)) this.output.send(conn, request);
  }

  private readonly onDocUpdate = (update: Uint8Array) => {
    if (this.held) this.held.push(update);
    else this.logger.error('room', 'the document changed outside an update', { room: this.id });
  };

  private readonly onAwarenessUpdate = ({
    added,
    updated,
    removed,
  }: {
    added: number[];
    updated: number[];
    removed: number[];
  }) => {
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    // Echoed to the sender too: the y-websocket client treats 30 s without any
    // message as a dead connection, and a lone client only hears its own presence.
    this.output.broadcast(awarenessMessage(this.awareness, changed));
  };
}

/** A copy of `bytes` in shared memory: posted to the main thread any number of times, never moved or copied. */
function shared(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  copy.set(bytes);
  return copy;
}
