/**
 * Opens the pose channel for a room page: the channel, and the transports this
 * page can use (docs/transports.md). Browser only (WebSocket, BroadcastChannel),
 * but still plain TypeScript: React only renders what it exposes.
 *
 * The pose peer id is the room's awareness client id, so an avatar and a
 * presence entry name the same person on every transport ([TRN6]).
 *
 * Page switches (tests and troubleshooting):
 *   ?webrtc=off           no y-webrtc at all (RoomSession), so poses use the relay
 *   ?pose-relay=off       no relay; ?pose-broadcast=off: no BroadcastChannel
 * A room with a password never uses the relay: the server must not see its traffic (PW1).
 */

import { parsePresence } from '../sync/presence.ts';
import { passwordFromHash } from '../sync/room-link.ts';
import type { RoomSession } from '../sync/room-session.ts';
import { PoseChannel, type PoseIdentity } from './channel.ts';
import { BroadcastPoseTransport } from './transports/broadcast-transport.ts';
import { RelayPoseTransport } from './transports/relay-transport.ts';
import { WebrtcPoseTransport } from './transports/webrtc-transport.ts';
import { localRtcId } from './transports/y-webrtc-adapter.ts';
import { RELAY_ROOM_PATTERN, relayUrl } from './wire/relay-envelope.ts';

export interface PoseRoom {
  channel: PoseChannel;
  webrtc?: WebrtcPoseTransport;
  relay?: RelayPoseTransport;
  broadcast?: BroadcastPoseTransport;
  destroy(): void;
}

export interface PageLocation {
  protocol: string;
  host: string;
  search: string;
  hash: string;
}

const FALLBACK_IDENTITY: PoseIdentity = { name: 'Guest', color: '#9fb0bd' };

export function openPoseRoom(session: RoomSession, roomId: string, location: PageLocation): PoseRoom {
  const awareness = session.awareness;
  const selfId = awareness.clientID >>> 0 || 1;
  let identity = parsePresence(awareness.getLocalState()) ?? FALLBACK_IDENTITY;
  const channel = new PoseChannel({
    selfId,
    identity: () => identity,
    linkToken: () => localRtcId(session.webrtc) ?? '',
  });
  const room: PoseRoom = { channel, destroy: () => {} };
  const params = new URLSearchParams(location.search);

  if (session.webrtc) {
    room.webrtc = new WebrtcPoseTransport(session.webrtc, channel);
    channel.addTransport(room.webrtc);
  }
  if (!passwordFromHash(location.hash) && params.get('pose-relay') !== 'off' && RELAY_ROOM_PATTERN.test(roomId)) {
    room.relay = new RelayPoseTransport({ url: relayUrl(location, roomId, selfId), sink: channel });
    channel.addTransport(room.relay);
  }
  if (typeof BroadcastChannel !== 'undefined' && params.get('pose-broadcast') !== 'off') {
    room.broadcast = new BroadcastPoseTransport(`holoroom-pose:${roomId}`, selfId, channel);
    channel.addTransport(room.broadcast);
  }

  // A new name or colour goes out in the next HELLO.
  const onAwareness = () => {
    const next = parsePresence(awareness.getLocalState());
    if (next && (next.name !== identity.name || next.color !== identity.color)) {
      identity = next;
      channel.setIdentityChanged();
    }
  };
  awareness.on('change', onAwareness);
  const onPageHide = () => channel.sayGoodbye();
  addEventListener('pagehide', onPageHide);

  room.destroy = () => {
    removeEventListener('pagehide', onPageHide);
    awareness.off('change', onAwareness);
    channel.destroy();
  };
  return room;
}
