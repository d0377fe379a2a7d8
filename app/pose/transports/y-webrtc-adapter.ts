/**
 * The only file that relies on y-webrtc and simple-peer internals (their
 * undocumented fields), so a library update breaks one place, caught by
 * y-webrtc-adapter.test.ts. It exposes y-webrtc's peer connections so the pose
 * channel can add its own pre-negotiated data channel to each
 * (docs/transports.md, "Why a channel on y-webrtc's connections").
 *
 * Relied on (y-webrtc 10.3, simple-peer 9.11):
 *   provider.room                 Room | null (set once the room key is ready)
 *   room.peerId                   this peer's id in the room (string)
 *   room.webrtcConns              Map<remote peerId, WebrtcConn>
 *   provider.on/off('peers')      emitted whenever webrtcConns changes
 *   conn.connected, conn.closed   booleans
 *   conn.peer                     the simple-peer instance
 *   peer._pc                      its RTCPeerConnection
 *   peer.once('connect'|'close')  events
 *   peer.destroy()                closes it; y-webrtc then forgets it and announces
 *                                 itself again, which starts a fresh connection
 */
import type { WebrtcProvider } from 'y-webrtc';

/** The part of a simple-peer instance used here. */
interface SimplePeerLike {
  _pc?: RTCPeerConnection;
  destroyed?: boolean;
  once(event: 'connect' | 'close', listener: () => void): void;
  removeListener(event: 'connect' | 'close', listener: () => void): void;
  destroy(): void;
}

interface WebrtcConnLike {
  connected: boolean;
  closed: boolean;
  peer: SimplePeerLike;
}

/** One y-webrtc connection to a remote peer, seen through what the pose channel needs. */
export interface RtcPeerHandle {
  /** y-webrtc's id of the remote peer (not the pose peer id). */
  readonly remoteId: string;
  /** Identity of the underlying connection: a new one after a reconnect. */
  readonly key: object;
  readonly pc: RTCPeerConnection | undefined;
  readonly connected: boolean;
  /** Calls `listener` once the connection is up (at once if it already is); returns an unsubscribe. */
  onConnect(listener: () => void): () => void;
  onClose(listener: () => void): () => void;
  /** Gives up on this attempt: y-webrtc forgets it and announces itself again. */
  destroy(): void;
}

function handleOf(remoteId: string, conn: WebrtcConnLike): RtcPeerHandle {
  const peer = conn.peer;
  const subscribe = (event: 'connect' | 'close', listener: () => void) => {
    peer.once(event, listener);
    return () => peer.removeListener(event, listener);
  };
  return {
    remoteId,
    key: peer,
    get pc() {
      return peer._pc;
    },
    get connected() {
      return conn.connected;
    },
    onConnect(listener) {
      if (conn.connected) {
        listener();
        return () => {};
      }
      return subscribe('connect', listener);
    },
    onClose(listener) {
      if (conn.closed || peer.destroyed) {
        listener();
        return () => {};
      }
      return subscribe('close', listener);
    },
    destroy() {
      if (!peer.destroyed) peer.destroy();
    },
  };
}

/** The provider's current connections (empty before its room exists). */
export function listRtcPeers(provider: WebrtcProvider): RtcPeerHandle[] {
  const room = provider.room;
  if (!room) return [];
  const handles: RtcPeerHandle[] = [];
  for (const [remoteId, conn] of room.webrtcConns as Map<string, unknown>) {
    handles.push(handleOf(remoteId, conn as WebrtcConnLike));
  }
  return handles;
}

/** Calls `listener` whenever y-webrtc's set of connections changes; returns an unsubscribe. */
export function onRtcPeersChanged(provider: WebrtcProvider, listener: () => void): () => void {
  provider.on('peers', listener);
  return () => provider.off('peers', listener);
}

/** This peer's id in the y-webrtc room, once the room exists. */
export function localRtcId(provider: WebrtcProvider | undefined): string | undefined {
  return provider?.room?.peerId;
}
