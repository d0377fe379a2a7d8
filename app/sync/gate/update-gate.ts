/**
 * The gate every remote update passes before it reaches a room's Y.Doc.
 *
 * Decoding alone is not enough: an update can decode and still throw halfway
 * through integration (an origin that points nowhere), and Yjs would keep the
 * half it had integrated. So the gate first applies the update to a shadow
 * copy of the document; only if that succeeds does the real document get it.
 * A shadow that threw may be damaged, so it is rebuilt from the real document.
 *
 * Cost: one more copy of the document in memory and every update integrated
 * twice (microseconds for a keystroke; see bench/sync.bench.ts for a full load).
 * An update the document already holds whole (TRN29: every struct and deletion
 * within its state vector, such as a peer echoing back the document it was
 * sent) cannot fail or leave anything pending, so it skips the trial; the
 * shadow follows whatever it changes through the document's own update event.
 *
 * The shadow follows the document through the document's update event, except
 * for the one update after a trial (TRN34): y-webrtc applies what the gate
 * passed itself, and that update is the one the trial just put in the shadow.
 * For a newcomer's sync step 2 (the whole room) a second integration into the
 * shadow cost as much as the trial.
 *
 * @example
 *   const gate = new UpdateGate(doc);
 *   const verdict = gate.check(update); // the shadow now holds it
 *   if (verdict.ok) Y.applyUpdate(doc, update, provider);
 */
import * as Y from 'yjs';
import { MAX_UPDATE_BYTES } from '../doc/limits.ts';
import { type DecodedUpdate, holdsAll, judgeGrowth, readUpdate, type Verdict } from './update-guard.ts';

export interface GateStats {
  accepted: number;
  rejected: number;
  /** Times the shadow was rebuilt after a failed trial. */
  rebuilds: number;
  /** Times unintegrated (pending) structs had to be dropped to recover (a resync brings them back). */
  droppedPending: number;
  /** Accepted updates the document already held whole, passed without a trial (TRN29). */
  held: number;
  /** Document updates applied to the shadow afterwards (local edits and held updates; not those tried, TRN34). */
  mirrored: number;
}

export class UpdateGate {
  readonly stats: GateStats = { accepted: 0, rejected: 0, rebuilds: 0, droppedPending: 0, held: 0, mirrored: 0 };
  private shadow: Y.Doc;
  /**
   * TRN34: the update the last trial put in the shadow is yet to reach the document. The caller
   * applies it in the same task (y-webrtc's handler runs right after the guard), so this lasts
   * until the document's next remote update or the end of the task, whichever comes first.
   */
  private triedNotApplied = false;
  private readonly mirror = (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    // The update the gate just tried is already in the shadow; a local edit made meanwhile is not.
    if (this.triedNotApplied && !transaction.local) {
      this.triedNotApplied = false;
      return;
    }
    this.stats.mirrored++;
    try {
      Y.applyUpdate(this.shadow, update);
    } catch {
      this.rebuild();
    }
  };

  constructor(
    readonly doc: Y.Doc,
    private readonly maxUpdateBytes = MAX_UPDATE_BYTES,
  ) {
    this.shadow = this.copyOfDoc();
    doc.on('update', this.mirror);
  }

  /**
   * Validates and trial-applies `update`; on `ok` the caller applies it to the
   * real document (or calls `apply`). Never throws.
   */
  check(update: Uint8Array): Verdict {
    const read = readUpdate(update, this.maxUpdateBytes);
    if (!read.ok) return this.reject(read);
    return this.checkRead(update, read.decoded);
  }

  /**
   * `check` for an update the caller already read with `readUpdate` (a 152 KB
   * document is then decoded once per message, TRN29). Never throws.
   */
  checkRead(update: Uint8Array, decoded: DecodedUpdate): Verdict {
    // Pending structs may poison any integration (see below): only a clean document skips the trial.
    const clean = this.doc.store.pendingStructs === null && this.doc.store.pendingDs === null;
    if (clean && holdsAll(this.doc, decoded)) {
      this.stats.held++;
      return this.accept();
    }
    // CAP6: the script and object limits hold for remote updates too, not only local writes.
    const growth = judgeGrowth(this.doc, decoded);
    if (!growth.ok) return this.reject(growth);
    if (this.tryShadow(update)) return this.acceptTried();
    this.rebuild();
    if (this.tryShadow(update)) return this.acceptTried();
    // The real document may hold pending structs that poison every later
    // update; drop them (a resync brings honest ones back) and try once more.
    if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) {
      this.doc.store.pendingStructs = null;
      this.doc.store.pendingDs = null;
      this.stats.droppedPending++;
      this.rebuild();
      if (this.tryShadow(update)) return this.acceptTried();
      this.rebuild();
    }
    return this.reject({ ok: false, reason: 'malformed', message: 'update does not integrate into the document' });
  }

  /** `check`, then apply to the real document with `origin`. */
  apply(update: Uint8Array, origin: unknown): Verdict {
    const verdict = this.check(update);
    if (!verdict.ok) return verdict;
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (error) {
      // Only reachable if the shadow and the document disagree; keep them equal again.
      this.rebuild();
      return { ok: false, reason: 'malformed', message: `update failed on the document: ${(error as Error).message}` };
    } finally {
      this.triedNotApplied = false;
    }
    return verdict;
  }

  destroy(): void {
    this.doc.off('update', this.mirror);
    this.shadow.destroy();
  }

  private tryShadow(update: Uint8Array): boolean {
    try {
      Y.applyUpdate(this.shadow, update);
      return true;
    } catch {
      return false;
    }
  }

  private copyOfDoc(): Y.Doc {
    const copy = new Y.Doc({ gc: this.doc.gc });
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(this.doc));
    return copy;
  }

  private rebuild(): void {
    this.shadow.destroy();
    this.stats.rebuilds++;
    try {
      this.shadow = this.copyOfDoc();
    } catch {
      // The document's own pending structs do not merge: drop them.
      this.doc.store.pendingStructs = null;
      this.doc.store.pendingDs = null;
      this.stats.droppedPending++;
      this.shadow = this.copyOfDoc();
    }
  }

  private accept(): Verdict {
    this.stats.accepted++;
    return { ok: true };
  }

  /** `accept` for an update the trial put in the shadow: its arrival in the document is not mirrored (TRN34). */
  private acceptTried(): Verdict {
    this.triedNotApplied = true;
    queueMicrotask(() => {
      this.triedNotApplied = false;
    });
    return this.accept();
  }

  private reject(verdict: Verdict): Verdict {
    this.stats.rejected++;
    return verdict;
  }
}
