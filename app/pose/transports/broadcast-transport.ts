/**
 * Pose links between tabs of this browser over BroadcastChannel ([TRN1]: the
 * preferred link when it exists; y-webrtc does not connect tabs of one
 * browser to each other). Frames: to:u32 (0 = everyone), from:u32, payload.
 * An empty payload is a presence announcement (every ANNOUNCE_MS); a link
 * ends on a leave frame (to = 0xffffffff) or after LINK_TIMEOUT_MS of silence.
 */

import type { PeerId } from '../../core/ids.ts';
import { readU32LE } from '../wire/relay-envelope.ts';
import type { LinkSink, PoseLink, PoseTransport } from './link.ts';

const ANNOUNCE_MS = 2_000;
const LINK_TIMEOUT_MS = 6_000;
const LEAVE = 0xffffffff;

export class BroadcastPoseTransport implements PoseTransport {
  readonly kind = 'broadcast' as const;
  private readonly channel: BroadcastChannel;
  private readonly links = new Map<PeerId, { link: PoseLink; lastHeard: number }>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    name: string,
    private readonly selfId: PeerId,
    private readonly sink: LinkSink,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.channel = new BroadcastChannel(name);
    this.channel.onmessage = (event: MessageEvent) => {
      if (event.data instanceof Uint8Array) this.onFrame(event.data);
    };
    this.timer = setInterval(this.tick, ANNOUNCE_MS);
    this.post(0, undefined);
  }

  private readonly tick = () => {
    this.post(0, undefined);
    const now = this.now();
    for (const [id, entry] of [...this.links]) {
      if (now - entry.lastHeard > LINK_TIMEOUT_MS) {
        this.links.delete(id);
        this.sink.linkDown(entry.link);
      }
    }
  };

  private post(to: number, payload: Uint8Array | undefined): void {
    const frame = new Uint8Array(8 + (payload?.length ?? 0));
    writeU32(frame, 0, to);
    writeU32(frame, 4, this.selfId);
    if (payload) frame.set(payload, 8);
    this.channel.postMessage(frame);
  }

  private onFrame(frame: Uint8Array): void {
    if (frame.length < 8) return;
    const to = readU32LE(frame, 0);
    const from = readU32LE(frame, 4) as PeerId;
    if (from === this.selfId || from === 0) return;
    if (to === LEAVE) {
      const entry = this.links.get(from);
      if (entry) {
        this.links.delete(from);
        this.sink.linkDown(entry.link);
      }
      return;
    }
    if (to !== 0 && to !== this.selfId) return;
    let entry = this.links.get(from);
    if (!entry) {
      const link: PoseLink = {
        kind: 'broadcast',
        peerId: from,
        send: (bytes) => {
          this.post(from, bytes);
          return true;
        },
      };
      entry = { link, lastHeard: this.now() };
      this.links.set(from, entry);
      this.sink.linkUp(link);
      this.post(from, undefined); // answer at once so the new tab sees us without waiting
    }
    entry.lastHeard = this.now();
    if (frame.length > 8) this.sink.receive(frame.subarray(8), entry.link);
  }

  destroy(): void {
    clearInterval(this.timer);
    this.post(LEAVE, undefined);
    for (const entry of this.links.values()) this.sink.linkDown(entry.link);
    this.links.clear();
    this.channel.close();
  }
}

function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = (value >>> 24) & 0xff;
}
