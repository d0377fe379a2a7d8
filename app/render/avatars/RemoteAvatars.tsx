import type { Room } from '../../room/open-room.ts';
import { useStore } from '../use-store.ts';
import { RemoteAvatar } from './RemoteAvatar.tsx';

/** Every remote peer the pose channel knows, as an avatar. */
export function RemoteAvatars({ room }: { room: Room }) {
  const peers = useStore(room.pose.channel.peerList);
  return (
    <>
      {peers.map((peer) => (
        <RemoteAvatar key={peer.id} peer={peer} room={room} />
      ))}
    </>
  );
}
