import { useEffect, useRef, useState } from 'react';
import type { DiagnosticsSource, ScriptDiagnostic } from '../editor/diagnostics.ts';
import { editorNotices } from '../editor/editor-notices.ts';
import { clampFontSize } from '../editor/font-size.ts';
import { isHeadsetBrowser, type PanelPreferences } from '../editor/panel-preferences.ts';
import type { ScriptEditor } from '../editor/script-editor.ts';
import type { RoomSession } from '../sync/room-session.ts';
import './script-editor.css';
import { useStore } from '../render/use-store.ts';
import { useRoomSize } from './use-room-size.ts';

/** How long a "your edit was refused" message stays. */
const REFUSED_EDIT_NOTICE_MS = 6_000;

function DiagnosticsSummary({ list }: { list: readonly ScriptDiagnostic[] | undefined }) {
  if (!list) return <span className="script-diagnostics">Checking…</span>;
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.filter((d) => d.severity === 'warning').length;
  return (
    <span className="script-diagnostics" data-testid="script-diagnostics" data-errors={errors} data-warnings={warnings}>
      {errors === 0 && warnings === 0
        ? 'No problems'
        : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`}
    </span>
  );
}

export interface ScriptEditorPanelProps {
  session: RoomSession;
  /** Where lint marks come from (the room's parser, app/ui/RoomPanels.tsx). */
  diagnostics: DiagnosticsSource;
  prefs: PanelPreferences;
  update(changes: Partial<PanelPreferences>): void;
}

/**
 * The editor panel itself (app/ui/ScriptEditorPanel.tsx loads it on first
 * open): the toolbar, the notices and the editor's host. Long lines scroll
 * inside the editor's own box.
 */
export default function ScriptEditorPanelContent({ session, diagnostics, prefs, update }: ScriptEditorPanelProps) {
  const [diagnosticList, setDiagnosticList] = useState<readonly ScriptDiagnostic[]>();
  const [refusedEdit, setRefusedEdit] = useState<string>();
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<ScriptEditor>(undefined);
  const latestPrefs = useRef(prefs);
  latestPrefs.current = prefs;
  const [loadError, setLoadError] = useState<string>();
  const { rejected } = useStore(session.status);
  const size = useRoomSize(session);

  // The editor lives while the panel is open; font and wrap changes restyle it in place.
  // The editor and the language are their own chunk, fetched the first time the panel
  // opens (precached by the service worker like every other chunk), so the room itself
  // becomes interactive without them. Font and wrap at creation come from latestPrefs.
  useEffect(() => {
    const parent = host.current;
    if (!prefs.open || !parent) return;
    let instance: ScriptEditor | undefined;
    let closed = false;
    import('../editor/script-editor.ts').then(
      ({ createScriptEditor }) => {
        if (closed) return;
        instance = createScriptEditor({
          parent,
          text: session.room.editorText(),
          awareness: session.awareness,
          fontSize: latestPrefs.current.fontSize,
          wrap: latestPrefs.current.wrap,
          diagnostics,
          onDiagnostics: setDiagnosticList,
          onLimit: setRefusedEdit,
          readOnly: session.role === 'viewer',
        });
        editor.current = instance;
        setLoadError(undefined);
      },
      (error: Error) => {
        if (!closed) setLoadError(`The editor could not load: ${error.message}`);
      },
    );
    return () => {
      closed = true;
      editor.current = undefined;
      instance?.destroy();
    };
  }, [prefs.open, session, diagnostics]);

  useEffect(() => {
    editor.current?.setFontSize(prefs.fontSize);
    editor.current?.setWrap(prefs.wrap);
  }, [prefs.fontSize, prefs.wrap]);

  useEffect(() => {
    if (!refusedEdit) return;
    const timer = setTimeout(() => setRefusedEdit(undefined), REFUSED_EDIT_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [refusedEdit]);

  const notices = editorNotices({
    ...size,
    rejected,
    viewOnly: session.role === 'viewer',
    ...(refusedEdit ? { refusedEdit } : {}),
  });

  return (
    <section
      // A headset's browser gets the full-screen overlay whatever its reported width.
      className={isHeadsetBrowser(navigator.userAgent) ? 'script-panel script-panel-overlay' : 'script-panel'}
      aria-label="Scene script editor"
      data-testid="script-panel"
    >
      <header className="script-toolbar">
        <strong>Scene script</strong>
        <DiagnosticsSummary list={diagnosticList} />
        <span className="script-size">{size.scriptChars.toLocaleString('en')} chars</span>
        <span className="script-tools">
          <button
            type="button"
            onClick={() => update({ fontSize: clampFontSize(prefs.fontSize - 2) })}
            title="Smaller text"
            aria-label="A− (smaller text)"
          >
            A−
          </button>
          <button
            type="button"
            onClick={() => update({ fontSize: clampFontSize(prefs.fontSize + 2) })}
            title="Larger text"
            aria-label="A+ (larger text)"
          >
            A+
          </button>
          <button
            type="button"
            aria-pressed={prefs.wrap}
            onClick={() => update({ wrap: !prefs.wrap })}
            title="Wrap long lines"
          >
            Wrap
          </button>
          <button type="button" onClick={() => update({ open: false })} data-testid="script-close">
            Close
          </button>
        </span>
      </header>
      {notices.length > 0 && (
        <ul className="script-notices" data-testid="script-notices">
          {notices.map((notice) => (
            <li key={notice.id} className={`script-notice-${notice.severity}`} data-notice={notice.id} role="alert">
              {notice.text}
            </li>
          ))}
        </ul>
      )}
      {loadError && (
        <p className="script-notice-error" role="alert">
          {loadError}
        </p>
      )}
      <div className="script-host" ref={host} data-testid="script-editor" />
    </section>
  );
}
