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

import { createStore, type Store } from '../../core/store.ts';
import { Backoff } from '../backoff.ts';
import type { LinkSink, PoseLink, PoseTransport } from '../link.ts';
import { KIND_BATCH, MAX_MESSAGE_BYTES } from '../protocol.ts';
import { viewOf } from '../views.ts';
import {
  RELAY_FROM,
  RELAY_JOINED,
  RELAY_LEFT,
  RELAY_MAX_TARGETS,
  RELAY_PEERS,
  readRelaySession,
  readU32LE,
  writeToPeersHeader,
} from './relay-envelope.ts';

export const RELAY_RECONNECT_BASE_MS = 500;
export const RELAY_RECONNECT_MAX_MS = 15_000;
/** Coalescing groups per tick; beyond this a frame is flushed early. */
const MAX_GROUPS = 8;
const FRAME_CAPACITY = 2 + 4 * RELAY_MAX_TARGETS + MAX_MESSAGE_BYTES;

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
  private socket: WebSocket | undefined;
  private readonly links = new Map<number, PoseLink>();
  private readonly groups: Group[] = [];
  private used = 0;
  private readonly backoff: Backoff;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly control = new Uint8Array(2 + 4 + MAX_MESSAGE_BYTES);
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
  get peerIds(): number[] {
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

  private onFrame(frame: Uint8Array): void {
    const type = frame[0];
    const secret = readRelaySession(frame);
    if (secret !== undefined) {
      this.secret = secret;
    } else if (type === RELAY_FROM && frame.length > 5) {
      const link = this.linkFor(readU32LE(frame, 1));
      this.options.sink.receive(frame.subarray(5), link);
    } else if (type === RELAY_PEERS && frame.length >= 3) {
      const n = (frame[1] as number) | ((frame[2] as number) << 8);
      for (let i = 0; i < n && 3 + 4 * i + 4 <= frame.length; i++) this.linkFor(readU32LE(frame, 3 + 4 * i));
    } else if (type === RELAY_JOINED && frame.length === 5) {
      this.linkFor(readU32LE(frame, 1));
    } else if (type === RELAY_LEFT && frame.length === 5) {
      const id = readU32LE(frame, 1);
      const link = this.links.get(id);
      if (link) {
        this.links.delete(id);
        this.options.sink.linkDown(link);
      }
    }
  }

  private linkFor(peerId: number): PoseLink {
    let link = this.links.get(peerId);
    if (!link) {
      link = { kind: 'relay', peerId, send: (bytes) => this.send(peerId, bytes) };
      this.links.set(peerId, link);
      this.options.sink.linkUp(link);
    }
    return link;
  }

  private send(peerId: number, bytes: Uint8Array): boolean {
    const socket = this.socket;
    if (socket?.readyState !== 1) return false;
    if (bytes[1] !== KIND_BATCH) {
      const at = writeToPeersHeader(this.control, [peerId], 1);
      this.control.set(bytes, at);
      socket.send(viewOf(this.control, at + bytes.length) as Uint8Array<ArrayBuffer>);
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
      const at = writeToPeersHeader(group.frame, group.targets, group.count);
      group.frame.set(group.payload.subarray(0, group.length), at);
      socket.send(viewOf(group.frame, at + group.length) as Uint8Array<ArrayBuffer>);
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
