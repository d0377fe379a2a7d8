/**
 * The room's panels (docs/ui.md, LAYOUT1-LAYOUT5): the second root of a room
 * page, on our DOM renderer (./dom-renderer/), over the same plain-TS room the 3D view draws
 * (app/boot/room-page.tsx). It loads once the room is interactive
 * (docs/performance.md LOAD14) and marks its first paint
 * (`PANELS_READY_MARK`).
 *
 * @example
 *   const unmount = mountRoomPanels(roomElement, { roomId, room, xr, xrReady });
 *   unmount();
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { RoomId } from '../core/ids.ts';
import type { Store } from '../core/store.ts';
import type { DiagnosticsSource } from '../editor/diagnostics.ts';
import { useStore } from '../render/use-store.ts';
import { PANELS_READY_MARK } from '../room/frame-stats.ts';
import type { Room } from '../room/open-room.ts';
import type { PageRoomXR } from '../room/page-room.ts';
import type { RoomXRStore } from '../xr/xr-store.ts';
import { ConnectionBadge, ConnectionExplanation } from './ConnectionBadge.tsx';
import { createRoot } from './dom-renderer/index.ts';
import { EnterXRButtons } from './EnterXRButtons.tsx';
import { HistorySection } from './HistorySection.tsx';
import { OfflineNotice, useReachability } from './OfflineNotice.tsx';
import { PoseHud } from './PoseHud.tsx';
import { PresenceList } from './PresenceList.tsx';
import { RoomLinks } from './RoomLinks.tsx';
import { RoomName, useRoomName } from './RoomName.tsx';
import { ScenePicker } from './ScenePicker.tsx';
import { SceneStatus } from './SceneStatus.tsx';
import { ScriptEditorButton, ScriptEditorPanel, useEditorPreferences } from './ScriptEditorPanel.tsx';
import { ShareBar } from './ShareBar.tsx';
import { UpdatePrompt } from './UpdatePrompt.tsx';
import { holdUpdatePrompt } from './update-prompt-slot.ts';
import './room-layout.css';
import { ViewOnlyHint } from './ViewOnlyHint.tsx';
import { VoiceControls } from './VoiceControls.tsx';

export interface RoomPanelsProps {
  roomId: RoomId;
  room: Room;
  /** The XR store where the browser offers an immersive session (app/xr/offer.ts), once it has loaded (ROOM10). */
  xr: PageRoomXR<RoomXRStore>;
  /** The XR layer has mounted in the canvas: "Enter VR" may start a session (LOAD4). */
  xrReady: Store<boolean>;
  /** A notice for the side panel: a refused key, a config problem, an editor link replaced. */
  warning?: string;
}

/** Renders the panels into a new element at the end of `parent`; the returned function removes them. */
export function mountRoomPanels(parent: HTMLElement, props: RoomPanelsProps): () => void {
  const host = document.createElement('div');
  parent.append(host);
  const root = createRoot(host);
  root.render(<RoomPanels {...props} />);
  return () => {
    root.unmount();
    host.remove();
  };
}

/**
 * The room's controls over its 3D view: one grid that leaves the middle to the
 * view; on narrow or short screens the room's tools fold into a menu; the
 * editor docks beside the view or as a bottom sheet.
 */
function RoomPanels({ roomId, room, xr, xrReady, warning }: RoomPanelsProps) {
  // The editor's lint marks come from the scene runtime, which parses every change once for both (RUN1, RT1).
  const diagnostics = useMemo<DiagnosticsSource>(() => (text) => room.scene.diagnosticsFor(text), [room]);
  const [prefs, updatePrefs] = useEditorPreferences();
  const [menuOpen, setMenuOpen] = useState(false);
  const xrLayerReady = useStore(xrReady);
  const xrStore = useStore(xr.store);
  const xrFailure = useStore(xr.failure);
  const toolsId = useId();
  const reach = useReachability(room.session);
  const { online } = useStore(reach.state);
  const name = useRoomName(room.session.room);
  // LOAD14: the panels' first paint, the page's second mark after the room's own.
  useEffect(() => {
    requestAnimationFrame(() => performance.mark(PANELS_READY_MARK));
  }, []);
  const classes = ['room-panels', prefs.open ? 'room-editing' : '', menuOpen ? 'room-menu-open' : ''].filter(Boolean);
  return (
    <div className={classes.join(' ')}>
      <div className="room-ui">
        <header className="room-bar">
          <a className="brand" href="/" aria-label="Holoroom: start page">
            Holoroom
          </a>
          <RoomName doc={room.session.room} />
          <ConnectionBadge session={room.session} />
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls={toolsId}
            onClick={() => setMenuOpen(!menuOpen)}
            data-testid="menu-toggle"
          >
            {menuOpen ? 'Close menu' : 'Menu'}
          </button>
          <nav className="room-tools" id={toolsId} aria-label="Room tools">
            <ShareBar roomId={roomId} name={name} />
            {room.session.credential?.role === 'owner' && (
              <RoomLinks roomId={roomId} session={room.session} owner={room.session.credential} />
            )}
            <ScenePicker session={room.session} viewOnlyHint={room.interaction.rights.hint} />
            {!prefs.open && (
              <ScriptEditorButton
                session={room.session}
                onOpen={() => {
                  updatePrefs({ open: true });
                  setMenuOpen(false);
                }}
              />
            )}
          </nav>
        </header>
        {prefs.open && (
          <ScriptEditorPanel session={room.session} diagnostics={diagnostics} prefs={prefs} update={updatePrefs} />
        )}
        <SceneStatus runtime={room.scene} />
        <aside className="room-side" aria-label="People and notices">
          <div ref={holdUpdatePrompt} />
          <OfflineNotice reach={reach} />
          <ConnectionExplanation session={room.session} />
          <ViewOnlyHint refused={room.interaction.rights.refused} hint={room.interaction.rights.hint} />
          {warning && (
            <p className="notice" data-testid="config-notice">
              {warning}
            </p>
          )}
          <PresenceList room={room} offline={!online} />
          <HistorySection roomId={roomId} session={room.session} />
        </aside>
        <footer className="room-foot">
          <PoseHud room={room.pose} />
          <VoiceControls room={room} />
          <EnterXRButtons store={xrStore} ready={xrLayerReady} failure={xrFailure} />
        </footer>
      </div>
      <UpdatePrompt />
    </div>
  );
}
