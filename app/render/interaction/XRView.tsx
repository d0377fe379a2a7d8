import { XROrigin } from '@react-three/xr';
import { useEffect, useRef } from 'react';
import type { Group } from 'three';
import type { Room } from '../../room/open-room.ts';
import { useStore } from '../use-store.ts';

/**
 * The person in a headset: the XR origin that locomotion moves, the teleport
 * arc and the comfort vignette (docs/interaction.md XR1-XR3, LOCO1-LOCO5,
 * COMFORT3). What they do is the room's (`Room.frame`, step 1); this only
 * mounts the objects it moves.
 */
export function XRView({ room }: { room: Room }) {
  const origin = useRef<Group>(null);
  useEffect(() => {
    if (!origin.current) return;
    return room.attachXROrigin(origin.current);
  }, [room]);
  // Loaded before the XR layer says it is ready (LOAD12).
  const xr = useStore(room.xr);
  return (
    <>
      <XROrigin ref={origin} />
      {xr && <primitive object={xr.teleportArc.root} />}
      {xr && <primitive object={xr.vignette.root} />}
    </>
  );
}
