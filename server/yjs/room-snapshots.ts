/**
 * When a live room's document is worth a snapshot (docs/history.md):
 *   HIST1 while the room changes, at most one periodic snapshot every
 *         `everyMs`: the room as it was just before the first accepted update
 *         after that time (a quiet room takes none);
 *   HIST2 before a large deletion is stored: an update that leaves the script
 *         with less than half of its text (of at least 16 characters), or the
 *         room with less than half of its object states (of at least 4), is
 *         preceded in the history by the room as it was before it.
 * Detecting HIST2 is cheap: only an update whose delete set is large enough to
 * do that is a candidate, and only for a candidate is the room encoded before
 * the update is applied.
 */
import * as Y from 'yjs';
import { RoomDoc } from '../../app/sync/doc/room-doc.ts';
import type { Logger } from '../log.ts';
import { errorText } from '../socket-watch.ts';
import type { HistoryPolicy, SnapshotPeople, SnapshotReason } from './room-history.ts';

/** Where snapshots go: the SQLite store (one server), or in cluster mode the main thread, which keeps them in Redis. */
export interface SnapshotSink {
  /** The snapshot's id, undefined when it was not kept (too large, store full), or 'handed-on' to be kept elsewhere. */
  keepSnapshot(
    room: string,
    snapshot: Uint8Array,
    reason: SnapshotReason,
    people: SnapshotPeople,
    policy: HistoryPolicy,
  ): number | 'handed-on' | undefined;
  newestSnapshotAt(room: string): number | undefined;
}

/** HIST2: below these, a deletion is ordinary editing. */
const WIPE_MIN_SCRIPT_CHARS = 16;
const WIPE_MIN_OBJECTS = 4;

interface Sizes {
  script: number;
  objects: number;
}

/** A candidate wipe: the room before the update, to keep if the update turns out to be one. */
export interface WipeCandidate {
  before: Uint8Array;
  sizes: Sizes;
}

function sizesOf(doc: Y.Doc): Sizes {
  const room = new RoomDoc(doc);
  return { script: room.scriptLength, objects: room.objectCount };
}

/**
 * Clock units the update deletes (characters of text, entries of maps). A
 * (version 1) update ends with its delete set, whose last number is a
 * deletion's length (at least 1) or, when it deletes nothing, the count of
 * clients 0: so an update whose last byte is 0 deletes nothing, and typing
 * is told apart without decoding.
 */
function deletedLength(update: Uint8Array): number {
  if (update[update.length - 1] === 0) return 0;
  let total = 0;
  for (const items of Y.decodeUpdate(update).ds.clients.values()) for (const item of items) total += item.len;
  return total;
}

/** HIST2: whether going from `before` to `after` deleted more than half of the script or of the objects. */
function isWipe(before: Sizes, after: Sizes): boolean {
  const script = before.script >= WIPE_MIN_SCRIPT_CHARS && after.script * 2 < before.script;
  const objects = before.objects >= WIPE_MIN_OBJECTS && after.objects * 2 < before.objects;
  return script || objects;
}

export class RoomSnapshots {
  private newestAt: number | undefined;

  constructor(
    private readonly room: string,
    private readonly sink: SnapshotSink,
    private readonly policy: HistoryPolicy,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.newestAt = sink.newestSnapshotAt(room);
  }

  /**
   * Called before an accepted update is applied to `doc`: takes the periodic
   * snapshot when one is due (HIST1), and returns the room as it is when the
   * update may be a wipe (HIST2), for `afterUpdate`.
   */
  beforeUpdate(doc: Y.Doc, update: Uint8Array, people: () => SnapshotPeople): WipeCandidate | undefined {
    const now = this.now();
    const empty = doc.store.clients.size === 0;
    if (this.policy.everyMs > 0 && (this.newestAt === undefined || now - this.newestAt >= this.policy.everyMs)) {
      // An empty room starts the clock instead: its first snapshot holds what its first minutes made.
      if (!empty) this.keep(Y.encodeStateAsUpdate(doc), 'periodic', people());
      this.newestAt = now;
    }
    if (empty) return undefined;
    // Typing deletes nothing: most updates end here, before the room is measured.
    const deleted = deletedLength(update);
    if (deleted === 0) return undefined;
    const sizes = sizesOf(doc);
    const enough = Math.min(
      sizes.script >= WIPE_MIN_SCRIPT_CHARS ? sizes.script / 2 : Number.POSITIVE_INFINITY,
      sizes.objects >= WIPE_MIN_OBJECTS ? sizes.objects / 2 : Number.POSITIVE_INFINITY,
    );
    if (deleted < enough) return undefined;
    return { before: Y.encodeStateAsUpdate(doc), sizes };
  }

  /** Called once the update is applied and stored: keeps the room as it was if the update was a wipe (HIST2). */
  afterUpdate(doc: Y.Doc, candidate: WipeCandidate, people: SnapshotPeople): void {
    if (!isWipe(candidate.sizes, sizesOf(doc))) return;
    this.keep(candidate.before, 'wipe', people);
    this.newestAt = this.now();
  }

  private keep(snapshot: Uint8Array, reason: SnapshotReason, people: SnapshotPeople): void {
    try {
      const id = this.sink.keepSnapshot(this.room, snapshot, reason, people, this.policy);
      if (id === undefined) {
        this.logger.warn('history', 'a snapshot was not kept: too large or the store is full', {
          room: this.room,
          bytes: snapshot.byteLength,
        });
      }
    } catch (error) {
      // History is a safety net: failing to write it never refuses an edit.
      this.logger.error('history', 'writing a snapshot failed', { room: this.room, error: errorText(error) });
    }
  }
}
