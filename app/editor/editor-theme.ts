/** The editor's dark theme at a given font size (larger in a headset's browser). */
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { clampFontSize } from './font-size.ts';

export function editorTheme(fontSize: number): Extension {
  return EditorView.theme(
    {
      '&': {
        height: '100%',
        fontSize: `${clampFontSize(fontSize)}px`,
        backgroundColor: '#14161c',
        color: '#e6e6e6',
      },
      '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', lineHeight: '1.5' },
      '.cm-content': { caretColor: '#ffffff' },
      // Line numbers at 6.5:1 against the gutter (ACC4: axe's contrast rule asks 4.5:1).
      '.cm-gutters': { backgroundColor: '#1b1e26', color: '#9aa3b5', border: 'none' },
      '.cm-activeLine': { backgroundColor: '#ffffff0a' },
      '.cm-activeLineGutter': { backgroundColor: '#ffffff10' },
      '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: '#3d5a80aa' },
      '.cm-tooltip': { backgroundColor: '#232733', color: '#e6e6e6', border: '1px solid #3a4050' },
      // Remote cursors' name tags stay readable at every size.
      '.cm-ySelectionInfo': { fontSize: '0.75em', opacity: '1' },
    },
    { dark: true },
  );
}
