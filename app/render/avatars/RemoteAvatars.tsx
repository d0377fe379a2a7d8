import { useEffect } from 'react';
import type { PeerId } from '../../core/ids.ts';
import { createStore } from '../../core/store.ts';
import { AVATAR_HEAD_RADIUS, avatarName } from '../../room/avatars.ts';
import type { Room } from '../../room/open-room.ts';
import { useStore } from '../use-store.ts';
import type { RemoteAvatar } from './RemoteAvatar.tsx';

/**
 * A remote person's avatar (head, visor, ring, name tag, hands) and its name tag's drawing, fetched
 * with the first person the room shows (docs/performance.md LOAD20): a room nobody else is in
 * draws its first frame without them.
 *
 * Not `React.lazy` (DRAW9): a lazy component suspends on its first render even when its module has
 * loaded, and React shows a resolved boundary's content only on a later retry (hundreds of
 * milliseconds on a page busy drawing). The code sits in a store instead, loaded as soon as the pose
 * channel knows a peer (`room.avatars.loadCodeWith`, called by the page before its renderer exists);
 * its arrival renders the avatars at once, and a renderer made after it draws them in its first frame.
 */
const avatarCode = createStore<typeof RemoteAvatar | undefined>(undefined);
let loading: Promise<void> | undefined;

/** Loads the avatar's code once (a failed load may be tried again). */
export function loadRemoteAvatar(): Promise<void> {
  loading ??= import('./RemoteAvatar.tsx').then(
    (module) => avatarCode.set(module.RemoteAvatar),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/**
 * Every remote peer the pose channel knows, as an avatar (with a ring while they speak, VOICE5),
 * faded while away (PRES5), named as presence names them (PNAME6).
 */
export function RemoteAvatars({ room }: { room: Room }) {
  const peers = useStore(room.pose.channel.peerList);
  const { peers: present } = useStore(room.session.status);
  const Avatar = useStore(avatarCode);
  // A view drawn without the page's loader (room.avatars.loadCodeWith) still loads the code with the first peer.
  const someone = peers.length > 0;
  useEffect(() => {
    if (someone && !Avatar) loadRemoteAvatar().catch((error: unknown) => reportError(error));
  }, [someone, Avatar]);
  if (!Avatar) return null;
  const away = new Set<PeerId>();
  for (const peer of present) if (peer.away) away.add(peer.peerId);
  const protectedRoom = room.session.role !== 'open';
  return peers.map((peer) => (
    <Avatar
      key={peer.id}
      peer={peer}
      name={avatarName(present, protectedRoom, peer.id, peer.name)}
      room={room}
      away={away.has(peer.id)}
      headRadius={AVATAR_HEAD_RADIUS}
    />
  ));
}
