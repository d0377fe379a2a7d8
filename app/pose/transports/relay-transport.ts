/**
 * Pose links through the server relay (`/relay`, server/relay.ts): one
 * WebSocket per page, and a link per peer the relay says is in the room.
 * Batches sent during a tick are coalesced: peers that get identical bytes
 * share one TO_PEERS frame, flushed at the end of the tick. Control messages
 * (PING/PONG/HELLO) go at once, so round-trip times are not inflated by the
 * wait for the tick's end. Reconnects with exponential backoff and jitter ([TRN5]),
 * presenting the session secret of its last socket so it may take its own peer
 * id over from a socket the server has not yet noticed is dead (RELAY9).
 */

import type { PeerId } from '../../core/ids.ts';
import { createStore, type Store } from '../../core/store.ts';
import { kindOf } from '../wire/header.ts';
import { KIND_BATCH, MAX_MESSAGE_BYTES } from '../wire/protocol.ts';
import {
  RELAY_MAX_TARGETS,
  readServerFrame,
  relaySecretParam,
  toPeersLength,
  writeToPeers,
} from '../wire/relay-frames.ts';
import { viewOf } from '../wire/views.ts';
import { Backoff } from './backoff.ts';
import type { LinkSink, PoseLink, PoseTransport } from './link.ts';

export const RELAY_RECONNECT_BASE_MS = 500;
export const RELAY_RECONNECT_MAX_MS = 15_000;
/** Coalescing groups per tick; beyond this a frame is flushed early. */
const MAX_GROUPS = 8;
const FRAME_CAPACITY = toPeersLength(RELAY_MAX_TARGETS, MAX_MESSAGE_BYTES);

export type RelayState = 'connecting' | 'open' | 'closed' | 'off';

interface Group {
  payload: Uint8Array;
  length: number;
  targets: Uint32Array;
  count: number;
  frame: Uint8Array;
}

export interface RelayTransportOptions {
  url: string;
  sink: LinkSink;
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
}

export class RelayPoseTransport implements PoseTransport {
  readonly kind = 'relay' as const;
  readonly state: Store<RelayState> = createStore<RelayState>('connecting');
  /**
   * True once the relay has said who is in the room: its PEERS frame, the first thing it sends on every
   * connection, even when nobody else is there (a join waits for it before it calls a room empty, ROOM18).
   */
  readonly heardRoster: Store<boolean> = createStore(false);
  private socket: WebSocket | undefined;
  private readonly links = new Map<PeerId, PoseLink>();
  private readonly groups: Group[] = [];
  private used = 0;
  private readonly backoff: Backoff;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly control = new Uint8Array(toPeersLength(1, MAX_MESSAGE_BYTES));
  private destroyed = false;
  /** RELAY9: the secret of this page's last relay session, to reclaim its peer id. */
  private secret: string | undefined;

  constructor(private readonly options: RelayTransportOptions) {
    this.backoff = new Backoff({
      baseMs: RELAY_RECONNECT_BASE_MS,
      maxMs: RELAY_RECONNECT_MAX_MS,
      ...(options.random ? { random: options.random } : {}),
    });
    for (let i = 0; i < MAX_GROUPS; i++) {
      this.groups.push({
        payload: new Uint8Array(MAX_MESSAGE_BYTES),
        length: 0,
        targets: new Uint32Array(RELAY_MAX_TARGETS),
        count: 0,
        frame: new Uint8Array(FRAME_CAPACITY),
      });
    }
    this.connect();
  }

  /** Peers the relay currently reaches. */
  get peerIds(): PeerId[] {
    return [...this.links.keys()];
  }

  private connect(): void {
    if (this.destroyed) return;
    this.state.set('connecting');
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const url = this.secret ? `${this.options.url}&secret=${this.secret}` : this.options.url;
    const socket = new Impl(url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      this.backoff.reset();
      this.state.set('open');
    };
    socket.onmessage = (event: MessageEvent) => {
      if (event.data instanceof ArrayBuffer) this.onFrame(new Uint8Array(event.data));
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.dropAllLinks();
      if (this.destroyed) return;
      this.state.set('closed');
      this.timer = setTimeout(() => this.connect(), this.backoff.next());
    };
    socket.onerror = () => {
      // onclose follows and schedules the reconnect.
    };
  }

  /** A frame from the relay; one this client cannot read (malformed, or newer than it) is skipped. */
  private onFrame(bytes: Uint8Array): void {
    const read = readServerFrame(bytes);
    if (!read.ok) return;
    const frame = read.frame;
    switch (frame.type) {
      case 'from':
        this.options.sink.receive(frame.payload, this.linkFor(frame.sender));
        return;
      case 'peers':
        for (const peerId of frame.peers) this.linkFor(peerId);
        this.heardRoster.set(true);
        return;
      case 'joined':
        this.linkFor(frame.peer);
        return;
      case 'left': {
        const link = this.links.get(frame.peer);
        if (link) {
          this.links.delete(frame.peer);
          this.options.sink.linkDown(link);
        }
        return;
      }
      case 'session':
        this.secret = relaySecretParam(frame.secret);
        return;
    }
  }

  private linkFor(peerId: PeerId): PoseLink {
    let link = this.links.get(peerId);
    if (!link) {
      link = { kind: 'relay', peerId, send: (bytes) => this.send(peerId, bytes) };
      this.links.set(peerId, link);
      this.options.sink.linkUp(link);
    }
    return link;
  }

  private send(peerId: PeerId, bytes: Uint8Array): boolean {
    const socket = this.socket;
    if (socket?.readyState !== 1) return false;
    if (kindOf(bytes) !== KIND_BATCH) {
      const length = writeToPeers(this.control, [peerId], 1, bytes);
      socket.send(viewOf(this.control, length) as Uint8Array<ArrayBuffer>);
      return true;
    }
    for (let g = 0; g < this.used; g++) {
      const group = this.groups[g] as Group;
      if (group.length === bytes.length && group.count < RELAY_MAX_TARGETS && sameBytes(group.payload, bytes)) {
        group.targets[group.count++] = peerId;
        return true;
      }
    }
    if (this.used === MAX_GROUPS) this.flush();
    const group = this.groups[this.used++] as Group;
    group.payload.set(bytes);
    group.length = bytes.length;
    group.targets[0] = peerId;
    group.count = 1;
    return true;
  }

  /** Sends this tick's coalesced batches. WebSocket.send copies, so the buffers are reused. */
  flush(): void {
    const socket = this.socket;
    for (let g = 0; g < this.used; g++) {
      const group = this.groups[g] as Group;
      if (socket?.readyState !== 1) continue;
      const length = writeToPeers(group.frame, group.targets, group.count, group.payload.subarray(0, group.length));
      socket.send(viewOf(group.frame, length) as Uint8Array<ArrayBuffer>);
    }
    this.used = 0;
  }

  private dropAllLinks(): void {
    const links = [...this.links.values()];
    this.links.clear();
    for (const link of links) this.options.sink.linkDown(link);
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.timer);
    this.state.set('off');
    const socket = this.socket;
    this.socket = undefined;
    this.dropAllLinks();
    socket?.close(1000, 'leaving');
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
