import { lazy, Suspense } from 'react';
import type { PeerId } from '../../core/ids.ts';
import { AVATAR_HEAD_RADIUS, avatarName } from '../../room/avatars.ts';
import type { Room } from '../../room/open-room.ts';
import { useStore } from '../use-store.ts';

/**
 * A remote person's avatar (head, visor, ring, name tag, hands) and its name tag's drawing, fetched
 * with the first person the room shows (docs/performance.md LOAD20): a room nobody else is in
 * draws its first frame without them.
 */
const RemoteAvatar = lazy(() => import('./RemoteAvatar.tsx').then((m) => ({ default: m.RemoteAvatar })));

/**
 * Every remote peer the pose channel knows, as an avatar (with a ring while they speak, VOICE5),
 * faded while away (PRES5), named as presence names them (PNAME6).
 */
export function RemoteAvatars({ room }: { room: Room }) {
  const peers = useStore(room.pose.channel.peerList);
  const { peers: present } = useStore(room.session.status);
  const away = new Set<PeerId>();
  for (const peer of present) if (peer.away) away.add(peer.peerId);
  const protectedRoom = room.session.role !== 'open';
  // Its own boundary: the room draws on while an avatar's code loads.
  return (
    <Suspense fallback={null}>
      {peers.map((peer) => (
        <RemoteAvatar
          key={peer.id}
          peer={peer}
          name={avatarName(present, protectedRoom, peer.id, peer.name)}
          room={room}
          away={away.has(peer.id)}
          headRadius={AVATAR_HEAD_RADIUS}
        />
      ))}
    </Suspense>
  );
}
