import { lazy, useCallback, useEffect } from 'react';
import { RemoteAvatars } from '../render/avatars/RemoteAvatars.tsx';
import { Environment } from '../render/Environment.tsx';
import { RoomCanvas } from '../render/RoomCanvas.tsx';
import { RoomFrame } from '../render/RoomFrame.tsx';
import { SceneLayer } from '../render/scene/SceneLayer.tsx';
import { useObjectFocusKeys } from '../render/use-object-focus-keys.ts';
import { useStore } from '../render/use-store.ts';
import type { Room } from '../room/open-room.ts';
import type { RoomXRStore } from '../xr/xr-store.ts';

// XR (its store, input and controller models) loads where the browser offers it (app/xr/offer.ts).
const XRLayer = lazy(() => import('../render/XRLayer.tsx'));

const CAMERA = { position: [0, 1.7, 5], fov: 65, near: 0.05, far: 1000 } as const;
const GL = { antialias: true, preserveDrawingBuffer: false };

/**
 * The 3D view of the room: one canvas, XR-capable where the browser offers
 * XR. It draws what the room holds (scene, avatars, the XR origin) and drives
 * the room's frame, on the display frames the room's pacing picks (ROOM4,
 * app/render/RoomFrame.tsx). The view is a keyboard stop: Tab moves between
 * its interactive objects, Enter clicks one, and a live region says which
 * (ACC5, ACC6).
 */
export function RoomScene({
  room,
  xrStore,
  onXRReady,
}: {
  room: Room;
  xrStore: RoomXRStore | undefined;
  /** The XR layer has mounted: a session can start now (LOAD4). */
  onXRReady: () => void;
}) {
  const keys = useObjectFocusKeys(room);
  // ROOM6: the renderer is created once this page's join has settled (app/room/join-hold.ts).
  const joinSettled = useStore(room.joinSettled);
  // Meanwhile the room's frames run on a timer, until the renderer's display loop takes them over.
  useEffect(() => room.holdFrames(), [room]);
  const onRendererCreated = useCallback(() => room.timeline.mark('renderer_created'), [room]);
  const contents = (
    <>
      <SceneLayer room={room} fallbackEnvironment={<Environment />} />
      <RemoteAvatars room={room} />
      <RoomFrame room={room} />
    </>
  );
  return (
    <>
      <RoomCanvas
        className="scene"
        testId="scene"
        shadows
        frameloop="never"
        camera={CAMERA}
        gl={GL}
        container={keys.container}
        hold={!joinSettled}
        onRendererCreated={onRendererCreated}
      >
        {xrStore ? (
          <XRLayer store={xrStore} room={room} onReady={onXRReady}>
            {contents}
          </XRLayer>
        ) : (
          contents
        )}
      </RoomCanvas>
      <div className="visually-hidden" aria-live="polite" data-testid="scene-focus">
        {keys.announcement}
      </div>
    </>
  );
}
