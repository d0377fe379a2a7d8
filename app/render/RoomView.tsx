import type { XRStore } from '@react-three/xr';
import { lazy } from 'react';
import type { Room } from '../room/open-room.ts';
import { RemoteAvatars } from './avatars/RemoteAvatars.tsx';
import { Environment } from './Environment.tsx';
import { RoomFrame } from './RoomFrame.tsx';
import { SceneLayer } from './scene/SceneLayer.tsx';

// XR (its store, input and controller models) loads where the browser offers it (app/xr/offer.ts).
const XRLayer = lazy(() => import('./XRLayer.tsx'));

/**
 * What the room's canvas draws (app/render/room-canvas.tsx): the scene,
 * everyone else's avatar, and the room's frame (ROOM4, RoomFrame.tsx), inside
 * the XR layer where the browser offers XR.
 */
export function RoomView({
  room,
  xrStore,
  onXRReady,
}: {
  room: Room;
  xrStore: XRStore | undefined;
  /** The XR layer has mounted: a session can start now (LOAD4). */
  onXRReady: () => void;
}) {
  const contents = (
    <>
      <SceneLayer room={room} fallbackEnvironment={<Environment stats={room.stats} />} />
      <RemoteAvatars room={room} />
      <RoomFrame room={room} />
    </>
  );
  return xrStore ? (
    <XRLayer store={xrStore} room={room} onReady={onXRReady}>
      {contents}
    </XRLayer>
  ) : (
    contents
  );
}
