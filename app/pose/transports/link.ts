/**
 * A link is one way to reach one remote peer: a WebRTC data channel, the
 * server relay, or a BroadcastChannel between tabs of this browser. A peer may
 * have several at once; the channel sends each tick over the best one
 * ([TRN1]: broadcast, then webrtc, then relay) and switches as links come and go.
 */
import type { PeerId } from '../../core/ids.ts';
export type TransportKind = 'broadcast' | 'webrtc' | 'relay';

/** Best first. */
export const TRANSPORT_PREFERENCE: readonly TransportKind[] = ['broadcast', 'webrtc', 'relay'];

export interface PoseLink {
  readonly kind: TransportKind;
  readonly peerId: PeerId;
  /** Sends one message; the bytes are only borrowed for the call. False when the link cannot send now. */
  send(bytes: Uint8Array): boolean;
  /**
   * Gives this link up because it went silent (TRN8): the transport drops the
   * connection under it and makes a new one. Only links that can fail
   * silently (WebRTC) have it.
   */
  restart?(): void;
}

/** What a transport gives the channel: messages and link changes. */
export interface LinkSink {
  /** A HELLO asking for a reply: lets a transport that learns peer ids from traffic start the exchange. */
  introduction(): Uint8Array;
  linkUp(link: PoseLink): void;
  linkDown(link: PoseLink): void;
  receive(bytes: Uint8Array, link: PoseLink): void;
}

export interface PoseTransport {
  readonly kind: TransportKind;
  /** Called once at the end of every tick (e.g. to coalesce relay frames). */
  flush?(): void;
  destroy(): void;
}
