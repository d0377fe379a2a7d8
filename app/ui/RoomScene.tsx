import { Canvas } from '@react-three/fiber';
import { XR } from '@react-three/xr';
import type { PoseChannel } from '../pose/channel.ts';
import { PoseLayer } from '../render/avatars/PoseLayer.tsx';
import { DesktopControls } from '../render/DesktopControls.tsx';
import { Environment } from '../render/Environment.tsx';
import { FrameCounter } from '../render/FrameCounter.tsx';
import type { FrameStats } from '../render/frame-stats.ts';
import { SceneLayer } from '../render/scene/SceneLayer.tsx';
import type { SceneRuntime } from '../scene/runtime/scene-runtime.ts';
import type { RoomXRStore } from '../xr/xr-store.ts';
import { exposeSceneObjects } from './use-scene-runtime.ts';

/** The 3D view of the room: one canvas, XR-capable, with desktop controls outside XR. */
export function RoomScene({
  xrStore,
  frameStats,
  pose,
  scene,
}: {
  xrStore: RoomXRStore;
  frameStats: FrameStats;
  pose?: PoseChannel;
  /** The room's scene script, live; the default room until it is there. */
  scene?: SceneRuntime;
}) {
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
          <SceneLayer runtime={scene} fallbackEnvironment={<Environment />} onRegistry={exposeSceneObjects} />
        ) : (
          <Environment />
        )}
        <DesktopControls />
        <FrameCounter stats={frameStats} />
        {/* After the controls, so it publishes this frame's camera. */}
        {pose && <PoseLayer channel={pose} />}
      </XR>
    </Canvas>
  );
}
