/**
 * Pose links between tabs of this browser over BroadcastChannel ([TRN1]: the
 * preferred link when it exists; y-webrtc does not connect tabs of one
 * browser to each other). Frames (app/pose/wire/broadcast-frames.ts): an
 * empty payload is a presence announcement (every ANNOUNCE_MS); a link ends
 * on a leave frame or after LINK_TIMEOUT_MS of silence.
 */

import type { PeerId } from '../../core/ids.ts';
import {
  broadcastChannelName,
  EVERY_TAB,
  LEAVING,
  readBroadcastFrame,
  writeBroadcastFrame,
} from '../wire/broadcast-frames.ts';
import type { LinkSink, PoseLink, PoseTransport } from './link.ts';

const ANNOUNCE_MS = 2_000;
const LINK_TIMEOUT_MS = 6_000;

export class BroadcastPoseTransport implements PoseTransport {
  readonly kind = 'broadcast' as const;
  private readonly channel: BroadcastChannel;
  private readonly links = new Map<PeerId, { link: PoseLink; lastHeard: number }>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    roomId: string,
    private readonly selfId: PeerId,
    private readonly sink: LinkSink,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.channel = new BroadcastChannel(broadcastChannelName(roomId));
    this.channel.onmessage = (event: MessageEvent) => {
      if (event.data instanceof Uint8Array) this.onFrame(event.data);
    };
    this.timer = setInterval(this.tick, ANNOUNCE_MS);
    this.post(EVERY_TAB, undefined);
  }

  private readonly tick = () => {
    this.post(EVERY_TAB, undefined);
    const now = this.now();
    for (const [id, entry] of [...this.links]) {
      if (now - entry.lastHeard > LINK_TIMEOUT_MS) {
        this.links.delete(id);
        this.sink.linkDown(entry.link);
      }
    }
  };

  private post(to: number, payload: Uint8Array | undefined): void {
    this.channel.postMessage(writeBroadcastFrame({ to, from: this.selfId, ...(payload ? { payload } : {}) }));
  }

  private onFrame(bytes: Uint8Array): void {
    const frame = readBroadcastFrame(bytes);
    if (!frame || frame.from === this.selfId) return;
    const { to, from } = frame;
    if (to === LEAVING) {
      const entry = this.links.get(from);
      if (entry) {
        this.links.delete(from);
        this.sink.linkDown(entry.link);
      }
      return;
    }
    if (to !== EVERY_TAB && to !== this.selfId) return;
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
    if (frame.payload.length > 0) this.sink.receive(frame.payload, entry.link);
  }

  destroy(): void {
    clearInterval(this.timer);
    this.post(LEAVING, undefined);
    for (const entry of this.links.values()) this.sink.linkDown(entry.link);
    this.links.clear();
    this.channel.close();
  }
}
