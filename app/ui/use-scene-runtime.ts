/**
 * The room's live scene for as long as the page shows the room: the runtime
 * (parses through the page's shared parser worker pool, on its own
 * latest-wins channel), lobby seeding for new rooms, and the debug handle.
 */
import { useEffect, useState } from 'react';
import { sharedBrowserParser } from '../editor/browser-diagnostics.ts';
import type { SceneObjectRegistry } from '../interaction/object-registry.ts';
import { playSceneSound } from '../render/scene/scene-audio.ts';
import { startLobbySeeding } from '../scene/runtime/lobby-seed.ts';
import { fetchSceneText, LOBBY_SCENE } from '../scene/runtime/scene-catalog.ts';
import { sceneDiagnosticsSource } from '../scene/runtime/scene-diagnostics.ts';
import { SceneRuntime } from '../scene/runtime/scene-runtime.ts';
import type { RoomSession } from '../sync/room-session.ts';
import { debugHandle } from './debug-handle.ts';

/** The parser channel of the scene: newer script text supersedes older (RUN1). */
const SCENE_PARSE_CHANNEL = 'scene-runtime';

/** The editor's lint marks: the parser's diagnostics plus what the scene does not use (RT1). */
export const sceneEditorDiagnostics = sceneDiagnosticsSource(sharedBrowserParser);

declare module './debug-handle.ts' {
  interface DebugHandle {
    /** The live scene (app/scene/runtime/scene-runtime.ts). */
    scene?: SceneRuntime;
    /** Drawn scene objects by id (app/interaction/object-registry.ts). */
    sceneObjects?: SceneObjectRegistry;
  }
}

/** Whether y-webrtc has synced with every connected peer. */
function webrtcSynced(session: RoomSession): boolean {
  const room = session.webrtc?.room as { synced?: boolean } | null | undefined;
  return room?.synced === true;
}

/** `?seed=off` keeps a new room empty (for tests that need an empty script). */
function seedingWanted(search: string): boolean {
  return new URLSearchParams(search).get('seed') !== 'off';
}

export function useSceneRuntime(session: RoomSession | undefined): SceneRuntime | undefined {
  const [runtime, setRuntime] = useState<SceneRuntime>();
  useEffect(() => {
    if (!session) return;
    const scene = new SceneRuntime({
      room: session.room,
      parse: async (text) => (await sharedBrowserParser()).parseLatest(SCENE_PARSE_CHANNEL, text),
      sinks: {
        sound: playSceneSound,
        log: (message) => console.info(`[scene] ${message}`),
      },
    }).start();
    const stopSeeding = seedingWanted(location.search)
      ? startLobbySeeding({
          room: session.room,
          status: session.status,
          webrtcSynced: () => webrtcSynced(session),
          loadLobby: () => fetchSceneText(LOBBY_SCENE),
        })
      : () => {};
    debugHandle().scene = scene;
    setRuntime(scene);
    return () => {
      stopSeeding();
      scene.destroy();
      if (debugHandle().scene === scene) debugHandle().scene = undefined;
      setRuntime(undefined);
    };
  }, [session]);
  return runtime;
}

/** Puts the drawn objects on the debug handle (passed to SceneLayer's `onRegistry`). */
export function exposeSceneObjects(registry: SceneObjectRegistry): void {
  debugHandle().sceneObjects = registry;
}
