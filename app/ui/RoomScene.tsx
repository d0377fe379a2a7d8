import { Canvas } from '@react-three/fiber';
import { XR } from '@react-three/xr';
import { RemoteAvatars } from '../render/avatars/RemoteAvatars.tsx';
import { Environment } from '../render/Environment.tsx';
import { XRView } from '../render/interaction/XRView.tsx';
import { RoomFrame } from '../render/RoomFrame.tsx';
import { SceneLayer } from '../render/scene/SceneLayer.tsx';
import { XRMenuView } from '../render/xr-menu/XRMenuView.tsx';
import type { Room } from '../room/open-room.ts';
import type { RoomXRStore } from '../xr/xr-store.ts';

/**
 * The 3D view of the room: one canvas, XR-capable. It draws what the room
 * holds (scene, avatars, the XR origin) and drives the room's frame.
 */
export function RoomScene({ room, xrStore }: { room: Room; xrStore: RoomXRStore }) {
  // MENU1: leaving from the headset ends the immersive session, then the page goes to the start page.
  const leave = () => {
    const session = xrStore.getState().session;
    const away = () => location.assign('/');
    if (session) session.end().then(away, away);
    else away();
  };
  return (
    <Canvas
      className="scene"
      shadows
      camera={{ position: [0, 1.7, 5], fov: 65, near: 0.05, far: 1000 }}
      gl={{ antialias: true, preserveDrawingBuffer: false }}
      data-testid="scene"
    >
      <XR store={xrStore}>
        <SceneLayer room={room} fallbackEnvironment={<Environment />} />
        <XRView room={room} />
        <RemoteAvatars room={room} />
        <XRMenuView room={room} onLeave={leave} />
        <RoomFrame room={room} />
      </XR>
    </Canvas>
  );
}
