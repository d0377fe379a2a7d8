/**
 * One room member's document session in its own Node process (test and benchmark helper, not app
 * code): the page's RoomSession (its gate, its presence renewing every second, y-webrtc on the app's
 * own peer over node-datachannel with `iceServers: []`), WebRTC only, no server sync and no
 * IndexedDB, so every document byte and every presence renewal travels over y-webrtc's data
 * channels, where the app's peer counts them (PeerTraffic). One process per member: y-webrtc keeps
 * its rooms in module state. Started by node-sync-members.ts with one JSON argument
 * (`NodeSyncMemberArgs`); answers over IPC.
 */
import { register } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { ForwardingStats } from '../../app/sync/y-webrtc-internals.ts';

export interface NodeSyncMemberArgs {
  /** The signaling server's WebSocket URL (loopback). */
  signalingUrl: string;
  roomId: string;
  name: string;
  /** RoomSessionOptions.rtcForwarding: the app's trim, the trim without neighbour reports, or y-webrtc as it is. */
  forwarding: 'trimmed' | 'without-topology' | 'y-webrtc';
  /** y-webrtc's maxConns, to build a partial mesh. */
  maxConns?: number;
}

/** y-webrtc messages received, by kind (the first bytes of each message). */
export type ReceivedKind = 'sync-step1' | 'sync-step2' | 'sync-update' | 'awareness' | 'query-awareness' | 'other';

/** With what the trim left unsent (ForwardingStats: zero with `forwarding: 'y-webrtc'`). */
export interface NodeSyncMemberReport extends ForwardingStats {
  type: 'report';
  /** This member's id in the y-webrtc room (what its neighbours' reports list, TRN38). */
  rtcId: string;
  /** Connections whose data channel is open. */
  webrtcPeers: number;
  /** On the open connections' y-webrtc data channels (PeerTraffic), since each opened. */
  sentMessages: number;
  sentBytes: number;
  receivedMessages: number;
  receivedBytes: number;
  /** y-webrtc messages received over WebRTC since the process started, by kind. */
  received: Record<ReceivedKind, number>;
  /** Others in the presence list. */
  presentPeers: number;
  /** The document's state vector (base64): equal vectors, equal documents. */
  stateVector: string;
  scriptLength: number;
  /** The script's text (only when asked: tests' rooms are small). */
  script?: string;
  /** This process's CPU time (user + system, all its threads) and its main thread's busy time, in ms. */
  cpuMs: number;
  mainThreadBusyMs: number;
  /** Messages the session's gate refused (its status' rejected count). */
  rejected: number;
  /** Messages from a muted peer dropped on arrival. */
  mutedMessages: number;
}

export type NodeSyncMemberRequest =
  | { type: 'report'; withScript?: boolean }
  /** Applies a Yjs update (base64) as this member's own change. */
  | { type: 'apply'; update: string }
  /** Appends `text` to the script, as someone typing. */
  | { type: 'type'; text: string }
  /**
   * Closes the WebRTC connection to `to` (a y-webrtc id), or every one (y-webrtc then announces
   * itself again and reconnects); `maxConns` first, if given: 1 keeps a member with one other
   * connection from reconnecting.
   */
  | { type: 'drop'; to?: string; maxConns?: number }
  /** From now on drops every message from `from` (a y-webrtc id) on arrival: a link that died silently. */
  | { type: 'mute'; from: string }
  /** Types `perSecond` characters a second for `ms` at the script's end, moving its cursor in presence with each, as the editor does. */
  | { type: 'type-for'; perSecond: number; ms: number }
  /** Sends `data` (base64) to every connected peer on y-webrtc's channel, as a misbehaving peer would. */
  | { type: 'send-raw'; data: string }
  /** Sends `times` awareness queries to every connected peer at once (an abusive peer). */
  | { type: 'query'; times: number }
  | { type: 'stop' };

const args = JSON.parse(process.argv[2] ?? '{}') as NodeSyncMemberArgs;
// As the app's build does (vite.config.ts): y-webrtc's simple-peer import is the app's peer.
register('./app-peer-hooks.mjs', import.meta.url);
const { WebSocket } = await import('ws');
// y-webrtc's signaling uses the global WebSocket, which Node 20 lacks.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
const polyfill = await import('node-datachannel/polyfill');
const Y = await import('yjs');
const { RoomSession } = await import('../../app/sync/room-session.ts');
const {
  connectedRtcPeerCount,
  filterRtcMessages,
  listRtcPeers,
  localRtcId,
  noForwardingStats,
  queryRtcAwareness,
  rtcTraffic,
} = await import('../../app/sync/y-webrtc-internals.ts');

const session = new RoomSession({
  roomId: args.roomId as never,
  signalingUrl: args.signalingUrl,
  iceServers: [],
  identity: { name: args.name, color: '#4d96ff' },
  transports: { webrtc: true, server: false },
  localPersistence: false,
  wrtc: { RTCPeerConnection: polyfill.RTCPeerConnection as unknown as typeof RTCPeerConnection },
  rtcForwarding: args.forwarding,
  ...(args.maxConns !== undefined ? { maxConns: args.maxConns } : {}),
});
const provider = session.webrtc;
if (!provider) throw new Error('the session has no WebRTC provider');

const received: Record<ReceivedKind, number> = {
  'sync-step1': 0,
  'sync-step2': 0,
  'sync-update': 0,
  awareness: 0,
  'query-awareness': 0,
  other: 0,
};
const SYNC_KINDS: ReceivedKind[] = ['sync-step1', 'sync-step2', 'sync-update'];
const muted = new Set<string>();
let mutedMessages = 0;
filterRtcMessages(provider, (data, from) => {
  if (muted.has(from.remoteId)) {
    mutedMessages++;
    return undefined;
  }
  const kind: ReceivedKind =
    data[0] === 0
      ? (SYNC_KINDS[data[1] ?? 3] ?? 'other')
      : data[0] === 1
        ? 'awareness'
        : data[0] === 3
          ? 'query-awareness'
          : 'other';
  received[kind]++;
  return data;
});

function report(withScript: boolean): NodeSyncMemberReport {
  const traffic = rtcTraffic(provider as NonNullable<typeof provider>);
  const cpu = process.cpuUsage();
  const script = session.doc.getText('script').toString();
  return {
    type: 'report',
    rtcId: localRtcId(provider) ?? '',
    webrtcPeers: connectedRtcPeerCount(provider as NonNullable<typeof provider>),
    ...traffic,
    received: { ...received },
    presentPeers: session.status.get().peers.length,
    stateVector: Buffer.from(Y.encodeStateVector(session.doc)).toString('base64'),
    scriptLength: script.length,
    ...(withScript ? { script } : {}),
    cpuMs: (cpu.user + cpu.system) / 1000,
    mainThreadBusyMs: performance.eventLoopUtilization().active,
    ...(session.forwarding ?? noForwardingStats()),
    rejected: session.status.get().rejected.count,
    mutedMessages,
  };
}

const post = (message: unknown) => process.send?.(message);
process.on('message', (request: NodeSyncMemberRequest) => {
  if (request.type === 'report') post(report(request.withScript === true));
  else if (request.type === 'apply') {
    Y.applyUpdate(session.doc, Buffer.from(request.update, 'base64'));
    post({ type: 'applied' });
  } else if (request.type === 'type') {
    const text = session.doc.getText('script');
    text.insert(text.length, request.text);
    post({ type: 'typed' });
  } else if (request.type === 'drop') {
    if (request.maxConns !== undefined) provider.maxConns = request.maxConns;
    for (const handle of listRtcPeers(provider)) if (!request.to || handle.remoteId === request.to) handle.destroy();
    post({ type: 'dropped' });
  } else if (request.type === 'mute') {
    muted.add(request.from);
    post({ type: 'muted' });
  } else if (request.type === 'type-for') {
    const text = session.doc.getText('script');
    const started = performance.now();
    // Bounded in count and in time: perSecond * ms / 1000 keystrokes, on a timer.
    const total = Math.round((request.perSecond * request.ms) / 1000);
    let typed = 0;
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) * request.perSecond) / 1000) + 1);
      for (; typed < due; typed++) {
        text.insert(text.length, String.fromCharCode(97 + (typed % 26)));
        session.awareness.setLocalStateField('cursor', { anchor: text.length, head: text.length });
      }
      // Also ends after twice its time: a timer starved on a loaded machine still stops.
      if (typed >= total || performance.now() - started > request.ms * 2) {
        clearInterval(timer);
        post({ type: 'typed-for', typed });
      }
    }, 1000 / request.perSecond);
  } else if (request.type === 'send-raw') {
    const data = new Uint8Array(Buffer.from(request.data, 'base64'));
    for (const handle of listRtcPeers(provider)) handle.send(data);
    post({ type: 'sent-raw' });
  } else if (request.type === 'query') {
    for (let i = 0; i < request.times; i++) queryRtcAwareness(provider);
    post({ type: 'queried' });
  } else if (request.type === 'stop') {
    session.destroy();
    post({ type: 'stopped' });
    setTimeout(() => process.exit(0), 50);
  }
});
post({ type: 'ready' });
