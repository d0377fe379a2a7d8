/**
 * Binds a text box to the room's Y.Text (EDIT5-EDIT7, EDIT9): each local input
 * becomes one minimal change in one transaction; a remote change rewrites the
 * box and puts the caret and selection back where they were in the text
 * (Yjs relative positions, so text inserted before them moves them along);
 * undo and redo take back only this person's edits; the caret and selection
 * are published in awareness (`cursor: { anchor, head }` as relative
 * positions, next to presence's `user.name`/`user.color`) while the box has
 * focus.
 *
 * Plain TypeScript over a small `TextSurface` (a textarea has that shape), so
 * Node tests drive it without a DOM.
 *
 * @example
 *   const binding = bindText({ text: room.editorText(), surface: textarea, awareness });
 *   textarea.addEventListener('input', () => binding.syncFromSurface());
 */
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { refuseOverLimit } from './script-size-limit.ts';
import { diffText, type TextChange } from './text-diff.ts';

/** The part of a textarea the binding reads and writes. */
export interface TextSurface {
  value: string;
  readonly selectionStart: number;
  readonly selectionEnd: number;
  readonly selectionDirection: 'forward' | 'backward' | 'none' | null;
  setSelectionRange(start: number, end: number, direction?: 'forward' | 'backward' | 'none'): void;
}

export interface BindTextOptions {
  text: Y.Text;
  surface: TextSurface;
  awareness?: Awareness;
  /** A viewer's box (ROLE7): local changes are put back, never sent. */
  readOnly?: boolean;
  maxChars?: number;
  /** A local edit was refused by the size limit (CAP1). */
  onRefused?(message: string): void;
  /** The box's text changed (`change` in the old text's offsets), locally or from the room. */
  onChange?(change: TextChange, local: boolean): void;
}

export interface TextBinding {
  /** Takes what the box now holds into the shared text (call on each input event outside IME composition). */
  syncFromSurface(): void;
  /**
   * While an IME composes, remote changes wait: rewriting the box would cancel the composition.
   * `holdRemote(false)` commits the composed text once and shows what arrived meanwhile.
   */
  holdRemote(hold: boolean): void;
  /** Publishes the box's caret and selection, or clears them (`focused` false). */
  publishCursor(focused: boolean): void;
  /**
   * The next edit starts a new undo step (EDIT7): the caret moved elsewhere (a click, an arrow, Home). Edits
   * in quick succession are otherwise one step (Yjs's undo manager joins those within 500 ms).
   */
  newUndoGroup(): void;
  undo(): boolean;
  redo(): boolean;
  destroy(): void;
}

type Direction = 'forward' | 'backward' | 'none';

export function bindText(options: BindTextOptions): TextBinding {
  const { text, surface, awareness } = options;
  const doc = text.doc;
  if (!doc) throw new Error('bindText needs a Y.Text that belongs to a Y.Doc');
  // This binding's transactions carry this origin: the undo manager tracks only them.
  const origin = { binding: 'script-editor' };
  const undoManager = new Y.UndoManager(text, { trackedOrigins: new Set([origin]) });
  /** What the box showed when it last matched the shared text. */
  let mirror = text.toString();
  surface.value = mirror;
  let held: { base: string; start: number; at: Y.RelativePosition } | undefined;
  let pendingRemote = false;
  let saved: { anchor: Y.RelativePosition; head: Y.RelativePosition; direction: Direction } | undefined;
  let focused = false;

  const relative = (index: number) => Y.createRelativePositionFromTypeIndex(text, index);
  const absolute = (position: Y.RelativePosition) =>
    Y.createAbsolutePositionFromRelativePosition(position, doc)?.index ?? 0;

  const apply = (change: TextChange) => {
    doc.transact(() => {
      if (change.remove > 0) text.delete(change.from, change.remove);
      if (change.insert) text.insert(change.from, change.insert);
    }, origin);
  };

  const beforeTransaction = (transaction: Y.Transaction) => {
    if (transaction.origin === origin || held) return;
    const backward = surface.selectionDirection === 'backward';
    const anchor = backward ? surface.selectionEnd : surface.selectionStart;
    const head = backward ? surface.selectionStart : surface.selectionEnd;
    saved = { anchor: relative(anchor), head: relative(head), direction: backward ? 'backward' : 'forward' };
  };

  const showShared = (event: Y.YTextEvent | undefined) => {
    const before = mirror;
    mirror = text.toString();
    surface.value = mirror;
    const change = diffText(before, mirror);
    if (event?.transaction.origin === undoManager && change) {
      // Undo and redo put the caret where they changed the text.
      const at = change.from + change.insert.length;
      surface.setSelectionRange(at, at);
    } else if (saved) {
      const anchor = absolute(saved.anchor);
      const head = absolute(saved.head);
      surface.setSelectionRange(Math.min(anchor, head), Math.max(anchor, head), saved.direction);
    }
    saved = undefined;
    if (change) options.onChange?.(change, false);
    if (focused) publishCursor(true);
  };

  const observer = (event: Y.YTextEvent) => {
    if (event.transaction.origin === origin) return;
    if (held) {
      pendingRemote = true;
      return;
    }
    showShared(event);
  };

  doc.on('beforeTransaction', beforeTransaction);
  text.observe(observer);

  function putBack(caret: number) {
    surface.value = mirror;
    surface.setSelectionRange(caret, caret);
  }

  function syncFromSurface() {
    if (held) return;
    const change = diffText(mirror, surface.value, surface.selectionEnd);
    if (!change) return;
    if (options.readOnly) return putBack(change.from);
    const refused = refuseOverLimit(mirror.length, surface.value.length, options.maxChars);
    if (refused) {
      putBack(change.from);
      options.onRefused?.(refused);
      return;
    }
    mirror = surface.value;
    apply(change);
    options.onChange?.(change, true);
    if (focused) publishCursor(true);
  }

  function holdRemote(hold: boolean) {
    if (hold) {
      const start = Math.min(surface.selectionStart, mirror.length);
      if (!held) held = { base: mirror, start, at: relative(start) };
      return;
    }
    if (!held) return;
    const { base, start, at } = held;
    held = undefined;
    const composed = diffText(base, surface.value, surface.selectionEnd);
    if (!pendingRemote) {
      syncFromSurface();
      return;
    }
    pendingRemote = false;
    // Others changed the text meanwhile: the composed text goes where its start moved to.
    // (`mirror` still holds the text from before the composition; the shared text is newer.)
    const shared = text.length;
    const grown = shared + (composed ? composed.insert.length - composed.remove : 0);
    const refused = composed && refuseOverLimit(shared, grown, options.maxChars);
    let caret = surface.selectionEnd;
    if (composed && !options.readOnly && !refused) {
      const offset = Math.max(0, composed.from - start);
      const from = Math.min(absolute(at) + offset, shared);
      apply({ from, remove: Math.min(composed.remove, shared - from), insert: composed.insert });
      caret = from + composed.insert.length;
    }
    if (refused) options.onRefused?.(refused);
    showShared(undefined);
    surface.setSelectionRange(caret, caret);
  }

  function publishCursor(hasFocus: boolean) {
    focused = hasFocus;
    if (!awareness) return;
    if (!hasFocus) {
      if (awareness.getLocalState()?.cursor) awareness.setLocalStateField('cursor', null);
      return;
    }
    const backward = surface.selectionDirection === 'backward';
    const anchor = backward ? surface.selectionEnd : surface.selectionStart;
    const head = backward ? surface.selectionStart : surface.selectionEnd;
    awareness.setLocalStateField('cursor', {
      anchor: Y.relativePositionToJSON(relative(anchor)),
      head: Y.relativePositionToJSON(relative(head)),
    });
  }

  return {
    syncFromSurface,
    holdRemote,
    publishCursor,
    newUndoGroup: () => undoManager.stopCapturing(),
    undo: () => undoManager.undo() !== null,
    redo: () => undoManager.redo() !== null,
    destroy() {
      doc.off('beforeTransaction', beforeTransaction);
      text.unobserve(observer);
      undoManager.destroy();
      // Others stop drawing this person's cursor.
      awareness?.setLocalStateField('cursor', null);
    },
  };
}
