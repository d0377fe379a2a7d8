import { useEffect, useMemo, useState } from 'react';
import { loadClientConfig } from '../core/client-config.ts';
import { loadIdentity } from '../core/identity.ts';
import type { RoomId } from '../core/ids.ts';
import type { DiagnosticsSource } from '../editor/diagnostics.ts';
import type { Room } from '../room/open-room.ts';
import { openPageRoom } from '../room/page.ts';
import { installXREmulation, wantsEmulation } from '../xr/emulation.ts';
import { createRoomXRStore, type RoomXRStore } from '../xr/xr-store.ts';
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
import { VoiceControls } from './VoiceControls.tsx';

interface Live {
  room: Room;
  xrStore: RoomXRStore;
}

/** Opens the room (app/room/page.ts) for as long as the page shows it. */
function useRoom(roomId: RoomId): { live?: Live; warning?: string } {
  const [state, setState] = useState<{ live?: Live; warning?: string }>({});
  useEffect(() => {
    let cancelled = false;
    let close = () => {};
    void (async () => {
      const [{ config, warning }] = await Promise.all([
        loadClientConfig(),
        wantsEmulation(location.search) ? installXREmulation() : undefined,
      ]);
      if (cancelled) return;
      const xrStore = createRoomXRStore();
      const opened = openPageRoom({ roomId, location, config, identity: loadIdentity(localStorage), xr: xrStore });
      close = () => {
        opened.close();
        xrStore.destroy();
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

function OpenRoom({ roomId, room, xrStore, warning }: Live & { roomId: RoomId; warning?: string }) {
  // The editor's lint marks come from the scene runtime, which parses every change once for both (RUN1, RT1).
  const diagnostics = useMemo<DiagnosticsSource>(() => (text) => room.scene.diagnosticsFor(text), [room]);
  return (
    <div className="room">
      <RoomScene room={room} xrStore={xrStore} />
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
        <PresenceList room={room} />
        {warning && <p className="notice">{warning}</p>}
      </aside>
      <footer className="room-foot">
        <VoiceControls room={room} />
        <EnterXRButtons store={xrStore} />
      </footer>
      <PoseHud room={room.pose} />
    </div>
  );
}
