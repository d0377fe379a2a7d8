import { Canvas } from '@react-three/fiber';
import { XR } from '@react-three/xr';
import { useCallback, useState } from 'react';
import type { SceneObjectRegistry } from '../interaction/object-registry.ts';
import type { PoseChannel } from '../pose/channel.ts';
import { PoseLayer } from '../render/avatars/PoseLayer.tsx';
import { Environment } from '../render/Environment.tsx';
import { FrameCounter } from '../render/FrameCounter.tsx';
import { InteractionLayer } from '../render/interaction/InteractionLayer.tsx';
import { SceneLayer } from '../render/scene/SceneLayer.tsx';
import type { FrameStats } from '../room/frame-stats.ts';
import type { SceneRuntime } from '../scene/runtime/scene-runtime.ts';
import type { RoomSession } from '../sync/room-session.ts';
import type { RoomXRStore } from '../xr/xr-store.ts';
import { exposeSceneObjects } from './use-scene-runtime.ts';

/** The 3D view of the room: one canvas, XR-capable, with desktop and phone controls outside XR. */
export function RoomScene({
  xrStore,
  frameStats,
  pose,
  scene,
  session,
}: {
  xrStore: RoomXRStore;
  frameStats: FrameStats;
  pose?: PoseChannel;
  /** The room's scene script, live; the default room until it is there. */
  scene?: SceneRuntime;
  /** The room's session: grabbing claims objects in its document (docs/interaction.md). */
  session?: RoomSession;
}) {
  const [registry, setRegistry] = useState<SceneObjectRegistry>();
  const onRegistry = useCallback((objects: SceneObjectRegistry) => {
    exposeSceneObjects(objects);
    setRegistry(objects);
  }, []);
  return (
    <Canvas
      className="scene"
      shadows
      camera={{ position: [0, 1.7, 5], fov: 65, near: 0.05, far: 1000 }}
      gl={{ antialias: true, preserveDrawingBuffer: false }}
      data-testid="scene"
    >
      <XR store={xrStore}>
        {scene ? (
          <SceneLayer runtime={scene} fallbackEnvironment={<Environment />} onRegistry={onRegistry} />
        ) : (
          <Environment />
        )}
        {/* Before the pose layer: input and held objects of this frame go out in this frame's batch. */}
        <InteractionLayer session={session} channel={pose} runtime={scene} registry={registry} />
        <FrameCounter stats={frameStats} />
        {/* After the controls, so it publishes this frame's camera. */}
        {pose && <PoseLayer channel={pose} />}
      </XR>
    </Canvas>
  );
}
