import type { PeerId } from '../../core/ids.ts';
import type { Room } from '../../room/open-room.ts';
import { useStore } from '../use-store.ts';
import { useVoiceState } from '../use-voice.ts';
import { RemoteAvatar } from './RemoteAvatar.tsx';

/** Every remote peer the pose channel knows, as an avatar, with a ring while they speak (VOICE5), faded while away (PRES5). */
export function RemoteAvatars({ room }: { room: Room }) {
  const peers = useStore(room.pose.channel.peerList);
  const { peers: present } = useStore(room.session.status);
  const away = new Set<PeerId>();
  for (const peer of present) if (peer.away) away.add(peer.peerId);
  const voice = useVoiceState(room);
  const speaking = new Set<PeerId>();
  for (const peer of voice.peers) if (peer.speaking) speaking.add(peer.peerId);
  return (
    <>
      {peers.map((peer) => (
        <RemoteAvatar key={peer.id} peer={peer} room={room} speaking={speaking.has(peer.id)} away={away.has(peer.id)} />
      ))}
    </>
  );
}
