import { useFrame, useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import type { PerspectiveCamera } from 'three';
import type { Room } from '../room/open-room.ts';

/**
 * The room's one frame callback: R3F calls it once per rendered frame (the XR
 * frame in a headset) and the room runs its steps in its written order
 * (`Room.frame`). Also hands the room the camera and canvas it draws into.
 */
export function RoomFrame({ room }: { room: Room }) {
  const camera = useThree((state) => state.camera) as PerspectiveCamera;
  const gl = useThree((state) => state.gl);
  useEffect(
    () => room.attach({ camera, element: gl.domElement, xrReferenceSpace: () => gl.xr.getReferenceSpace() }),
    [room, camera, gl],
  );
  useFrame((state, _delta, xrFrame?: XRFrame) => room.frame(state.clock.elapsedTime * 1000, xrFrame));
  return null;
}
