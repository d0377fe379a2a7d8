import { useEffect, useState } from 'react';
import { loadClientConfig, signalingUrlFor } from '../core/client-config.ts';
import { loadIdentity } from '../core/identity.ts';
import { sharedBrowserParser } from '../editor/browser-diagnostics.ts';
import { openPoseRoom, type PoseRoom } from '../pose/pose-room.ts';
import { createFrameStats, type FrameStats } from '../room/frame-stats.ts';
import { compileParser, instantiateParser } from '../scene/parser/wasm-module.ts';
import { PARSER_WASM_URL } from '../scene/parser/wasm-url.ts';
import { pageSyncOptions } from '../sync/room-link.ts';
import { RoomSession } from '../sync/room-session.ts';
import { installXREmulation, wantsEmulation } from '../xr/emulation.ts';
import { createRoomXRStore, type RoomXRStore } from '../xr/xr-store.ts';
import { ConnectionBadge } from './ConnectionBadge.tsx';
import { debugHandle } from './debug-handle.ts';
import { EnterXRButtons } from './EnterXRButtons.tsx';
import { OfflineNotice } from './OfflineNotice.tsx';
import { PoseHud } from './PoseHud.tsx';
import { PresenceList } from './PresenceList.tsx';
import { RoomScene } from './RoomScene.tsx';
import { ScenePicker } from './ScenePicker.tsx';
import { SceneStatus } from './SceneStatus.tsx';
import { ScriptEditorPanel } from './ScriptEditorPanel.tsx';
import { ShareBar } from './ShareBar.tsx';
import { sceneEditorDiagnostics, useSceneRuntime } from './use-scene-runtime.ts';

interface Live {
  session: RoomSession;
  xrStore: RoomXRStore;
  frameStats: FrameStats;
  /** The 60 Hz pose channel: avatars and streamed objects (docs/pose-protocol.md). */
  pose: PoseRoom;
}

/** Opens the room's session and XR store for as long as the page shows the room. */
function useRoom(roomId: string): { live?: Live; warning?: string } {
  const [state, setState] = useState<{ live?: Live; warning?: string }>({});
  useEffect(() => {
    let cancelled = false;
    let live: Live | undefined;
    void (async () => {
      const [{ config, warning }] = await Promise.all([
        loadClientConfig(),
        wantsEmulation(location.search) ? installXREmulation() : undefined,
      ]);
      if (cancelled) return;
      const session = new RoomSession({
        roomId,
        signalingUrl: signalingUrlFor(location),
        iceServers: config.iceServers,
        identity: loadIdentity(localStorage),
        ...pageSyncOptions(location),
      });
      const xrStore = createRoomXRStore();
      xrStore.subscribe((xr, previous) => {
        if ((xr.session == null) !== (previous.session == null)) session.setInXR(xr.session != null);
      });
      live = { session, xrStore, frameStats: createFrameStats(), pose: openPoseRoom(session, roomId, location) };
      Object.assign(debugHandle(), live);
      Object.assign(debugHandle(), { parserPool: sharedBrowserParser }); // the page's parse worker pool, started on first use
      setState(warning ? { live, warning } : { live });
      // Shares the one compiled module with the parse worker pool (compileParser caches it).
      compileParser(PARSER_WASM_URL)
        .then(instantiateParser)
        .then(
          (parser) => {
            debugHandle().parser = parser;
          },
          (error: Error) => console.error(`scene parser failed to load: ${error.message}`),
        );
    })();
    return () => {
      cancelled = true;
      live?.pose.destroy();
      live?.session.destroy();
      live?.xrStore.destroy();
    };
  }, [roomId]);
  return state;
}

export default function RoomPage({ roomId }: { roomId: string }) {
  const { live, warning } = useRoom(roomId);
  const scene = useSceneRuntime(live?.session);
  if (!live) return <div className="splash">Opening room…</div>;
  return (
    <div className="room">
      <RoomScene
        xrStore={live.xrStore}
        frameStats={live.frameStats}
        pose={live.pose.channel}
        scene={scene}
        session={live.session}
      />
      <header className="room-bar">
        <a className="brand" href="/">
          Holoroom
        </a>
        <ShareBar roomId={roomId} />
        <ScenePicker session={live.session} />
        <ConnectionBadge session={live.session} />
      </header>
      <ScriptEditorPanel session={live.session} diagnostics={sceneEditorDiagnostics} />
      {scene && <SceneStatus runtime={scene} />}
      <aside className="room-side">
        <OfflineNotice session={live.session} />
        <PresenceList session={live.session} />
        {warning && <p className="notice">{warning}</p>}
      </aside>
      <footer className="room-foot">
        <EnterXRButtons store={live.xrStore} />
      </footer>
      <PoseHud room={live.pose} />
    </div>
  );
}
