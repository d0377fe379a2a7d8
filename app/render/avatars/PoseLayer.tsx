import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { Vector3 } from 'three';
import type { PoseChannel } from '../../pose/channel.ts';
import { debugHandle } from '../../ui/debug-handle.ts';
import { PoseDriver } from './PoseDriver.tsx';
import { RemoteAvatars } from './RemoteAvatars.tsx';

export interface RenderedAvatar {
  peerId: number;
  name: string;
  visible: boolean;
  head: [number, number, number];
}

/** The pose channel in the scene: this person's pose out, everyone else's avatars in. */
export function PoseLayer({ channel }: { channel: PoseChannel }) {
  const scene = useThree((state) => state.scene);
  const camera = useThree((state) => state.camera);
  useEffect(() => {
    // For browser tests and benchmarks: where the rendered avatars are right now.
    const world = new Vector3();
    const avatars = (): RenderedAvatar[] => {
      const found: RenderedAvatar[] = [];
      scene.traverse((object) => {
        if (!object.name.startsWith('avatar-')) return;
        const head = object.children[0];
        if (!head) return;
        head.getWorldPosition(world);
        found.push({
          peerId: object.userData.peerId as number,
          name: object.userData.name as string,
          visible: head.visible,
          head: [world.x, world.y, world.z],
        });
      });
      return found;
    };
    // The camera too, so a benchmark can move this person's head every frame.
    Object.assign(debugHandle(), { avatars, camera });
    return () => {
      Object.assign(debugHandle(), { avatars: undefined, camera: undefined });
    };
  }, [scene, camera]);
  return (
    <>
      <PoseDriver channel={channel} />
      <RemoteAvatars channel={channel} />
    </>
  );
}
