/**
 * The room's pose channel and the transports that reach the other peers
 * (docs/transports.md): WebRTC on y-webrtc's connections when the session has
 * them, the server relay when given its URL, BroadcastChannel between tabs
 * when named. The pose peer id is the room's awareness client id, so an
 * avatar and a presence entry name the same person on every transport ([TRN6]).
 *
 * @example
 *   const pose = openPoseLinks(session, roomId, { relay: location, broadcast: true });
 *   pose.channel.tick(); // once per frame (room.frame)
 */

import type { ConnectTimeline } from '../core/connect-timeline.ts';
import { peerIdOf, type RoomId } from '../core/ids.ts';
import { createStore, type Store } from '../core/store.ts';
import { PoseChannel, type PoseIdentity } from '../pose/channel.ts';
import { BroadcastPoseTransport } from '../pose/transports/broadcast-transport.ts';
import { RelayPoseTransport } from '../pose/transports/relay-transport.ts';
import { WebrtcPoseTransport } from '../pose/transports/webrtc-transport.ts';
import { RELAY_ROOM_PATTERN, relayUrl } from '../pose/wire/relay-frames.ts';
import type { Clock } from '../pose/wire/time.ts';
import { parsePresence } from '../sync/presence.ts';
import { sessionId } from '../sync/roles/session-key.ts';
import type { RoomSession } from '../sync/room-session.ts';
import { localRtcId } from '../sync/y-webrtc-internals.ts';
import { followPresence } from './pose-presence.ts';

export interface PoseLinks {
  channel: PoseChannel;
  /**
   * Turns true when the first pose batch over WebRTC arrives (the join hold waits for it, ROOM6).
   * Not over the relay: its first batch comes before any WebRTC connection is up, so counting it
   * let the renderer start (and its first frame compile every shader) just as the first WebRTC
   * batch arrived, which then waited behind that work (ROOM16).
   */
  heardWebrtcPose: Store<boolean>;
  webrtc?: WebrtcPoseTransport;
  relay?: RelayPoseTransport;
  broadcast?: BroadcastPoseTransport;
  destroy(): void;
}

export interface PoseLinkOptions {
  /** The server whose `/relay` carries poses when WebRTC cannot; no relay without it (never in a password room, PW1). */
  relay?: { protocol: string; host: string };
  /** Reach this browser's other tabs of the room over BroadcastChannel. */
  broadcast?: boolean;
  /** Node tests pass `ws`. */
  WebSocketImpl?: typeof WebSocket;
  clock?: Clock;
  /** Where the relay's opening, the pose channel's opening and the first poses are marked. */
  timeline?: ConnectTimeline;
}

const FALLBACK_IDENTITY: PoseIdentity = { name: 'Guest', color: '#9fb0bd' };

export function openPoseLinks(session: RoomSession, roomId: RoomId, options: PoseLinkOptions = {}): PoseLinks {
  const awareness = session.awareness;
  const selfId = peerIdOf(session.awareness);
  let identity = parsePresence(awareness.getLocalState()) ?? FALLBACK_IDENTITY;
  const heardWebrtcPose = createStore(false);
  const channel = new PoseChannel({
    selfId,
    identity: () => identity,
    linkToken: () => localRtcId(session.webrtc) ?? '',
    ...(options.clock ? { clock: options.clock } : {}),
    onFirstBatch: (kind) => {
      options.timeline?.mark('first_pose');
      if (kind !== 'webrtc') return;
      options.timeline?.mark('first_pose_webrtc');
      heardWebrtcPose.set(true);
    },
  });
  const links: PoseLinks = { channel, heardWebrtcPose, destroy: () => {} };
  // A peer that leaves presence leaves the pose channel at once, BYE or not (POSE19).
  const stops: (() => void)[] = [followPresence(awareness, channel)];

  if (session.webrtc) {
    const webrtc = new WebrtcPoseTransport(session.webrtc, channel);
    links.webrtc = webrtc;
    channel.addTransport(webrtc);
    stops.push(
      webrtc.state.subscribe(({ open }) => {
        if (open > 0) options.timeline?.mark('pose_channel_open');
      }),
    );
  }
  if (options.relay && RELAY_ROOM_PATTERN.test(roomId)) {
    links.relay = new RelayPoseTransport({
      url: relayUrl(options.relay, roomId, selfId, session.sessionKey && sessionId(session.sessionKey.publicKey)),
      sink: channel,
      ...(options.WebSocketImpl ? { WebSocketImpl: options.WebSocketImpl } : {}),
    });
    channel.addTransport(links.relay);
    stops.push(
      links.relay.state.subscribe((state) => {
        if (state === 'open') options.timeline?.mark('relay_open');
      }),
    );
  }
  if (options.broadcast && typeof BroadcastChannel !== 'undefined') {
    links.broadcast = new BroadcastPoseTransport(roomId, selfId, channel);
    channel.addTransport(links.broadcast);
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
  links.destroy = () => {
    for (const stop of stops.splice(0)) stop();
    awareness.off('change', onAwareness);
    channel.destroy();
  };
  return links;
}
