import { lazy, Suspense, useState } from 'react';
import { editorNotices } from '../editor/editor-notices.ts';
import { loadPreferences, type PanelPreferences, savePreferences } from '../editor/panel-preferences.ts';
import { useStore } from '../render/use-store.ts';
import type { RoomSession } from '../sync/room-session.ts';
import type { ScriptEditorPanelProps } from './ScriptEditorPanelContent.tsx';
import { useRoomSize } from './use-room-size.ts';

/** The editor panel's remembered settings, shared by the open button (in the room's tools) and the panel (its dock). */
export function useEditorPreferences(): [PanelPreferences, (changes: Partial<PanelPreferences>) => void] {
  const [prefs, setPrefs] = useState<PanelPreferences>(() => loadPreferences(localStorage, navigator.userAgent));
  const update = (changes: Partial<PanelPreferences>) => {
    setPrefs((current) => {
      const next = { ...current, ...changes };
      savePreferences(localStorage, next);
      return next;
    });
  };
  return [prefs, update];
}

/** Opens the editor; a dot says the editor has notices (limits, refused updates). */
export function ScriptEditorButton({ session, onOpen }: { session: RoomSession; onOpen(): void }) {
  const { rejected } = useStore(session.status);
  const notices = editorNotices({ ...useRoomSize(session), rejected });
  return (
    <button type="button" className="script-open" onClick={onOpen} data-testid="script-open">
      Edit scene
      {notices.length > 0 && <span className="script-badge" title={`${notices.length} notices`} />}
    </button>
  );
}

/**
 * The panel's code and styles, and the editor behind them, load the first time
 * someone opens the editor (docs/performance.md LOAD7): both fetches start at
 * once, so opening waits for one round trip, not two.
 */
const PanelContent = lazy(async () => {
  const [content] = await Promise.all([import('./ScriptEditorPanelContent.tsx'), import('../editor/script-editor.ts')]);
  return content;
});

/**
 * The shared scene script, editable by everyone in the room, in the room's
 * editor dock (LAYOUT3: beside the 3D view on wide screens, a bottom sheet on
 * phones); in a headset's browser a full-screen overlay with larger text.
 * Until its code has loaded the dock says so.
 */
export function ScriptEditorPanel(props: ScriptEditorPanelProps) {
  return (
    <Suspense
      fallback={
        <section className="script-panel" aria-label="Scene script editor" aria-busy="true">
          <p role="status">Loading the editor…</p>
        </section>
      }
    >
      <PanelContent {...props} />
    </Suspense>
  );
}
