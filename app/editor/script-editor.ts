/**
 * The collaborative script editor (docs/room-doc.md EDIT2-EDIT12): the
 * browser's own textarea (its caret, selection, IME, mobile keyboard,
 * accessibility and find-in-page) over a drawn copy of the text with line
 * numbers, the scene language's colours, live diagnostics and other people's
 * cursors. The textarea is bound to the room's Y.Text (app/editor/text-binding.ts).
 *
 * Plain DOM, no React: app/ui/ScriptEditorPanelContent.tsx adapts it.
 *
 * @example
 *   const editor = createScriptEditor({ parent, text: session.room.editorText(), awareness: session.awareness });
 *   editor.setFontSize(20); // a headset panel
 *   editor.destroy();
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { acceptEdit, type CompletionOption, completionAt } from './completion.ts';
import { CompletionList } from './completion-list.ts';
import { type DiagnosticsSource, diagnosticsRunner, mapDiagnostic, type ScriptDiagnostic } from './diagnostics.ts';
import { element, listen } from './dom.ts';
import { clampFontSize, DEFAULT_FONT_SIZE } from './font-size.ts';
import { type Edit, indentEdit, newlineEdit, typedCharEdit } from './indent.ts';
import { LineView } from './line-view.ts';
import { remoteCursors } from './remote-cursors.ts';
import { bindText } from './text-binding.ts';
import { mapOffset } from './text-diff.ts';

export interface ScriptEditorOptions {
  parent: HTMLElement;
  text: Y.Text;
  awareness: Awareness;
  diagnostics?: DiagnosticsSource;
  onDiagnostics?(list: readonly ScriptDiagnostic[]): void;
  /** A local edit was refused by a limit; show `message` to the person. */
  onLimit?(message: string): void;
  fontSize?: number;
  /** Wrap long lines (narrow panels, headsets). */
  wrap?: boolean;
  /** A viewer of a protected room (docs/roles.md ROLE7): the text cannot be changed here. */
  readOnly?: boolean;
}

export interface ScriptEditor {
  /** The textarea people type into (`data-testid="script-editor-content"`). */
  readonly input: HTMLTextAreaElement;
  setFontSize(px: number): void;
  setWrap(wrap: boolean): void;
  destroy(): void;
}

/** Keys that move the caret: an edit after one of them is a new undo step (EDIT7). */
const CARET_KEYS: ReadonlySet<string> = new Set([
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'Home',
  'End',
  'PageUp',
  'PageDown',
]);

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function createScriptEditor(options: ScriptEditorOptions): ScriptEditor {
  const root = element('div', 'holo-editor');
  const scroller = element('div', 'holo-scroller');
  const sizer = element('div', 'holo-sizer');
  const input = element('textarea', 'holo-input');
  input.setAttribute('aria-label', 'Scene script');
  input.dataset.testid = 'script-editor-content';
  input.spellcheck = false;
  input.autocapitalize = 'off';
  input.setAttribute('autocomplete', 'off');
  input.setAttribute('autocorrect', 'off');
  input.readOnly = options.readOnly === true;
  const tooltip = element('div', 'holo-tooltip');
  tooltip.setAttribute('role', 'tooltip');
  tooltip.hidden = true;
  const status = element('div', 'holo-line-status');
  status.dataset.testid = 'script-line-diagnostics';
  status.setAttribute('aria-live', 'polite');
  const view = new LineView(scroller, sizer);
  const completion = new CompletionList(input, (option) => accept(option));
  sizer.append(input);
  scroller.append(sizer);
  root.append(scroller, tooltip, status, completion.element);
  options.parent.append(root);

  let diagnostics: readonly ScriptDiagnostic[] = [];
  /** Offsets of closing brackets and quotes the editor typed for the person (step over them). */
  let autoClosed = new Set<number>();
  const showDiagnostics = (list: readonly ScriptDiagnostic[]) => {
    diagnostics = list;
    view.setDiagnostics(list);
    showLineStatus();
  };
  const runner = options.diagnostics
    ? diagnosticsRunner(options.diagnostics, {
        onShow: showDiagnostics,
        ...(options.onDiagnostics ? { onResults: options.onDiagnostics } : {}),
      })
    : undefined;

  const binding = bindText({
    text: options.text,
    surface: input,
    awareness: options.awareness,
    readOnly: options.readOnly === true,
    onRefused: (message) => options.onLimit?.(message),
    onChange(change, local) {
      view.setText(input.value);
      // Someone else's change moves the typed word: look again (EDIT12).
      if (!local && completion.isOpen) refreshCompletion(false);
      // A closer stays after what is typed in front of it: `[` `1` leaves `[1|]`.
      autoClosed = new Set([...autoClosed].map((offset) => mapOffset(offset, change, true)));
      if (diagnostics.length > 0) showDiagnostics(diagnostics.map((d) => mapDiagnostic(d, change)));
      runner?.schedule(() => input.value);
      scheduleCursors();
    },
  });
  view.setText(input.value);
  runner?.schedule(() => input.value);

  // The message of the diagnostics on the caret's line, for keyboard and screen-reader users (EDIT4).
  function showLineStatus() {
    const messages = view.messagesAt(input.selectionEnd);
    const text = messages.length > 0 ? `Line ${view.lineOf(input.selectionEnd) + 1}: ${messages.join('; ')}` : '';
    if (status.textContent !== text) status.textContent = text;
  }

  let cursorFrame = 0;
  function scheduleCursors() {
    if (cursorFrame) return;
    cursorFrame = requestAnimationFrame(() => {
      cursorFrame = 0;
      view.drawCursors(remoteCursors(options.awareness, options.text));
    });
  }
  options.awareness.on('change', scheduleCursors);

  const onScroll = () => view.schedulePaint();
  // The textarea is as tall and wide as the text: it never scrolls itself, its scroller does.
  const pinInput = () => {
    input.scrollTop = 0;
    input.scrollLeft = 0;
  };

  /**
   * Offers the words that start with the one before the caret (EDIT11, EDIT12): typing opens the list,
   * deleting only updates an open one, Ctrl-Space (`explicit`) opens it before a word is typed.
   */
  function refreshCompletion(explicit: boolean) {
    const caret = input.selectionEnd;
    const site =
      input.readOnly || input.selectionStart !== caret
        ? null
        : completionAt(input.value, caret, view.stateAt(view.lineOf(caret)), explicit);
    const box = site && view.rangeRects(caret, caret)[0];
    if (!site || !box) {
      completion.close();
      return;
    }
    const origin = root.getBoundingClientRect();
    completion.show(site, box.left - origin.left, box.bottom - origin.top + 2);
  }

  /** Takes `option` (the active one when Enter or Tab is pressed): one change of the shared text (EDIT12). */
  function accept(option?: CompletionOption) {
    const current = completion.current();
    if (!current) return;
    binding.newUndoGroup();
    applyEdit(acceptEdit(input.value, current.site, option ?? current.option));
  }

  let composing = false;
  const onInput = (event: Event) => {
    if (composing || (event as InputEvent).isComposing) return;
    binding.syncFromSurface();
    const typed = (event as InputEvent).inputType?.startsWith('insert') === true;
    if (typed || completion.isOpen) refreshCompletion(false);
  };
  const onCompositionStart = () => {
    composing = true;
    binding.holdRemote(true);
  };
  const onCompositionEnd = () => {
    composing = false;
    // The composed text goes into the shared text once (EDIT5).
    binding.holdRemote(false);
  };

  function applyEdit(edit: Edit | null) {
    completion.close();
    if (!edit || input.readOnly) return;
    input.setRangeText(edit.insert, edit.from, edit.to);
    input.setSelectionRange(edit.selectionStart, edit.selectionEnd);
    binding.syncFromSurface();
  }

  /** Tab indents once the person has typed or clicked here; a keyboard user passing through moves on (EDIT8, ACC3). */
  let tabIndents = false;
  const onKeyDown = (event: KeyboardEvent) => {
    if (composing || event.isComposing) return;
    if (CARET_KEYS.has(event.key)) binding.newUndoGroup();
    const mod = isMac() ? event.metaKey : event.ctrlKey;
    const key = event.key.toLowerCase();
    if (event.ctrlKey && event.key === ' ') {
      event.preventDefault();
      refreshCompletion(true);
      return;
    }
    if (completion.isOpen && onCompletionKey(event)) {
      event.preventDefault();
      return;
    }
    if (mod && !event.altKey && (key === 'z' || key === 'y')) {
      event.preventDefault();
      if (input.readOnly) return;
      if (key === 'y' || event.shiftKey) binding.redo();
      else binding.undo();
      return;
    }
    if (event.key === 'Escape') {
      tabIndents = false;
      return;
    }
    if (event.key === 'Tab' && !mod && !event.altKey && tabIndents && !input.readOnly) {
      event.preventDefault();
      applyEdit(indentEdit(input.value, input.selectionStart, input.selectionEnd, event.shiftKey));
      return;
    }
    if (event.key === 'Enter' && !mod && !event.altKey && !event.shiftKey && !input.readOnly) {
      event.preventDefault();
      tabIndents = true;
      applyEdit(newlineEdit(input.value, input.selectionStart, input.selectionEnd));
    }
  };
  /** The keys of an open list: ArrowUp/Down choose, Enter/Tab accept, Escape closes; true when the key was used. */
  function onCompletionKey(event: KeyboardEvent): boolean {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return false;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        completion.move(event.key === 'ArrowDown' ? 1 : -1);
        return true;
      case 'Enter':
      case 'Tab':
        accept();
        return true;
      case 'Escape':
        completion.close();
        return true;
      default:
        // The caret leaves the word: the list goes.
        if (CARET_KEYS.has(event.key)) completion.close();
        return false;
    }
  }
  // The browser's own undo (a menu, a gesture) would undo the textarea's copy, not the room's text.
  const onBeforeInput = (event: InputEvent) => {
    if (event.inputType === 'insertText' && !composing && event.data?.length === 1 && !input.readOnly) {
      const { selectionStart: start, selectionEnd: end } = input;
      const edit = typedCharEdit(input.value, start, end, event.data, autoClosed);
      if (edit) {
        event.preventDefault();
        autoClosed.delete(start);
        applyEdit(edit);
        if (edit.insert.length === 2) autoClosed.add(start + 1);
      }
    }
    if (event.inputType !== 'historyUndo' && event.inputType !== 'historyRedo') {
      if (!composing) tabIndents = true;
      return;
    }
    event.preventDefault();
    if (input.readOnly) return;
    if (event.inputType === 'historyUndo') binding.undo();
    else binding.redo();
  };
  const onPointerDown = () => {
    tabIndents = true;
    completion.close();
    binding.newUndoGroup();
  };
  const onSelection = () => {
    if (document.activeElement !== input) return;
    binding.publishCursor(true);
    showLineStatus();
  };
  const onFocus = () => {
    binding.newUndoGroup();
    binding.publishCursor(true);
  };
  const onBlur = () => {
    tabIndents = false;
    completion.close();
    binding.publishCursor(false);
  };
  // Hovering a marked token shows its message (the textarea is on top, so look underneath it).
  const onMouseMove = (event: MouseEvent) => {
    const mark = document
      .elementsFromPoint(event.clientX, event.clientY)
      .find((element) => element.classList.contains('holo-diagnostic')) as HTMLElement | undefined;
    const message = mark?.dataset.message;
    if (!message) {
      tooltip.hidden = true;
      return;
    }
    const box = root.getBoundingClientRect();
    const markBox = mark.getBoundingClientRect();
    tooltip.textContent = message;
    tooltip.style.left = `${Math.max(0, markBox.left - box.left)}px`;
    tooltip.style.top = `${markBox.bottom - box.top + 2}px`;
    tooltip.hidden = false;
  };
  const onMouseLeave = () => {
    tooltip.hidden = true;
  };

  const unlisten = [
    listen(scroller, { scroll: onScroll }),
    listen(input, {
      scroll: pinInput,
      input: onInput,
      compositionstart: onCompositionStart,
      compositionend: onCompositionEnd,
      keydown: onKeyDown,
      beforeinput: onBeforeInput,
      pointerdown: onPointerDown,
      focus: onFocus,
      blur: onBlur,
      mousemove: onMouseMove,
      mouseleave: onMouseLeave,
      select: onSelection,
    }),
    listen(document, { selectionchange: onSelection }),
  ];

  const setFontSize = (px: number) => {
    root.style.fontSize = `${clampFontSize(px)}px`;
    view.schedulePaint();
    scheduleCursors();
  };
  const setWrap = (wrap: boolean) => {
    root.classList.toggle('holo-wrap', wrap);
    input.wrap = wrap ? 'soft' : 'off';
    view.schedulePaint();
    scheduleCursors();
  };
  setFontSize(options.fontSize ?? DEFAULT_FONT_SIZE);
  setWrap(options.wrap === true);

  return {
    input,
    setFontSize,
    setWrap,
    destroy() {
      runner?.destroy();
      completion.destroy();
      cancelAnimationFrame(cursorFrame);
      view.destroy();
      options.awareness.off('change', scheduleCursors);
      for (const remove of unlisten) remove();
      binding.destroy();
      root.remove();
    },
  };
}
