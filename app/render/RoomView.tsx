import type { XRStore } from '@react-three/xr';
import { lazy, Suspense } from 'react';
import type { Room } from '../room/open-room.ts';
import { RemoteAvatars } from './avatars/RemoteAvatars.tsx';
import { Environment } from './Environment.tsx';
import { RoomFrame } from './RoomFrame.tsx';
import { SceneLayer } from './scene/SceneLayer.tsx';
import { XRSessionProvider } from './xr-session-state.ts';

// XR (its store, input and controller models) loads where the browser offers it (app/xr/offer.ts).
const XRLayer = lazy(() => import('./XRLayer.tsx'));

/**
 * What the room's canvas draws (app/render/room-canvas.tsx): the scene,
 * everyone else's avatar, and the room's frame (ROOM4, RoomFrame.tsx), with
 * the XR layer beside them where the browser offers XR.
 *
 * ROOM13: the XR store arrives when its code has loaded (ROOM10), often after
 * the renderer has drawn the room. Its arrival adds the XR layer as a sibling
 * and hands the session state to the scene through a context whose value
 * changes; the scene's place in the tree stays the same, so React keeps its
 * objects (a parent of another type would mount the whole scene again). The
 * layer's lazy code suspends only its own boundary, not the scene's.
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
  return (
    <XRSessionProvider source={xrStore}>
      <SceneLayer room={room} fallbackEnvironment={<Environment stats={room.stats} />} />
      <RemoteAvatars room={room} />
      <RoomFrame room={room} />
      <Suspense fallback={null}>
        {xrStore ? <XRLayer store={xrStore} room={room} onReady={onXRReady} /> : null}
      </Suspense>
    </XRSessionProvider>
  );
}
