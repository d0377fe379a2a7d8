import { useEffect, useMemo, useState } from 'react';
import { loadClientConfig } from '../core/client-config.ts';
import { ConnectTimeline } from '../core/connect-timeline.ts';
import { loadIdentity } from '../core/identity.ts';
import type { RoomId } from '../core/ids.ts';
import type { DiagnosticsSource } from '../editor/diagnostics.ts';
import { startHeadlessFrames } from '../room/headless-frames.ts';
import type { Room } from '../room/open-room.ts';
import { openPageRoom } from '../room/page.ts';
import { loadXRStoreIfOffered } from '../xr/offer.ts';
import type { RoomXRStore } from '../xr/xr-store.ts';
import { ConnectionBadge } from './ConnectionBadge.tsx';
import { EnterXRButtons } from './EnterXRButtons.tsx';
import { OfflineNotice } from './OfflineNotice.tsx';
import { PoseHud } from './PoseHud.tsx';
import { PresenceList } from './PresenceList.tsx';
import { RoomScene } from './RoomScene.tsx';
import { ScenePicker } from './ScenePicker.tsx';
import { SceneStatus } from './SceneStatus.tsx';
import { ScriptEditorPanel } from './ScriptEditorPanel.tsx';
import { ShareBar } from './ShareBar.tsx';

interface Live {
  room: Room;
  /** Only where the browser offers an immersive session (app/xr/offer.ts). */
  xrStore: RoomXRStore | undefined;
}

/** Opens the room (app/room/page.ts) for as long as the page shows it. */
function useRoom(roomId: RoomId): { live?: Live; warning?: string } {
  const [state, setState] = useState<{ live?: Live; warning?: string }>({});
  useEffect(() => {
    let cancelled = false;
    let close = () => {};
    void (async () => {
      const timeline = new ConnectTimeline();
      const [{ config, warning }, xrStore] = await Promise.all([
        loadClientConfig(),
        loadXRStoreIfOffered(location.search),
      ]);
      if (cancelled) {
        xrStore?.destroy();
        return;
      }
      timeline.mark('config_loaded');
      const opened = openPageRoom({
        roomId,
        location,
        config,
        identity: loadIdentity(localStorage),
        ...(xrStore ? { xr: xrStore } : {}),
        timeline,
      });
      close = () => {
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
  }, [roomId]);
  return state;
}

export default function RoomPage({ roomId }: { roomId: RoomId }) {
  const { live, warning } = useRoom(roomId);
  if (!live) return <div className="splash">Opening room…</div>;
  return <OpenRoom roomId={roomId} {...live} {...(warning ? { warning } : {})} />;
}

/** `?render=off`: the room runs its frames on a timer and draws nothing (app/room/headless-frames.ts). */
function HeadlessFrames({ room }: { room: Room }) {
  useEffect(() => startHeadlessFrames(room), [room]);
  return null;
}

function OpenRoom({ roomId, room, xrStore, warning }: Live & { roomId: RoomId; warning?: string }) {
  // The editor's lint marks come from the scene runtime, which parses every change once for both (RUN1, RT1).
  const diagnostics = useMemo<DiagnosticsSource>(() => (text) => room.scene.diagnosticsFor(text), [room]);
  const draws = useMemo(() => new URLSearchParams(location.search).get('render') !== 'off', []);
  return (
    <div className="room">
      {draws ? <RoomScene room={room} xrStore={xrStore} /> : <HeadlessFrames room={room} />}
      <header className="room-bar">
        <a className="brand" href="/">
          Holoroom
        </a>
        <ShareBar roomId={roomId} />
        <ScenePicker session={room.session} />
        <ConnectionBadge session={room.session} />
      </header>
      <ScriptEditorPanel session={room.session} diagnostics={diagnostics} />
      <SceneStatus runtime={room.scene} />
      <aside className="room-side">
        <OfflineNotice session={room.session} />
        <PresenceList session={room.session} />
        {warning && <p className="notice">{warning}</p>}
      </aside>
      <footer className="room-foot">
        <EnterXRButtons store={xrStore} />
      </footer>
      <PoseHud room={room.pose} />
    </div>
  );
}
