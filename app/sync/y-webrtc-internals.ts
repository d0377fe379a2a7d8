/**
 * The only file that relies on y-webrtc and simple-peer internals (their
 * undocumented fields), so a library update breaks one place, caught by
 * y-webrtc-internals.test.ts, which runs two real y-webrtc peers and checks
 * each of these:
 *
 *   provider.room                 Room | null (set once the room key is ready)
 *   room.peerId                   this peer's id in the room (string)
 *   room.webrtcConns              Map<remote peerId, WebrtcConn>
 *   room.bcConns                  Set of remote ids reached over BroadcastChannel
 *   room.synced                   true once every connected peer has synced
 *   room.key                      the password's CryptoKey, null without one (signaling-crypto.ts
 *                                 reads y-webrtc's encrypted signaling format with it)
 *   provider.signalingConns       lib0 WebsocketClients: `connected`, on/off('connect'|'disconnect'|'message'),
 *                                 send(message) (wrapped to see what y-webrtc signals),
 *                                 emit('message', [message]) (wrapped to drop late answers)
 *   provider.roomName             the signaling topic of the provider's room
 *   provider.on/off('peers')      emitted whenever webrtcConns changes
 *   conn.connected, conn.closed   booleans
 *   conn.synced                   true once the peer's sync step 2 (its whole document) arrived
 *   conn.peer                     the simple-peer instance
 *   peer._pc                      its RTCPeerConnection
 *   peer.once('connect'|'close')  events
 *   peer.listeners('data'), removeAllListeners('data'), on('data')
 *                                 where y-webrtc's handler of a peer's messages hangs
 *   peer.destroy()                closes it; y-webrtc then forgets it and announces
 *                                 itself again, which starts a fresh connection
 *   peer.send(data)               sends on y-webrtc's data channel (roles, docs/roles.md)
 *   room._docUpdateHandler, room._awarenessUpdateHandler, room.bcconnected, provider.key
 *                                 y-webrtc's two broadcast handlers, replaced by trimRtcForwarding
 *                                 (TRN30-TRN32; rtc-forwarding.test.ts fails if they are not found)
 *   room.mux                      lib0's mutex, inside which y-webrtc handles each BroadcastChannel
 *                                 message: wrapped by trimRtcForwarding to know one is handled (TRN41)
 *
 * It exposes y-webrtc's peer connections so the pose channel can add its own
 * pre-negotiated data channel to each (docs/transports.md), the update gate
 * can judge every message before y-webrtc applies it (room-doc CAP4), and the
 * session can say how connected it is.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebrtcProvider } from 'y-webrtc';
import { MESSAGE_NEIGHBOURS, readNeighbourReport, writeNeighbourReport } from './neighbour-report.ts';
import { decryptSignal } from './signaling-crypto.ts';
import type { PeerTraffic } from './webrtc-peer.ts';

/** The part of a simple-peer instance used here. */
interface SimplePeerLike {
  _pc?: RTCPeerConnection;
  destroyed?: boolean;
  once(event: 'connect' | 'close', listener: () => void): void;
  removeListener(event: 'connect' | 'close', listener: () => void): void;
  destroy(): void;
  send(data: Uint8Array): void;
  /** The app's peer counts its data channel's traffic (simple-peer does not). */
  traffic?: PeerTraffic;
  listeners(event: 'data'): DataListener[];
  removeAllListeners(event: 'data'): void;
  on(event: 'data', listener: DataListener): void;
}

type DataListener = (data: Uint8Array) => void;

interface WebrtcConnLike {
  connected: boolean;
  closed: boolean;
  synced?: boolean;
  peer: SimplePeerLike;
}

interface RoomLike {
  peerId?: string;
  webrtcConns: Map<string, unknown>;
  bcConns?: Set<string>;
  synced?: boolean;
  /** The password's AES-GCM key; null in a room without one. */
  key?: CryptoKey | null;
}

/** y-webrtc's connection to the signaling server (a lib0 WebsocketClient). */
export interface SignalingConnection {
  readonly connected: boolean;
  on(event: 'connect' | 'disconnect', handler: () => void): void;
  off(event: 'connect' | 'disconnect', handler: () => void): void;
}

/** The signaling connection as the handshake observer uses it. */
interface SignalingClientLike {
  readonly connected: boolean;
  send(message: unknown): void;
  on(event: 'connect' | 'disconnect' | 'message', handler: (message?: unknown) => void): void;
  off(event: 'connect' | 'disconnect' | 'message', handler: (message?: unknown) => void): void;
}

function roomOf(provider: WebrtcProvider): RoomLike | undefined {
  return (provider.room ?? undefined) as RoomLike | undefined;
}

function connections(provider: WebrtcProvider): [string, WebrtcConnLike][] {
  const room = roomOf(provider);
  return room ? ([...room.webrtcConns] as [string, WebrtcConnLike][]) : [];
}

/** One y-webrtc connection to a remote peer, seen through what the pose channel needs. */
export interface RtcPeerHandle {
  /** y-webrtc's id of the remote peer (not its PeerId). */
  readonly remoteId: string;
  /** Identity of the underlying connection: a new one after a reconnect. */
  readonly key: object;
  readonly pc: RTCPeerConnection | undefined;
  readonly connected: boolean;
  /** This side has the peer's whole document (its sync step 2 arrived). */
  readonly synced: boolean;
  /** Calls `listener` once the connection is up (at once if it already is); returns an unsubscribe. */
  onConnect(listener: () => void): () => void;
  onClose(listener: () => void): () => void;
  /** Gives up on this attempt: y-webrtc forgets it and announces itself again. */
  destroy(): void;
  /** Sends `data` on y-webrtc's own (reliable, ordered) data channel; dropped if it is not open. */
  send(data: Uint8Array): void;
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
    get synced() {
      return conn.synced === true;
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
    send(data) {
      if (!conn.connected || peer.destroyed) return;
      try {
        peer.send(data);
      } catch {
        // The channel closed between the check and the send: the connection is going away.
      }
    },
  };
}

/** The provider's current connections (empty before its room exists). */
export function listRtcPeers(provider: WebrtcProvider): RtcPeerHandle[] {
  return connections(provider).map(([remoteId, conn]) => handleOf(remoteId, conn));
}

/** Calls `listener` whenever y-webrtc's set of connections changes; returns an unsubscribe. */
export function onRtcPeersChanged(provider: WebrtcProvider, listener: () => void): () => void {
  provider.on('peers', listener);
  return () => provider.off('peers', listener);
}

/** Calls `listener` whenever y-webrtc's room says it synced or unsynced with its peers; returns an unsubscribe. */
export function onRtcSyncedChanged(provider: WebrtcProvider, listener: () => void): () => void {
  provider.on('synced', listener);
  return () => provider.off('synced', listener);
}

/** This peer's id in the y-webrtc room, once the room exists (told to others as the HELLO link token). */
export function localRtcId(provider: WebrtcProvider | undefined): string | undefined {
  return provider ? roomOf(provider)?.peerId : undefined;
}

/** Remote peers with an open WebRTC connection. */
export function connectedRtcPeerCount(provider: WebrtcProvider): number {
  return connections(provider).filter(([, conn]) => conn.connected).length;
}

/** The traffic on y-webrtc's data channels of the current connections, summed (zero under simple-peer). */
export function rtcTraffic(provider: WebrtcProvider): PeerTraffic {
  const sum: PeerTraffic = { sentMessages: 0, sentBytes: 0, receivedMessages: 0, receivedBytes: 0 };
  for (const [, conn] of connections(provider)) {
    const traffic = conn.peer.traffic;
    if (!traffic) continue;
    sum.sentMessages += traffic.sentMessages;
    sum.sentBytes += traffic.sentBytes;
    sum.receivedMessages += traffic.receivedMessages;
    sum.receivedBytes += traffic.receivedBytes;
  }
  return sum;
}

/** Other tabs of this browser reached over BroadcastChannel; undefined if y-webrtc no longer says. */
export function broadcastPeerCount(provider: WebrtcProvider): number | undefined {
  return roomOf(provider)?.bcConns?.size;
}

/** Whether the room has synced with every connected peer (SEED2). */
export function rtcRoomSynced(provider: WebrtcProvider): boolean {
  return roomOf(provider)?.synced === true;
}

/** The provider's signaling connections (one per signaling URL). */
export function signalingConnections(provider: WebrtcProvider): SignalingConnection[] {
  return provider.signalingConns as unknown as SignalingConnection[];
}

/** The provider's signaling topic: y-webrtc's room name. */
function topicOf(provider: WebrtcProvider): string {
  return (provider as unknown as { roomName: string }).roomName;
}

/**
 * A password room's received signaling frames (the objects the signaling
 * client emitted) that the late-answer guard decrypted and handed on, with
 * their plaintext: the handshake observer, which hears a frame only after the
 * guard handed it on, reads it here instead of decrypting it again (TRN37).
 * Weak: an entry lives as long as lib0's frame object.
 */
const openedSignals = new WeakMap<object, unknown>();

/** A step of y-webrtc's handshake, as seen from this page (docs/transports.md, "Joining"). */
export type HandshakeStep =
  | 'signaling_open'
  | 'subscribe'
  | 'announce'
  | 'offer_sent'
  | 'offer_received'
  | 'answer_sent'
  | 'answer_received'
  | 'ice_checking'
  | 'ice_connected'
  | 'dtls_connected'
  | 'datachannel_open';

/** What a signaling frame says about the handshake, if anything (a password room's frame once decrypted). */
function signalStep(
  frame: unknown,
  direction: 'sent' | 'received',
  selfId: string | undefined,
): HandshakeStep | undefined {
  if (typeof frame !== 'object' || frame === null) return undefined;
  const { type, data } = frame as { type?: unknown; data?: unknown };
  if (type === 'subscribe') return direction === 'sent' ? 'subscribe' : undefined;
  if (type !== 'publish' || typeof data !== 'object' || data === null) return undefined;
  const message = data as { type?: unknown; to?: unknown; signal?: { type?: unknown } };
  if (message.type === 'announce') return direction === 'sent' ? 'announce' : undefined;
  if (message.type !== 'signal' || (direction === 'received' && message.to !== selfId)) return undefined;
  const kind = message.signal?.type;
  if (kind === 'offer') return direction === 'sent' ? 'offer_sent' : 'offer_received';
  if (kind === 'answer') return direction === 'sent' ? 'answer_sent' : 'answer_received';
  return undefined;
}

/**
 * Calls `onStep` as y-webrtc's handshake passes each step: signaling open,
 * subscribe and announce, offers and answers (sent and received), ICE, DTLS
 * and its data channel, with the page-clock time it happened (`now()` when
 * the frame went out or came in). Steps repeat (per connection, per
 * reconnect); the caller keeps what it needs. In a password room (TRN28) the
 * announce, offers and answers are encrypted. A received frame reaches this
 * observer only after the late-answer guard decrypted it and handed it on, so
 * the observer reads the guard's plaintext (`openedSignals`) instead of
 * decrypting it again (TRN37). A frame this page sends, which no guard reads,
 * is decrypted here with the room's key, one after the other, and its step
 * reported afterwards with the time the frame went out. Returns an unsubscribe.
 */
export function observeRtcHandshake(
  provider: WebrtcProvider,
  onStep: (step: HandshakeStep, at: number) => void,
  now: () => number = () => performance.now(),
): () => void {
  const stops: (() => void)[] = [];
  let reads: Promise<unknown> = Promise.resolve();
  let stopped = false;
  /**
   * The frame's step: at once in an open room; in a password room at once from the guard's
   * plaintext (a received frame), or after decrypting it, in order (a sent one, or a received
   * one on a page without a guard).
   */
  const readFrame = (frame: unknown, direction: 'sent' | 'received', at: number) => {
    const room = roomOf(provider);
    const key = room?.key;
    const data =
      typeof frame === 'object' && frame !== null ? (frame as { type?: unknown; topic?: unknown; data?: unknown }) : {};
    if (!key || data.type !== 'publish' || typeof data.data !== 'string') {
      const step = signalStep(frame, direction, room?.peerId);
      if (step) onStep(step, at);
      return;
    }
    // Another room's frame on a shared socket: its guard's plaintext is not this room's.
    if (data.topic !== topicOf(provider)) return;
    if (direction === 'received' && openedSignals.has(frame as object)) {
      const step = signalStep({ type: 'publish', data: openedSignals.get(frame as object) }, direction, room?.peerId);
      if (step) onStep(step, at);
      return;
    }
    const sealed = data.data;
    const read = reads.then(() => decryptSignal(sealed, key));
    reads = read;
    void read.then((message) => {
      const step = signalStep({ type: 'publish', data: message }, direction, roomOf(provider)?.peerId);
      if (step && !stopped) onStep(step, at);
    });
  };
  for (const conn of provider.signalingConns as unknown as SignalingClientLike[]) {
    const onConnect = (at = now()) => onStep('signaling_open', at);
    if (conn.connected) onConnect();
    const onOpen = () => onConnect();
    conn.on('connect', onOpen);
    const onMessage = (message: unknown) => readFrame(message, 'received', now());
    conn.on('message', onMessage);
    // y-webrtc sends subscribe and announce from its own 'connect' handler, which runs before ours
    // (it listened first): wrap the instance's send. A frame going out means the socket is open, so
    // the open is marked before the first subscribe, not after the announce (TRN22).
    const send = conn.send;
    conn.send = (message: unknown) => {
      const at = now();
      if (signalStep(message, 'sent', undefined) === 'subscribe') onConnect(at);
      readFrame(message, 'sent', at);
      send.call(conn, message);
    };
    stops.push(() => {
      conn.off('connect', onOpen);
      conn.off('message', onMessage);
      conn.send = send;
    });
  }
  const seen = new WeakSet<object>();
  const onPeers = () => {
    for (const [, conn] of connections(provider)) {
      const peer = conn.peer;
      const pc = peer._pc;
      if (seen.has(peer) || !pc) continue;
      seen.add(peer);
      pc.addEventListener('iceconnectionstatechange', () => {
        if (pc.iceConnectionState === 'checking') onStep('ice_checking', now());
        if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed')
          onStep('ice_connected', now());
      });
      pc.addEventListener('connectionstatechange', () => {
        if (pc.connectionState === 'connected') onStep('dtls_connected', now());
      });
      if (conn.connected) onStep('datachannel_open', now());
      else peer.once('connect', () => onStep('datachannel_open', now()));
    }
  };
  provider.on('peers', onPeers);
  onPeers();
  stops.push(() => provider.off('peers', onPeers));
  return () => {
    stopped = true;
    for (const stop of stops.splice(0)) stop();
  };
}

/**
 * Puts `admit` in front of y-webrtc's handler of every message from every
 * current and future peer: it returns the message to hand on (the same, or a
 * replacement), or undefined to drop it, and a dropped message never reaches
 * the document. y-webrtc creates a connection and emits `peers` in the same
 * synchronous step, before any data can arrive, so wrapping on `peers` misses
 * nothing. Returns an unsubscribe (connections already wrapped stay wrapped).
 */
export function filterRtcMessages(
  provider: WebrtcProvider,
  admit: (data: Uint8Array, from: RtcPeerHandle) => Uint8Array | undefined,
): () => void {
  return interceptRtcMessages(provider, (remoteId, conn) => {
    const handle = handleOf(remoteId, conn);
    return (data, handOn) => {
      const admitted = admit(data, handle);
      if (admitted) handOn(admitted);
    };
  });
}

/**
 * The one wrapper of y-webrtc's message handlers (`filterRtcMessages`, `trimRtcForwarding`): for each
 * current and future connection, `wrap` makes the function that receives each message in place of
 * y-webrtc's handlers, with `handOn` calling them. Returns an unsubscribe (wrapped connections stay).
 */
function interceptRtcMessages(
  provider: WebrtcProvider,
  wrap: (remoteId: string, conn: WebrtcConnLike) => (data: Uint8Array, handOn: (data: Uint8Array) => void) => void,
): () => void {
  const wrapped = new WeakSet<object>();
  const sweep = () => {
    for (const [remoteId, conn] of connections(provider)) {
      const peer = conn.peer;
      if (wrapped.has(peer)) continue;
      wrapped.add(peer);
      const originals = peer.listeners('data');
      peer.removeAllListeners('data');
      const receive = wrap(remoteId, conn);
      const handOn = (data: Uint8Array) => {
        for (const listener of originals) listener.call(peer, data);
      };
      peer.on('data', (data) => receive(data, handOn));
    }
  };
  provider.on('peers', sweep);
  sweep();
  return () => provider.off('peers', sweep);
}

/** y-webrtc's signaling client as the late-answer guard wraps it (lib0's Observable `emit`). */
interface SignalingEmitterLike {
  emit(name: string, args: unknown[]): void;
}

/** What the late-answer guard dropped: see `ignoreLateAnswers`. */
export type IgnoredSignal = 'late-answer' | 'undecryptable';

/** One provider's guard on the signaling clients it shares with the page's other providers. */
interface LateAnswerGuard {
  readonly topic: string;
  readonly provider: WebrtcProvider;
  readonly onIgnored: (kind: IgnoredSignal) => void;
  /** A password room's frames are read one after the other, so they are handed on in arrival order. */
  reads: Promise<unknown>;
}

/** The one wrapper on a signaling client's `emit` (TRN16) and the guards it serves. */
interface GuardedSocket {
  readonly wrapper: SignalingEmitterLike['emit'];
  readonly emit: SignalingEmitterLike['emit'];
  /** Whether `emit` was the client's own property before the wrapper (else it is lib0's method). */
  readonly ownEmit: boolean;
  readonly guards: Set<LateAnswerGuard>;
}

const guardedSockets = new WeakMap<SignalingEmitterLike, GuardedSocket>();

/** A signaling message that answers an offer of ours to a peer this room has no connection to. */
function isLateAnswer(data: unknown, room: RoomLike): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as { type?: unknown; to?: unknown; from?: unknown; signal?: { type?: unknown } };
  return (
    message.type === 'signal' &&
    message.to === room.peerId &&
    message.signal?.type === 'answer' &&
    typeof message.from === 'string' &&
    !room.webrtcConns.has(message.from)
  );
}

/** Hands a signaling frame on to y-webrtc, or drops it: the guards' one wrapper of `emit`. */
function guardFrame(socket: SignalingEmitterLike, guarded: GuardedSocket, args: unknown[]): void {
  const handOn = () => guarded.emit.call(socket, 'message', args);
  const frame = args[0];
  const { type, topic, data } = (typeof frame === 'object' && frame !== null ? frame : {}) as {
    type?: unknown;
    topic?: unknown;
    data?: unknown;
  };
  let guard: LateAnswerGuard | undefined;
  for (const candidate of guarded.guards) if (candidate.topic === topic) guard = candidate;
  const room = guard && roomOf(guard.provider);
  if (type !== 'publish' || !guard || !room) {
    handOn();
  } else if (!room.key) {
    if (isLateAnswer(data, room)) guard.onIgnored('late-answer');
    else handOn();
  } else if (typeof data !== 'string') {
    handOn(); // y-webrtc reads nothing but a string in a password room
  } else {
    // A password room (TRN15): y-webrtc decrypts the string and then handles it as above, throwing
    // in its promise. Read it first, with the same key, and hand it on only if y-webrtc can use it;
    // y-webrtc then decrypts it again (its own code, out of reach), which takes well under a
    // millisecond, and the handshake observer takes the plaintext from here (TRN37).
    const key = room.key;
    const onIgnored = guard.onIgnored;
    const read = guard.reads.then(() => decryptSignal(data, key));
    guard.reads = read;
    void read.then((message) => {
      if (message === undefined) onIgnored('undecryptable');
      else if (isLateAnswer(message, room)) onIgnored('late-answer');
      else {
        openedSignals.set(frame as object, message);
        handOn();
      }
    });
  }
}

/**
 * Drops, before y-webrtc's signaling handler sees it, an answer to this page
 * from a peer it holds no connection to: the answer to an attempt that was
 * given up (TRN11) or closed before the answer came. y-webrtc would throw on it
 * in its handler ("Cannot set properties of undefined (setting 'glareToken')");
 * the next announce starts a fresh attempt either way. In a password room
 * (TRN15) it decrypts each frame of the room first, as y-webrtc will, and also
 * drops one that does not decrypt under the room's key (another password, or
 * garbage), on which y-webrtc would throw as well. `onIgnored` says which.
 *
 * The page's providers share one signaling client per URL: the first guard
 * wraps its `emit` once, later ones join it, and the last one's unsubscribe
 * puts the original back (TRN16). Returns that unsubscribe.
 */
export function ignoreLateAnswers(provider: WebrtcProvider, onIgnored: (kind: IgnoredSignal) => void): () => void {
  const guard: LateAnswerGuard = {
    topic: topicOf(provider),
    provider,
    onIgnored,
    reads: Promise.resolve(),
  };
  const sockets = [...(provider.signalingConns as unknown as SignalingEmitterLike[])];
  for (const socket of sockets) {
    let guarded = guardedSockets.get(socket);
    if (!guarded) {
      const emit = socket.emit;
      const wrapper = function (this: SignalingEmitterLike, name: string, args: unknown[]) {
        if (name === 'message' && guarded) guardFrame(this, guarded, args);
        else emit.call(this, name, args);
      };
      guarded = { wrapper, emit, ownEmit: Object.hasOwn(socket, 'emit'), guards: new Set() };
      socket.emit = wrapper;
      guardedSockets.set(socket, guarded);
    }
    guarded.guards.add(guard);
  }
  return () => {
    for (const socket of sockets) {
      const guarded = guardedSockets.get(socket);
      if (!guarded?.guards.delete(guard) || guarded.guards.size > 0) continue;
      // Something that wrapped `emit` after us still calls our wrapper: then it stays, passing everything on.
      if (socket.emit !== guarded.wrapper) continue;
      guardedSockets.delete(socket);
      if (guarded.ownEmit) socket.emit = guarded.emit;
      else Reflect.deleteProperty(socket, 'emit');
    }
  };
}

/** A change of awareness states as y-protocols reports it ('change': only real changes; 'update': renewals too). */
interface AwarenessChangeLike {
  added: number[];
  updated: number[];
  removed: number[];
}

type AwarenessListener = (change: AwarenessChangeLike, origin: unknown) => void;

/** The Room fields the forwarding trim replaces: y-webrtc's two broadcast handlers and its BroadcastChannel mutex. */
interface ForwardingRoomLike {
  bcconnected?: boolean;
  _docUpdateHandler?: (update: Uint8Array, origin: unknown) => void;
  _awarenessUpdateHandler?: AwarenessListener;
  /** lib0's mutex: y-webrtc handles each BroadcastChannel message inside it (and publishes inside it). */
  mux?: (run: () => void, otherwise?: () => void) => void;
}

/** What `trimRtcForwarding` left unsent (TRN30-TRN33, TRN38-TRN41). */
export interface ForwardingStats {
  /** Document updates not sent back to the peer they came from (TRN30). */
  updateEchoes: number;
  /** Awareness changes not sent back to the peer they came from (TRN31). */
  awarenessEchoes: number;
  /** Awareness renewals from a peer (a new clock, the same state) not re-broadcast (TRN32). */
  renewalsKept: number;
  /** Queries for awareness a peer sent sooner than QUERY_ANSWER_MS after the last one answered (TRN33). */
  queriesDropped: number;
  /** Neighbour reports read (TRN38). */
  reportsRead: number;
  /** Neighbour reports ignored: malformed, too long or of another version (TRN38); the peer's last one is forgotten. */
  reportsIgnored: number;
  /** The ids listed in each connection's last report, summed (connections since closed included). */
  reportedLinks: number;
  /** Sends of a peer's update to a neighbour that reported a live direct connection to that peer, skipped (TRN39). */
  updatesNotForwarded: number;
  /** The same for awareness changes (TRN39). */
  awarenessNotForwarded: number;
  /** Neighbours asked for what this page may have missed after one of its connections closed (TRN40). */
  resyncsAsked: number;
  /** Updates and awareness changes that came over BroadcastChannel and were not published on it again (TRN41). */
  broadcastEchoes: number;
}

/** Forwarding counts of zero: a fresh trim's, and what a session without the trim reports. */
export function noForwardingStats(): ForwardingStats {
  return {
    updateEchoes: 0,
    awarenessEchoes: 0,
    renewalsKept: 0,
    queriesDropped: 0,
    reportsRead: 0,
    reportsIgnored: 0,
    reportedLinks: 0,
    updatesNotForwarded: 0,
    awarenessNotForwarded: 0,
    resyncsAsked: 0,
    broadcastEchoes: 0,
  };
}

/** TRN33: the shortest time between two answers to one peer's awareness queries (a page asks once a second). */
const QUERY_ANSWER_MS = 500;

/** Runs `send` with each of `peers`' `send` doing nothing; returns how many sends it skipped, per peer. */
function withoutSendingTo(peers: readonly SimplePeerLike[], send: () => void): number[] {
  const skipped = peers.map(() => 0);
  const restores = peers.map((peer, i) => {
    const own = Object.hasOwn(peer, 'send');
    const original = peer.send;
    peer.send = () => {
      skipped[i] = (skipped[i] ?? 0) + 1;
    };
    return () => {
      if (own) peer.send = original;
      else Reflect.deleteProperty(peer, 'send');
    };
  });
  try {
    send();
  } finally {
    for (const restore of restores) restore();
  }
  return skipped;
}

/** Runs `send` with y-webrtc's BroadcastChannel switched off: what it broadcasts goes to WebRTC peers only. */
function withoutBroadcastChannel(room: ForwardingRoomLike, send: () => void): void {
  const connected = room.bcconnected;
  room.bcconnected = false;
  try {
    send();
  } finally {
    room.bcconnected = connected;
  }
}

/** How `trimRtcForwarding` trims. */
export interface ForwardingOptions {
  /**
   * TRN38-TRN40: tell neighbours whom this page is directly connected to and skip forwarding
   * what a neighbour hears directly (default true). Off, only TRN30-TRN33 and TRN41 hold: for
   * the benchmark that compares the two, and in a protected room, where a page may refuse a
   * connected peer's updates until it proves its role (docs/roles.md), so a live connection
   * does not mean it has what that peer sends.
   */
  topology?: boolean;
}

/**
 * Stops y-webrtc from sending what its peers already have (docs/transports.md,
 * "What y-webrtc sends on"). y-webrtc broadcasts every document update and
 * every awareness update it applies to every peer, whoever it came from:
 *
 * - TRN30: an update that came from peer P is not sent back to P. Only when
 *   the document held nothing pending before P's message: then the update
 *   y-webrtc broadcasts is part of what P sent. Otherwise P's message may have
 *   let structs from someone else integrate, which P may lack: then P gets it.
 * - TRN31: an awareness change from P is not sent back to P.
 * - TRN32: an awareness renewal (a new clock for the same state, what presence
 *   sends every second, PRES3) that came from anywhere but this page (a peer,
 *   the server, another tab) is not re-broadcast at all;
 *   real changes (someone joins, leaves, or changes their state) still flood
 *   the mesh as before, so a peer reached only through others still learns
 *   them. Such a peer keeps its entries alive by asking its peers for their
 *   states when they go stale (`queryRtcAwareness`, TRN33); a peer's queries
 *   are answered at most once per QUERY_ANSWER_MS (each answer holds every state).
 * - TRN38: each neighbour is told, whenever it changes, whom this page has a
 *   live direct connection to (neighbour-report.ts), and each neighbour's last
 *   report is kept (a malformed one is counted and forgets the last).
 * - TRN39: what TRN30 and TRN31 do not send back to P is also not sent to a
 *   neighbour N whose last report lists P: N hears P directly, and P sends on
 *   to N what it applies (itself skipping only what N hears from P's source).
 * - TRN40: when a connection this page reported closes, it reports again and
 *   then asks each remaining neighbour for what it lacks (a sync step 1): a
 *   neighbour may have skipped it on that connection's account while the
 *   connection was dying. Presence heals by TRN33 (a stale entry is asked after).
 * - TRN41: a document update or awareness change that came over the
 *   BroadcastChannel (another tab of this browser) is not published on it
 *   again: every tab of the room heard the same message. It still goes to
 *   WebRTC peers. For an update, only when nothing was pending before it (TRN30's reason).
 *
 * Everything else (this page's own updates, those from the server, IndexedDB
 * or other tabs, updates to other peers: a partial mesh needs them) goes out as
 * y-webrtc sends it. It wraps each connection's message handler (to know who a
 * message came from) and the room's two broadcast handlers, once the room
 * exists. Returns the counts and an unsubscribe.
 */
export function trimRtcForwarding(
  provider: WebrtcProvider,
  options: ForwardingOptions = {},
): { stats: ForwardingStats; stop(): void } {
  const topology = options.topology !== false;
  const stats = noForwardingStats();
  const doc = provider.doc;
  const pendingNothing = () => doc.store.pendingStructs === null && doc.store.pendingDs === null;
  /** The connection whose message y-webrtc is handling now (and its id), and whether the document held nothing pending before it. */
  let from: WebrtcConnLike | undefined;
  let fromId = '';
  let clean = false;
  /** TRN41: y-webrtc is handling a BroadcastChannel message now. */
  let viaBroadcast = false;
  /** TRN38: each connection's last neighbour report (keyed by its simple-peer: a reconnect starts with none). */
  const reports = new WeakMap<object, ReadonlySet<string>>();
  const stopIntercepting = interceptRtcMessages(provider, (remoteId, conn) => {
    let lastAnswered = Number.NEGATIVE_INFINITY;
    return (data, handOn) => {
      // TRN38: a page that does not use reports still takes them off y-webrtc's path (its gate would refuse them).
      if (data[0] === MESSAGE_NEIGHBOURS) {
        const read = readNeighbourReport(data);
        const last = reports.get(conn.peer)?.size ?? 0;
        if (!read.ok) {
          reports.delete(conn.peer);
          stats.reportsIgnored++;
          stats.reportedLinks -= last;
        } else if (topology) {
          const ids = new Set(read.ids);
          reports.set(conn.peer, ids);
          stats.reportsRead++;
          stats.reportedLinks += ids.size - last;
        }
        return;
      }
      // TRN33: y-webrtc answers a query with every state it holds; a peer gets one answer per QUERY_ANSWER_MS.
      if (data.byteLength === 1 && data[0] === MESSAGE_QUERY_AWARENESS_TYPE) {
        const now = performance.now();
        if (now - lastAnswered < QUERY_ANSWER_MS) {
          stats.queriesDropped++;
          return;
        }
        lastAnswered = now;
      }
      const outer = from;
      const outerId = fromId;
      const outerClean = clean;
      from = conn;
      fromId = remoteId;
      clean = pendingNothing();
      try {
        handOn(data);
      } finally {
        from = outer;
        fromId = outerId;
        clean = outerClean;
      }
    };
  });
  const stopReporting = topology ? reportNeighbours(provider, stats) : () => {};

  /** TRN30, TRN39: the source's peer first, then every other neighbour that reported a live connection to it. */
  const notFor = (source: WebrtcConnLike, sourceId: string): SimplePeerLike[] => {
    const skip = [source.peer];
    if (!topology) return skip;
    for (const [, conn] of connections(provider)) {
      if (conn !== source && reports.get(conn.peer)?.has(sourceId)) skip.push(conn.peer);
    }
    return skip;
  };
  const sendWithout = (source: WebrtcConnLike, sourceId: string, send: () => void): [number, number] => {
    const [echoes = 0, ...others] = withoutSendingTo(notFor(source, sourceId), send);
    return [echoes, others.reduce((sum, n) => sum + n, 0)];
  };

  // The 'change' that goes with an 'update' (the same `added` array): what really changed in it.
  const changes = new WeakMap<number[], AwarenessChangeLike>();
  const onChange = (change: AwarenessChangeLike) => changes.set(change.added, change);
  provider.awareness.on('change', onChange);
  let restore = () => {};
  let stopped = false;
  void provider.key.then(() => {
    const room = roomOf(provider) as (RoomLike & ForwardingRoomLike) | undefined;
    const docHandler = room?._docUpdateHandler;
    const awarenessHandler = room?._awarenessUpdateHandler;
    const mux = room?.mux;
    if (stopped || !room || !docHandler || !awarenessHandler || !mux) return;
    const onDoc = (update: Uint8Array, origin: unknown) => {
      const source = from;
      if (origin === room && viaBroadcast && clean) {
        stats.broadcastEchoes++;
        withoutBroadcastChannel(room, () => docHandler(update, origin));
      } else if (origin !== room || !source || !clean) docHandler(update, origin);
      else {
        const [echoes, others] = sendWithout(source, fromId, () => docHandler(update, origin));
        stats.updateEchoes += echoes;
        stats.updatesNotForwarded += others;
      }
    };
    const onAwareness: AwarenessListener = (change, origin) => {
      // This page's own state (y-protocols' `setLocalState` says 'local') goes out as y-webrtc sends it.
      if (origin === 'local') return awarenessHandler(change, origin);
      const changed = changes.get(change.added);
      if (!changed) {
        stats.renewalsKept++;
        return;
      }
      const source = origin === room ? from : undefined;
      if (origin === room && viaBroadcast) {
        stats.broadcastEchoes++;
        withoutBroadcastChannel(room, () => awarenessHandler(changed, origin));
      } else if (!source) awarenessHandler(changed, origin);
      else {
        const [echoes, others] = sendWithout(source, fromId, () => awarenessHandler(changed, origin));
        stats.awarenessEchoes += echoes;
        stats.awarenessNotForwarded += others;
      }
    };
    // TRN41: y-webrtc handles each BroadcastChannel message inside its mutex: mark it, and whether the document held nothing pending.
    const onBroadcast = (run: () => void, otherwise?: () => void) =>
      mux(() => {
        const outer = [viaBroadcast, from, clean] as const;
        viaBroadcast = true;
        from = undefined;
        clean = pendingNothing();
        try {
          run();
        } finally {
          [viaBroadcast, from, clean] = outer;
        }
      }, otherwise);
    const swap = (next: typeof onDoc, nextAwareness: AwarenessListener, nextMux: typeof mux) => {
      const connected = room.bcconnected === true;
      const current = room._docUpdateHandler;
      const currentAwareness = room._awarenessUpdateHandler;
      if (current) doc.off('update', current);
      if (currentAwareness) provider.awareness.off('update', currentAwareness);
      room._docUpdateHandler = next;
      room._awarenessUpdateHandler = nextAwareness;
      room.mux = nextMux;
      if (connected) {
        doc.on('update', next);
        provider.awareness.on('update', nextAwareness);
      }
    };
    swap(onDoc, onAwareness, onBroadcast);
    restore = () => swap(docHandler, awarenessHandler, mux);
  });
  return {
    stats,
    stop() {
      stopped = true;
      stopIntercepting();
      stopReporting();
      provider.awareness.off('change', onChange);
      restore();
    },
  };
}

/**
 * TRN38, TRN40: sends each neighbour this page's live direct connections whenever they change
 * (and a newly connected neighbour the list at once); when one it had reported closes, asks the
 * remaining neighbours for what it may have missed. Returns an unsubscribe.
 */
function reportNeighbours(provider: WebrtcProvider, stats: ForwardingStats): () => void {
  let reported = new Set<string>();
  let reportedKey = '';
  let stopped = false;
  const live = () => connections(provider).filter(([, conn]) => conn.connected && !conn.closed);
  const report = () => {
    if (stopped) return;
    const open = live();
    const ids = open.map(([id]) => id).sort();
    const key = ids.join('\n');
    if (key === reportedKey) return;
    const lost = [...reported].some((id) => !ids.includes(id));
    reported = new Set(ids);
    reportedKey = key;
    const message = writeNeighbourReport(ids);
    for (const [id, conn] of open) handleOf(id, conn).send(message);
    if (!lost) return;
    // After the report on the same ordered channel: a neighbour answers knowing it must forward to us again.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC_TYPE);
    syncProtocol.writeSyncStep1(encoder, provider.doc);
    const step1 = encoding.toUint8Array(encoder);
    // Presence needs no question here: an entry that stops being renewed is asked after (TRN33).
    for (const [id, conn] of open) {
      handleOf(id, conn).send(step1);
      stats.resyncsAsked++;
    }
  };
  const hooked = new WeakSet<object>();
  const onPeers = () => {
    for (const [, conn] of connections(provider)) {
      if (hooked.has(conn.peer)) continue;
      hooked.add(conn.peer);
      conn.peer.once('connect', report);
      conn.peer.once('close', report);
    }
    report();
  };
  provider.on('peers', onPeers);
  onPeers();
  return () => {
    stopped = true;
    provider.off('peers', onPeers);
  };
}

/**
 * TRN33: asks every connected peer for all the awareness states it holds (y-webrtc's own
 * query message, which y-webrtc answers with them). Returns how many peers were asked.
 */
export function queryRtcAwareness(provider: WebrtcProvider): number {
  const query = new Uint8Array([MESSAGE_QUERY_AWARENESS_TYPE]);
  let asked = 0;
  for (const [remoteId, conn] of connections(provider)) {
    if (!conn.connected) continue;
    handleOf(remoteId, conn).send(query);
    asked++;
  }
  return asked;
}

/** y-webrtc's `messageQueryAwareness`. */
const MESSAGE_QUERY_AWARENESS_TYPE = 3;
/** y-webrtc's `messageSync`. */
const MESSAGE_SYNC_TYPE = 0;
