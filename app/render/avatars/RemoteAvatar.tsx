import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { Group } from 'three';
import type { PeerInfo } from '../../pose/channel.ts';
import type { Room } from '../../room/open-room.ts';
import { useVoiceState } from '../use-voice.ts';
import { createNameTagTexture, NAME_TAG_SIZE } from './name-tag.ts';

/**
 * One remote person: a head (sphere in their colour, a visor showing where
 * they look) with a name tag above it, and hands when they are in XR. The
 * room writes their poses into these objects every frame (app/room/avatars.ts).
 */
export function RemoteAvatar({
  peer,
  name,
  room,
  away,
  headRadius: HEAD_RADIUS,
}: {
  peer: PeerInfo;
  /** What the tag says (PNAME6): presence's name, not the pose channel's. */
  name: string;
  room: Room;
  /** Their page is hidden (PRES5): the head fades and the tag says so, rather than a frozen person. */
  away: boolean;
  /**
   * AVATAR_HEAD_RADIUS (app/room/avatars.ts), handed in: this component is its own chunk (LOAD20), and
   * importing the room's modules from it would split them out of the room's chunk.
   */
  headRadius: number;
}) {
  // VOICE5: voice's state (its starting state until voice has loaded) is read here, so the room's
  // first chunk does not need it while nobody else is in the room (LOAD20).
  const speaking = useVoiceState(room).peers.some((other) => other.peerId === peer.id && other.speaking);
  const root = useRef<Group>(null);
  const head = useRef<Group>(null);
  const tag = useRef<Group>(null);
  const left = useRef<Group>(null);
  const right = useRef<Group>(null);
  const label = away ? `${name} (away)` : name;
  const texture = useMemo(() => createNameTagTexture(label, peer.color), [label, peer.color]);
  useEffect(() => () => texture.dispose(), [texture]);

  // In the commit that mounts it (DRAW9): the room's next frame poses and draws it, with no wait for passive effects.
  useLayoutEffect(() => {
    const [r, h, t, l, g] = [root.current, head.current, tag.current, left.current, right.current];
    if (!r || !h || !t || !l || !g) return;
    return room.avatars.add(peer.id, { root: r, head: h, tag: t, left: l, right: g });
  }, [room, peer.id]);

  return (
    <group ref={root} name={`avatar-${peer.id}`} userData={{ peerId: peer.id, name, speaking, away }}>
      <group ref={head} visible={false}>
        <mesh castShadow>
          <sphereGeometry args={[HEAD_RADIUS, 32, 16]} />
          <meshStandardMaterial color={peer.color} roughness={0.45} transparent={away} opacity={away ? 0.35 : 1} />
        </mesh>
        {/* The visor faces -z, where a camera looks. */}
        <mesh position={[0, 0.02, -HEAD_RADIUS * 0.82]}>
          <boxGeometry args={[0.17, 0.06, 0.06]} />
          <meshStandardMaterial color="#0f1720" roughness={0.2} metalness={0.4} />
        </mesh>
        {/* VOICE5: a bright ring around the head while this person speaks. */}
        <mesh name="speaking-ring" visible={speaking} rotation={[Math.PI / 2, 0, 0]}>
          <torusGeometry args={[HEAD_RADIUS * 1.35, 0.012, 8, 32]} />
          <meshBasicMaterial color="#ffe066" />
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
