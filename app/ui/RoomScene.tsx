import { Canvas } from '@react-three/fiber';
import { XR } from '@react-three/xr';
import { RemoteAvatars } from '../render/avatars/RemoteAvatars.tsx';
import { Environment } from '../render/Environment.tsx';
import { XRView } from '../render/interaction/XRView.tsx';
import { RoomFrame } from '../render/RoomFrame.tsx';
import { SceneLayer } from '../render/scene/SceneLayer.tsx';
import type { Room } from '../room/open-room.ts';
import type { RoomXRStore } from '../xr/xr-store.ts';

/**
 * The 3D view of the room: one canvas, XR-capable. It draws what the room
 * holds (scene, avatars, the XR origin) and drives the room's frame, on the
 * display frames the room's pacing picks (ROOM4, app/render/RoomFrame.tsx).
 */
export function RoomScene({ room, xrStore }: { room: Room; xrStore: RoomXRStore }) {
  return (
    <Canvas
      className="scene"
      shadows
      frameloop="never"
      camera={{ position: [0, 1.7, 5], fov: 65, near: 0.05, far: 1000 }}
      gl={{ antialias: true, preserveDrawingBuffer: false }}
      data-testid="scene"
    >
      <XR store={xrStore}>
        <SceneLayer room={room} fallbackEnvironment={<Environment />} />
        <XRView room={room} />
        <RemoteAvatars room={room} />
        <RoomFrame room={room} />
      </XR>
    </Canvas>
  );
}
