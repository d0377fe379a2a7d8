import type { PeerId } from '../../core/ids.ts';
import { avatarName } from '../../room/avatars.ts';
import type { Room } from '../../room/open-room.ts';
import { useStore } from '../use-store.ts';
import { useVoiceState } from '../use-voice.ts';
import { RemoteAvatar } from './RemoteAvatar.tsx';

/**
 * Every remote peer the pose channel knows, as an avatar, with a ring while they speak (VOICE5),
 * faded while away (PRES5), named as presence names them (PNAME6).
 */
export function RemoteAvatars({ room }: { room: Room }) {
  const peers = useStore(room.pose.channel.peerList);
  const { peers: present } = useStore(room.session.status);
  const away = new Set<PeerId>();
  for (const peer of present) if (peer.away) away.add(peer.peerId);
  const protectedRoom = room.session.role !== 'open';
  const voice = useVoiceState(room);
  const speaking = new Set<PeerId>();
  for (const peer of voice.peers) if (peer.speaking) speaking.add(peer.peerId);
  return (
    <>
      {peers.map((peer) => (
        <RemoteAvatar
          key={peer.id}
          peer={peer}
          name={avatarName(present, protectedRoom, peer.id, peer.name)}
          room={room}
          speaking={speaking.has(peer.id)}
          away={away.has(peer.id)}
        />
      ))}
    </>
  );
}
