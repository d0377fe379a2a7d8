/**
 * A live room: its Yjs document, the y-webrtc provider that connects this
 * browser to the other peers (signaling through our server's `/signal`), and
 * a status store the UI renders. Plain TypeScript; React only subscribes.
 */
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import type { Identity } from '../core/identity.ts';
import { createStore, type Store } from '../core/store.ts';
import { listPeers, type Peer, publishPresence } from './presence.ts';

/** Without a signaling connection after this long, tell the person why. */
export const SIGNALING_UNREACHABLE_MS = 6_000;

export type SignalingState = 'connecting' | 'connected' | 'unreachable';

export interface RoomStatus {
  signaling: SignalingState;
  /** Peers with an open WebRTC connection. */
  webrtcPeers: number;
  /** Other tabs of this browser reached through BroadcastChannel. */
  broadcastPeers: number;
  peers: Peer[];
}

export interface RoomSessionOptions {
  roomId: string;
  signalingUrl: string;
  iceServers: RTCIceServer[];
  identity: Identity;
  /** Optional room password: y-webrtc encrypts signaling and sync with it. */
  password?: string;
}

/** The y-webrtc topic for a room; prefixed so other apps on a shared server never collide. */
export function webrtcRoomName(roomId: string): string {
  return `holoroom:${roomId}`;
}

/** What y-webrtc's signaling connection (a lib0 WebsocketClient) exposes to us. */
interface SignalingConnection {
  connected: boolean;
  on(event: 'connect' | 'disconnect', handler: () => void): void;
  off(event: 'connect' | 'disconnect', handler: () => void): void;
}

interface WebrtcConnLike {
  connected: boolean;
}

export class RoomSession {
  readonly doc = new Y.Doc();
  readonly provider: WebrtcProvider;
  readonly status: Store<RoomStatus>;
  private identity: Identity;
  private inXR = false;
  private readonly unreachableTimer: ReturnType<typeof setTimeout>;
  private readonly signalingConns: SignalingConnection[];

  constructor(options: RoomSessionOptions) {
    this.identity = options.identity;
    this.status = createStore<RoomStatus>({ signaling: 'connecting', webrtcPeers: 0, broadcastPeers: 0, peers: [] });
    this.provider = new WebrtcProvider(webrtcRoomName(options.roomId), this.doc, {
      signaling: [options.signalingUrl],
      ...(options.password ? { password: options.password } : {}),
      // Always pass our own list: simple-peer's default would reach public STUN servers.
      peerOpts: { config: { iceServers: options.iceServers } },
    });
    publishPresence(this.provider.awareness, { ...this.identity, inXR: this.inXR });

    this.signalingConns = this.provider.signalingConns as SignalingConnection[];
    for (const conn of this.signalingConns) {
      conn.on('connect', this.updateSignaling);
      conn.on('disconnect', this.updateSignaling);
    }
    this.unreachableTimer = setTimeout(() => {
      if (this.status.get().signaling === 'connecting') this.patch({ signaling: 'unreachable' });
    }, SIGNALING_UNREACHABLE_MS);
    this.provider.on('peers', this.updatePeers);
    this.provider.awareness.on('change', this.updatePeers);
    this.updateSignaling();
  }

  setIdentity(identity: Identity): void {
    this.identity = identity;
    publishPresence(this.provider.awareness, { ...identity, inXR: this.inXR });
  }

  setInXR(inXR: boolean): void {
    this.inXR = inXR;
    publishPresence(this.provider.awareness, { ...this.identity, inXR });
  }

  destroy(): void {
    clearTimeout(this.unreachableTimer);
    for (const conn of this.signalingConns) {
      conn.off('connect', this.updateSignaling);
      conn.off('disconnect', this.updateSignaling);
    }
    this.provider.awareness.off('change', this.updatePeers);
    this.provider.off('peers', this.updatePeers);
    this.provider.disconnect();
    this.provider.destroy();
    this.doc.destroy();
  }

  private patch(changes: Partial<RoomStatus>): void {
    this.status.update((current) => ({ ...current, ...changes }));
  }

  private readonly updateSignaling = () => {
    const connected = this.signalingConns.some((conn) => conn.connected);
    const previous = this.status.get().signaling;
    if (connected) this.patch({ signaling: 'connected' });
    // Once it has been up, a drop means "reconnecting", which is still "connecting".
    else if (previous === 'connected') this.patch({ signaling: 'connecting' });
  };

  private readonly updatePeers = () => {
    const room = this.provider.room;
    const conns = room ? [...(room.webrtcConns.values() as Iterable<WebrtcConnLike>)] : [];
    this.patch({
      webrtcPeers: conns.filter((conn) => conn.connected).length,
      broadcastPeers: room ? room.bcConns.size : 0,
      peers: listPeers(this.provider.awareness),
    });
  };
}
