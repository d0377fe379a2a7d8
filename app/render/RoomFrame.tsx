import { useFrame, useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import type { PerspectiveCamera } from 'three';
import type { Room } from '../room/open-room.ts';

/**
 * The room's one frame callback: R3F calls it once per rendered frame (the XR
 * frame in a headset) and the room runs its steps in its written order
 * (`Room.frame`). Also hands the room the camera and canvas it draws into.
 *
 * The canvas draws on demand (`frameloop="demand"`, app/ui/RoomScene.tsx):
 * every display frame asks the room's pacing whether to draw it (ROOM4) and
 * lets the room tick its pose channel when it does not. In a headset the XR
 * session's own loop draws every XR frame.
 */
export function RoomFrame({ room }: { room: Room }) {
  const camera = useThree((state) => state.camera) as PerspectiveCamera;
  const gl = useThree((state) => state.gl);
  const invalidate = useThree((state) => state.invalidate);
  useEffect(
    () => room.attach({ camera, element: gl.domElement, xrReferenceSpace: () => gl.xr.getReferenceSpace() }),
    [room, camera, gl],
  );
  useEffect(() => {
    let handle = 0;
    const displayFrame = (now: number) => {
      handle = requestAnimationFrame(displayFrame);
      if (gl.xr.isPresenting) return;
      if (room.pacing.draw(now)) invalidate();
      else room.idle();
    };
    handle = requestAnimationFrame(displayFrame);
    return () => cancelAnimationFrame(handle);
  }, [room, gl, invalidate]);
  useFrame((state, _delta, xrFrame?: XRFrame) => room.frame(state.clock.elapsedTime * 1000, xrFrame));
  return null;
}
