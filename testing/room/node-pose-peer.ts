/**
 * One room member in its own Node process (test and benchmark helper, not app code): a room
 * opened as the page opens one (node-room.ts), its frames on the 60 Hz timer a `?render=off` page
 * runs (app/room/headless-frames.ts), its head moving every frame, so the real PoseChannel sends
 * 60 distinct poses a second through its scheduler, codecs and transports. With `webrtc`, y-webrtc
 * runs on the app's own peer (app/sync/webrtc-peer.ts, as the app's build has it) over
 * node-datachannel with `iceServers: []`; without it poses go by the server's relay only (as
 * `?webrtc=off`). One process per member: y-webrtc keeps its rooms in module state.
 *
 * Started by node-pose-peers.ts with one JSON argument (`NodePosePeerArgs`); answers over IPC.
 */
import { register } from 'node:module';
import type { ConnectPhase } from '../../app/core/connect-timeline.ts';
import type { PeerId } from '../../app/core/ids.ts';
import type { PoseLink, TransportKind } from '../../app/pose/transports/link.ts';

export interface NodePosePeerArgs {
  /** The server's base URL (loopback). */
  url: string;
  roomId: string;
  name: string;
  webrtc: boolean;
  /**
   * False: a benchmark's senders that have no pose links to each other, only to the peers not
   * started with them (the receiver): links to a peer are held back until the parent has said which
   * peers are its fellow senders (`senders`, complete), then those are never given to the pose
   * channel and what comes over them is dropped before it. Their WebRTC connections and presence
   * stay as in a room. A process argument only: no page or peer message can set it.
   */
  mesh: boolean;
}

/** What a peer says when asked (`report`). */
export interface NodePosePeerReport {
  type: 'report';
  peerId: number;
  /** Per remote peer: the link its poses use now, and the p95 latency of its recent batches (the HUD's figure). */
  transports: { peerId: number; name: string; transport: string; latencyP95Ms: number }[];
  /** Pose batches received, by the kind of link they came over. */
  batchesIn: Partial<Record<TransportKind, number>>;
  /**
   * Per remote peer, since its first link came up: pose batches handed to a link that took them
   * (`batches`), and those a link refused (`refused`: closed, or over its buffer limit).
   */
  batchesOut: { peerId: number; batches: number; refused: number }[];
  /** Frames run, and this process's CPU time (user + system) in ms, since it started. */
  frames: number;
  /** Frames after which the pose channel ticked (a send window was due, POSE18). */
  ticks: number;
  /** Gaps between two frames longer than 1.5 windows (25 ms): a window with no frame, a sample never taken. */
  longFrameGaps: number;
  cpuMs: number;
  /** Sends node-datachannel refused on a channel that had closed underneath (see NodePeerConnection). */
  sendErrors: number;
  /** When this report was made, on the process's clock (`performance.now()`, ms). */
  at: number;
  /** The room's join phases so far, in ms from its session's start (`room.timeline.relative()`). */
  phases: Partial<Record<ConnectPhase, number>>;
}

export type NodePosePeerRequest =
  | { type: 'report' }
  | { type: 'stop' }
  /** The pose ids of the peers started with this one (without `mesh`); `complete` once all have started. */
  | { type: 'senders'; peerIds: number[]; complete: boolean };

const args = JSON.parse(process.argv[2] ?? '{}') as NodePosePeerArgs;
// As the app's build does (vite.config.ts): y-webrtc's simple-peer import is the app's peer.
register('../sync/app-peer-hooks.mjs', import.meta.url);
const { WebSocket } = await import('ws');
// y-webrtc's signaling uses the global WebSocket, which Node 20 lacks.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
const polyfill = await import('node-datachannel/polyfill');

/**
 * node-datachannel's channel says 'open' until its close event has run, while its native side may
 * already be closed: a send in between throws. A browser's `send` throws only when `readyState` is
 * not 'open' (which the transport checks). Here such a message is dropped and counted
 * (`sendErrors`) instead of ending the process when another member leaves.
 */
let sendErrors = 0;
class NodePeerConnection extends polyfill.RTCPeerConnection {
  override createDataChannel(
    ...args: Parameters<InstanceType<typeof polyfill.RTCPeerConnection>['createDataChannel']>
  ) {
    const channel = super.createDataChannel(...args);
    const send = channel.send.bind(channel);
    channel.send = (data) => {
      try {
        send(data);
      } catch {
        sendErrors++;
      }
    };
    return channel;
  }
}
const { openNodeRoom } = await import('./node-room.ts');
const { runFramesOnTimer } = await import('../../app/room/headless-frames.ts');
const { TICK_MS } = await import('../../app/pose/wire/time.ts');
const { room } = openNodeRoom(
  { url: args.url, wsUrl: (pathname) => `${args.url.replace(/^http/, 'ws')}${pathname}` },
  args.roomId as never,
  args.name,
  args.webrtc ? { wrtc: { RTCPeerConnection: NodePeerConnection as unknown as typeof RTCPeerConnection } } : {},
);

const channel = room.pose.channel;

// Without `mesh` the pose channel sees only links to peers that are not fellow senders. Until the
// parent says who those are, every link is held back (a receiver joins only after all senders).
const fellows = new Set<number>();
let fellowsKnown = args.mesh;
const held = new Set<PoseLink>();
const passUp = channel.linkUp.bind(channel);
const passDown = channel.linkDown.bind(channel);
const passIn = channel.receive.bind(channel);
const withheld = (link: PoseLink) => held.has(link) || fellows.has(link.peerId);
channel.linkUp = (link) => {
  if (fellows.has(link.peerId)) return;
  if (!fellowsKnown) held.add(link);
  else passUp(link);
};
channel.linkDown = (link) => {
  if (!held.delete(link) && !fellows.has(link.peerId)) passDown(link);
};
channel.receive = (bytes, link) => (withheld(link) ? undefined : passIn(bytes, link));
const learnFellows = (peerIds: readonly number[], complete: boolean) => {
  for (const id of peerIds) if (id !== channel.selfId) fellows.add(id);
  fellowsKnown = complete;
  for (const link of [...held]) {
    if (fellows.has(link.peerId)) held.delete(link);
    else if (complete) {
      held.delete(link);
      passUp(link);
    }
  }
};

// Batches (KIND_BATCH is byte 1) by the link they came over, counted before the channel reads them.
const batchesIn: Partial<Record<TransportKind, number>> = {};
const receive = channel.receive.bind(channel);
channel.receive = (bytes, link) => {
  if (bytes[1] === 1 && !withheld(link)) batchesIn[link.kind] = (batchesIn[link.kind] ?? 0) + 1;
  return receive(bytes, link);
};

// Batches out, per remote peer, at the link (KIND_BATCH is byte 1): what the channel handed over
// and what the link refused. Links are wrapped in place: the channel knows them by identity.
const batchesOut = new Map<number, { peerId: number; batches: number; refused: number }>();
const counted = new WeakSet<object>();
const linkUp = channel.linkUp.bind(channel);
channel.linkUp = (link) => {
  if (counted.has(link)) return linkUp(link);
  counted.add(link);
  const tally = batchesOut.get(link.peerId) ?? { peerId: link.peerId, batches: 0, refused: 0 };
  batchesOut.set(link.peerId, tally);
  const send = link.send.bind(link);
  link.send = (bytes) => {
    const taken = send(bytes);
    if (bytes[1] === 1) {
      if (taken) tally.batches++;
      else tally.refused++;
    }
    return taken;
  };
  linkUp(link);
};
let ticks = 0;
const tick = channel.tick.bind(channel);
channel.tick = () => {
  ticks++;
  tick();
};

// The head on a circle, a new pose every frame (the bench's pages do the same).
const phase = Math.random() * 6;
let frames = 0;
let longFrameGaps = 0;
let lastFrameAt = Number.NaN;
const stopFrames = runFramesOnTimer(room, (time) => {
  if (time - lastFrameAt > 1.5 * TICK_MS) longFrameGaps++;
  lastFrameAt = time;
  const t = time / 1000 + phase;
  room.view.position.set(Math.sin(t) * 3, 1.7, Math.cos(t) * 3);
  room.view.yaw = t;
  frames++;
  room.frame(time);
});

const post = (message: unknown) => process.send?.(message);
process.on('message', (request: NodePosePeerRequest) => {
  if (request.type === 'report') {
    const cpu = process.cpuUsage();
    const report: NodePosePeerReport = {
      type: 'report',
      peerId: channel.selfId,
      transports: channel
        .stats()
        .map((s) => ({ peerId: s.id as PeerId, name: s.name, transport: s.transport, latencyP95Ms: s.latencyP95Ms })),
      batchesIn: { ...batchesIn },
      batchesOut: [...batchesOut.values()].filter((c) => !fellows.has(c.peerId)).map((c) => ({ ...c })),
      frames,
      ticks,
      longFrameGaps,
      cpuMs: (cpu.user + cpu.system) / 1000,
      sendErrors,
      at: performance.now(),
      phases: room.timeline.relative(),
    };
    post(report);
  }
  if (request.type === 'senders') learnFellows(request.peerIds, request.complete);
  if (request.type === 'stop') {
    stopFrames();
    room.destroy();
    // Let the BYEs and closes go out before the process ends.
    setTimeout(() => process.exit(0), 100);
  }
});
// The parent stops us; if it died instead, do not linger.
process.on('disconnect', () => process.exit(0));
post({ type: 'ready', peerId: channel.selfId });
