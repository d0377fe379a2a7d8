import type { PoseChannel } from '../../pose/channel.ts';
import { useStore } from '../../ui/use-store.ts';
import { RemoteAvatar } from './RemoteAvatar.tsx';

/** Every remote peer the pose channel knows, as an avatar. */
export function RemoteAvatars({ channel }: { channel: PoseChannel }) {
  const peers = useStore(channel.peerList);
  return (
    <>
      {peers.map((peer) => (
        <RemoteAvatar key={peer.id} peer={peer} channel={channel} />
      ))}
    </>
  );
}
