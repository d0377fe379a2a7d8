/**
 * The collaborative script editor: CodeMirror 6 bound to the room's Y.Text with
 * y-codemirror.next, so every peer edits the same text and sees the others'
 * cursors and selections (from awareness: `user.name`/`user.color`, which is
 * what presence publishes). Adds highlighting for the scene language, live
 * diagnostics from a pluggable source, and the script size cap.
 *
 * Plain DOM + CodeMirror, no React: app/ui/ScriptEditorPanel.tsx adapts it.
 *
 * @example
 *   const editor = createScriptEditor({ parent, text: session.room.editorText(), awareness: session.awareness });
 *   editor.setFontSize(20); // a headset panel
 *   editor.destroy();
 */
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type DiagnosticsSource, diagnosticsExtension, type ScriptDiagnostic } from './diagnostics.ts';
import { editorTheme } from './editor-theme.ts';
import { DEFAULT_FONT_SIZE } from './font-size.ts';
import { holoSyntax } from './holo-language.ts';
import { scriptSizeLimit } from './script-size-limit.ts';

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
  readonly view: EditorView;
  setFontSize(px: number): void;
  setWrap(wrap: boolean): void;
  destroy(): void;
}

export function createScriptEditor(options: ScriptEditorOptions): ScriptEditor {
  const theme = new Compartment();
  const wrapping = new Compartment();
  // Tracks only this peer's edits: undo never reverts someone else's typing.
  const undoManager = new Y.UndoManager(options.text);
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.text.toString(),
      extensions: [
        keymap.of(yUndoManagerKeymap),
        basicSetup,
        holoSyntax(),
        theme.of(editorTheme(options.fontSize ?? DEFAULT_FONT_SIZE)),
        wrapping.of(options.wrap ? EditorView.lineWrapping : []),
        scriptSizeLimit((message) => options.onLimit?.(message)),
        yCollab(options.text, options.awareness, { undoManager }),
        options.diagnostics
          ? diagnosticsExtension(options.diagnostics, {
              ...(options.onDiagnostics ? { onResults: options.onDiagnostics } : {}),
            })
          : [],
        options.readOnly ? [EditorState.readOnly.of(true), EditorView.editable.of(false)] : [],
        // An explicit tabindex lets checkers see that the scroller holds something focusable (ACC4);
        // the editable content is a Tab stop either way.
        EditorView.contentAttributes.of({
          'aria-label': 'Scene script',
          'data-testid': 'script-editor-content',
          tabindex: '0',
        }),
      ],
    }),
  });
  return {
    view,
    setFontSize: (px) => view.dispatch({ effects: theme.reconfigure(editorTheme(px)) }),
    setWrap: (wrap) => view.dispatch({ effects: wrapping.reconfigure(wrap ? EditorView.lineWrapping : []) }),
    destroy() {
      view.destroy();
      undoManager.destroy();
      // y-codemirror leaves this peer's cursor in awareness; clear it so others stop drawing it.
      options.awareness.setLocalStateField('cursor', null);
    },
  };
}
