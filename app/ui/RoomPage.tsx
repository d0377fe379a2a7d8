import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { configNotice, loadClientConfig } from '../core/client-config.ts';
import { ConnectTimeline } from '../core/connect-timeline.ts';
import { loadIdentity } from '../core/identity.ts';
import type { RoomId } from '../core/ids.ts';
import type { DiagnosticsSource } from '../editor/diagnostics.ts';
import { useStore } from '../render/use-store.ts';
import { startHeadlessFrames } from '../room/headless-frames.ts';
import type { Room } from '../room/open-room.ts';
import { openPageRoom } from '../room/page.ts';
import { forgetEditorHash, keepRoleHash, linkOrKeptHash } from '../sync/roles/kept-keys.ts';
import { readRoleLink } from '../sync/roles/room-credential.ts';
import { loadSessionKey } from '../sync/roles/session-key.ts';
import { loadXRStoreIfOffered } from '../xr/offer.ts';
import type { RoomXRStore } from '../xr/xr-store.ts';
import { ConnectionBadge, ConnectionExplanation } from './ConnectionBadge.tsx';
import { EnterXRButtons } from './EnterXRButtons.tsx';
import { HistorySection } from './HistorySection.tsx';
import { OfflineNotice, useReachability } from './OfflineNotice.tsx';
import { PoseHud } from './PoseHud.tsx';
import { PresenceList } from './PresenceList.tsx';
import { RoomLinks } from './RoomLinks.tsx';
import { RoomName, useRoomName } from './RoomName.tsx';
import { RoomScene } from './RoomScene.tsx';
import { ScenePicker } from './ScenePicker.tsx';
import { SceneStatus } from './SceneStatus.tsx';
import { ScriptEditorButton, ScriptEditorPanel, useEditorPreferences } from './ScriptEditorPanel.tsx';
import { ShareBar } from './ShareBar.tsx';
import { holdUpdatePrompt } from './update-prompt-slot.ts';
import { useVisitRecord } from './use-visit-record.ts';
import './room-layout.css';
import { ViewOnlyHint } from './ViewOnlyHint.tsx';
import { VoiceControls } from './VoiceControls.tsx';

interface Live {
  room: Room;
  /** Only where the browser offers an immersive session (app/xr/offer.ts). */
  xrStore: RoomXRStore | undefined;
}

/** Opens the room (app/room/page.ts) for as long as the page shows it. */
const EDITOR_LINK_REPLACED =
  'The owner made a new editor link: the one you opened no longer lets you edit. You are a viewer now.';

function useRoom(roomId: RoomId): { live?: Live; warning?: string; removed?: true } {
  const [state, setState] = useState<{ live?: Live; warning?: string; removed?: true }>({});
  // ROT3: the editor link this page opened was replaced: the room opens again as a viewer's.
  const [replaced, setReplaced] = useState(false);
  useEffect(() => {
    let cancelled = false;
    let close = () => {};
    void (async () => {
      const timeline = new ConnectTimeline();
      // ROLE9: a bare link to a protected room uses the key this device kept for it.
      const roleHash = replaced ? '' : linkOrKeptHash(localStorage, roomId, location.hash);
      const [{ config, problem }, xrStore, roleLink] = await Promise.all([
        loadClientConfig(),
        loadXRStoreIfOffered(location.search),
        readRoleLink(roomId, roleHash),
      ]);
      // MOD4: in a protected room every connection proves this profile's session.
      const sessionKey = roleLink.credential ? await loadSessionKey(localStorage) : undefined;
      if (cancelled) {
        xrStore?.destroy();
        return;
      }
      timeline.mark('config_loaded');
      if (problem) console.warn(`[config] ${problem.detail}; using no ICE servers`);
      if (roleLink.ok && roleLink.credential && roleLink.credential.role !== 'viewer') {
        keepRoleHash(localStorage, roomId, roleHash);
      }
      // ROLE2: a refused key is said, and the room opens as the link's other rights allow.
      const warning = replaced ? EDITOR_LINK_REPLACED : roleLink.ok ? configNotice(problem) : roleLink.error;
      const opened = await openPageRoom({
        roomId,
        location,
        config,
        identity: loadIdentity(localStorage),
        ...(xrStore ? { xr: xrStore } : {}),
        ...(roleLink.credential ? { credential: roleLink.credential } : {}),
        ...(sessionKey ? { sessionKey } : {}),
        timeline,
      });
      if (cancelled) {
        opened.close();
        xrStore?.destroy();
        return;
      }
      const stopWatching = opened.room.session.removed.subscribe((removed) => {
        if (!removed) return;
        // MOD5: removed by the owner: the room closes here and the page says why.
        close();
        setState({ removed: true });
      });
      const stopReplaced = opened.room.session.editorLinkReplaced.subscribe((outdated) => {
        if (!outdated) return;
        forgetEditorHash(localStorage, roomId);
        history.replaceState(history.state, '', `${location.pathname}${location.search}`);
        setState({}); // "Opening room…" until the viewer's room is open; this one is closing
        setReplaced(true);
      });
      close = () => {
        stopWatching();
        stopReplaced();
        opened.close();
        xrStore?.destroy();
      };
      const live = { room: opened.room, xrStore };
      setState(warning ? { live, warning } : { live });
    })();
    return () => {
      cancelled = true;
      close();
    };
  }, [roomId, replaced]);
  return state;
}

export default function RoomPage({ roomId }: { roomId: RoomId }) {
  const { live, warning, removed } = useRoom(roomId);
  if (removed) {
    return (
      <div className="splash" role="alert" data-testid="removed-notice">
        You were removed from this room by its owner.
      </div>
    );
  }
  if (!live) return <div className="splash">Opening room…</div>;
  return <OpenRoom roomId={roomId} {...live} {...(warning ? { warning } : {})} />;
}

/** `?render=off`: the room runs its frames on a timer and draws nothing (app/room/headless-frames.ts). */
function HeadlessFrames({ room }: { room: Room }) {
  useEffect(() => startHeadlessFrames(room), [room]);
  return null;
}

/**
 * The room's controls over its 3D view (docs/ui.md, LAYOUT1-LAYOUT5): one grid
 * that leaves the middle to the view; on narrow or short screens the room's
 * tools fold into a menu; the editor docks beside the view or as a bottom sheet.
 */
function OpenRoom({ roomId, room, xrStore, warning }: Live & { roomId: RoomId; warning?: string }) {
  // The editor's lint marks come from the scene runtime, which parses every change once for both (RUN1, RT1).
  const diagnostics = useMemo<DiagnosticsSource>(() => (text) => room.scene.diagnosticsFor(text), [room]);
  const draws = useMemo(() => new URLSearchParams(location.search).get('render') !== 'off', []);
  const [prefs, updatePrefs] = useEditorPreferences();
  const [menuOpen, setMenuOpen] = useState(false);
  const [xrReady, setXRReady] = useState(false);
  const onXRReady = useCallback(() => setXRReady(true), []);
  const toolsId = useId();
  const reach = useReachability(room.session);
  const { online } = useStore(reach.state);
  const name = useRoomName(room.session.room);
  useVisitRecord(roomId, room);
  const classes = ['room', prefs.open ? 'room-editing' : '', menuOpen ? 'room-menu-open' : ''].filter(Boolean);
  return (
    <div className={classes.join(' ')}>
      {draws ? <RoomScene room={room} xrStore={xrStore} onXRReady={onXRReady} /> : <HeadlessFrames room={room} />}
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
          <EnterXRButtons store={xrStore} ready={xrReady} />
        </footer>
      </div>
    </div>
  );
}
