import { useFrame } from '@react-three/fiber';
import { useEffect, useMemo, useRef } from 'react';
import type { Group } from 'three';
import type { PeerInfo, PoseChannel } from '../../pose/channel.ts';
import { PART_HEAD, PART_LEFT, PART_RIGHT } from '../../pose/wire/protocol.ts';
import { createNameTagTexture, NAME_TAG_SIZE } from './name-tag.ts';

const HEAD_RADIUS = 0.13;

/**
 * One remote person: a head (sphere in their colour, a visor showing where
 * they look) with a name tag above it, and hands when they are in XR. Poses
 * come from the pose channel every frame, written straight into the objects.
 */
export function RemoteAvatar({ peer, channel }: { peer: PeerInfo; channel: PoseChannel }) {
  const head = useRef<Group>(null);
  const tag = useRef<Group>(null);
  const left = useRef<Group>(null);
  const right = useRef<Group>(null);
  const texture = useMemo(() => createNameTagTexture(peer.name, peer.color), [peer.name, peer.color]);
  useEffect(() => () => texture.dispose(), [texture]);

  useFrame(({ camera }) => {
    const h = head.current;
    if (h) {
      h.visible = channel.sampleAvatarPart(peer.id, PART_HEAD, h.position, h.quaternion) !== 'empty';
      const t = tag.current;
      if (t) {
        t.visible = h.visible;
        t.position.set(h.position.x, h.position.y + HEAD_RADIUS + 0.14, h.position.z);
        t.quaternion.copy(camera.quaternion); // always faces the viewer
      }
    }
    const l = left.current;
    if (l) l.visible = channel.sampleAvatarPart(peer.id, PART_LEFT, l.position, l.quaternion) !== 'empty';
    const r = right.current;
    if (r) r.visible = channel.sampleAvatarPart(peer.id, PART_RIGHT, r.position, r.quaternion) !== 'empty';
  });

  return (
    <group name={`avatar-${peer.id}`} userData={{ peerId: peer.id, name: peer.name }}>
      <group ref={head} visible={false}>
        <mesh castShadow>
          <sphereGeometry args={[HEAD_RADIUS, 32, 16]} />
          <meshStandardMaterial color={peer.color} roughness={0.45} />
        </mesh>
        {/* The visor faces -z, where a camera looks. */}
        <mesh position={[0, 0.02, -HEAD_RADIUS * 0.82]}>
          <boxGeometry args={[0.17, 0.06, 0.06]} />
          <meshStandardMaterial color="#0f1720" roughness={0.2} metalness={0.4} />
        </mesh>
      </group>
      <group ref={tag} visible={false}>
        <mesh>
          <planeGeometry args={NAME_TAG_SIZE} />
          <meshBasicMaterial map={texture} transparent depthWrite={false} />
        </mesh>
      </group>
      {[left, right].map((ref, i) => (
        <group ref={ref} key={i === 0 ? 'left' : 'right'} visible={false}>
          <mesh castShadow>
            <boxGeometry args={[0.07, 0.035, 0.12]} />
            <meshStandardMaterial color={peer.color} roughness={0.6} />
          </mesh>
        </group>
      ))}
    </group>
  );
}
