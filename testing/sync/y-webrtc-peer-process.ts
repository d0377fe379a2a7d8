/**
 * Test helper (not app code): one y-webrtc peer in Node (node-datachannel as
 * the WebRTC implementation) with the pose data channel opened through the
 * adapter. y-webrtc keeps its rooms in module state, so each peer of a test
 * runs in its own child process (y-webrtc-internals.test.ts), talking over IPC.
 *
 * Arguments: the signaling URL, the room, `app-peer` to run y-webrtc on the
 * app's own peer (app/sync/webrtc-peer.ts) instead of simple-peer, and
 * optionally the room's password (y-webrtc then encrypts its signaling).
 */
import { register } from 'node:module';
import * as buffer from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as polyfill from 'node-datachannel/polyfill';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { POSE_DATA_CHANNEL_ID } from '../../app/pose/transports/webrtc-transport.ts';
import {
  broadcastPeerCount,
  connectedRtcPeerCount,
  filterRtcMessages,
  ignoreLateAnswers,
  listRtcPeers,
  localRtcId,
  observeRtcHandshake,
  onRtcPeersChanged,
  onRtcSyncedChanged,
  rtcRoomSynced,
  signalingConnections,
} from '../../app/sync/y-webrtc-internals.ts';

const [signalingUrl, room, peerKind, password] = process.argv.slice(2) as [
  string,
  string,
  string | undefined,
  string | undefined,
];
if (peerKind === 'app-peer') register('./app-peer-hooks.mjs', import.meta.url);

/** simple-peer rewrites `offer.sdp`; node-datachannel's descriptions are read-only, so hand back plain copies. */
class PeerConnection extends polyfill.RTCPeerConnection {
  override async createOffer(): Promise<RTCSessionDescriptionInit> {
    const { type, sdp } = await super.createOffer();
    return sdp === undefined ? { type } : { type, sdp };
  }
  override async createAnswer(): Promise<RTCSessionDescriptionInit> {
    const { type, sdp } = await super.createAnswer();
    return sdp === undefined ? { type } : { type, sdp };
  }
}
const wrtc = { ...polyfill, RTCPeerConnection: PeerConnection };

// Every AES-GCM decryption in this process, by the ciphertext's iv: all of them (y-webrtc's own
// read included) and the app's (a call from signaling-crypto.ts), to count the reads of each
// signaling frame (TRN37). The real WebCrypto does the work; this only counts its calls.
const decryptions = new Map<string, { ours: number; all: number }>();
let lastDecryptAt = 0;
const subtle = globalThis.crypto.subtle;
const realDecrypt = subtle.decrypt.bind(subtle);
subtle.decrypt = ((algorithm: AesGcmParams, key: CryptoKey, data: BufferSource) => {
  const iv = buffer.toBase64(new Uint8Array(algorithm.iv as ArrayBuffer));
  const count = decryptions.get(iv) ?? { ours: 0, all: 0 };
  count.all++;
  if (new Error().stack?.includes('signaling-crypto')) count.ours++;
  decryptions.set(iv, count);
  lastDecryptAt = Date.now();
  return realDecrypt(algorithm, key, data);
}) as typeof subtle.decrypt;
(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
const { WebrtcProvider } = await import('y-webrtc');
const doc = new Y.Doc();
const provider = new WebrtcProvider(room, doc, {
  signaling: [signalingUrl],
  // Both peers share Node's BroadcastChannel; without this y-webrtc would not use WebRTC between them.
  filterBcConns: false,
  peerOpts: { wrtc, config: { iceServers: [] } },
  ...(password ? { password } : {}),
});
// y-webrtc handles a password room's signaling in a promise: what it throws there is a rejection.
const rejections: string[] = [];
process.on('unhandledRejection', (reason) => rejections.push(String(reason)));
const post = (message: unknown) => process.send?.(message);
const opened = new Set<object>();

// Every y-webrtc message passes this filter before y-webrtc's own handler sees it;
// it sees which connection sent it, and drops our own marker sent with handle.send.
const SENT_MARKER = 99;
let filtered = 0;
filterRtcMessages(provider, (data, from) => {
  filtered++;
  if (data[0] !== SENT_MARKER) return data;
  post({ type: 'sent', text: new TextDecoder().decode(data.subarray(1)), fromRemoteId: from.remoteId });
  return undefined;
});
const marker = `hello from ${process.pid}`;
doc.getText('script').insert(0, `${marker}\n`);
doc.getText('script').observe(() => {
  const text = doc.getText('script').toString();
  if (text.split('\n').filter((line) => line.startsWith('hello from')).length >= 2)
    post({ type: 'text', text, filtered });
});

for (const connection of signalingConnections(provider)) {
  if (connection.connected) post({ type: 'signaling', connected: true });
  else connection.on('connect', () => post({ type: 'signaling', connected: connection.connected }));
}
// The room says synced, and so does every connection it holds now (a connection that replaced one
// lost under load is not synced yet while the room still says it is).
const syncedWatch = setInterval(() => {
  if (!rtcRoomSynced(provider) || !listRtcPeers(provider).every((handle) => handle.synced)) return;
  clearInterval(syncedWatch);
  post({ type: 'synced', connectionsSynced: listRtcPeers(provider).map((handle) => handle.synced) });
}, 50);
onRtcSyncedChanged(provider, () => post({ type: 'synced-event', synced: rtcRoomSynced(provider) }));
// The handshake's steps as the room's timeline would mark them (each once, in the order first seen).
const steps: string[] = [];
observeRtcHandshake(provider, (step) => {
  if (!steps.includes(step)) steps.push(step);
});

onRtcPeersChanged(provider, () => {
  for (const handle of listRtcPeers(provider)) {
    if (opened.has(handle.key)) continue;
    opened.add(handle.key);
    // y-webrtc made a connection (an attempt): the first, or a fresh one after a close.
    post({ type: 'attempt', remoteId: handle.remoteId });
    // As the transport does: our end of the negotiated channel right away, before connecting.
    const pc = handle.pc;
    const channel = pc?.createDataChannel('holoroom-pose', {
      negotiated: true,
      id: POSE_DATA_CHANNEL_ID,
      ordered: false,
      maxRetransmits: 0,
    });
    handle.onConnect(() => {
      handle.send(new Uint8Array([SENT_MARKER, ...new TextEncoder().encode(`sent by ${localRtcId(provider)}`)]));
      post({
        type: 'connected',
        remoteId: handle.remoteId,
        // Both ends initiators: this connection came from crossing offers (TRN9).
        initiator: (handle.key as { initiator?: boolean }).initiator,
        hasPc: typeof pc?.createDataChannel === 'function',
        connectedPeers: connectedRtcPeerCount(provider),
        broadcastPeers: broadcastPeerCount(provider),
      });
    });
    if (channel) {
      channel.binaryType = 'arraybuffer';
      let heard = false;
      channel.onopen = () => {
        post({
          type: 'open',
          ordered: channel.ordered,
          maxRetransmits: channel.maxRetransmits,
          localId: localRtcId(provider),
        });
        const say = () => {
          if (heard || channel.readyState !== 'open') return;
          channel.send(new TextEncoder().encode(`pose from ${localRtcId(provider)}`));
          setTimeout(say, 200);
        };
        say();
      };
      channel.onmessage = (event: MessageEvent) => {
        if (!heard)
          post({ type: 'message', text: new TextDecoder().decode(new Uint8Array(event.data as ArrayBuffer)) });
        heard = true;
      };
    }
    handle.onClose(() => post({ type: 'closed', remoteId: handle.remoteId }));
  }
});

// Answers to attempts given up before they came are dropped ahead of y-webrtc's handler (TRN11),
// and so are a password room's messages that do not decrypt (TRN15).
let lateAnswers = 0;
let undecryptable = 0;
/** y-webrtc's connections when the guard last dropped a late answer. */
let connectionsAtDrop: number | undefined;
ignoreLateAnswers(provider, (kind) => {
  if (kind === 'undecryptable') undecryptable++;
  else {
    lateAnswers++;
    connectionsAtDrop = listRtcPeers(provider).length;
  }
});
/** y-webrtc's signaling socket (lib0's WebsocketClient) as this test drives it. */
interface SignalingSocket {
  on(
    event: 'message',
    handler: (frame: { type?: string; data?: { type?: string; signal?: { type?: string } } }) => void,
  ): void;
  emit(name: string, args: unknown[]): void;
}
const sockets = signalingConnections(provider) as unknown as SignalingSocket[];
// The last answer this page got, to deliver again as a late one.
let lastAnswer: { signal: unknown } | undefined;
for (const connection of sockets) {
  connection.on('message', (frame) => {
    if (frame.type === 'publish' && frame.data?.type === 'signal' && frame.data.signal?.type === 'answer')
      lastAnswer = frame.data as { signal: unknown };
  });
}

/** The iv of a password room's sealed signaling data (y-webrtc's format, signaling-crypto.ts). */
function ivOf(sealed: string): string {
  const decoder = decoding.createDecoder(buffer.fromBase64(sealed));
  decoding.readVarString(decoder);
  return buffer.toBase64(decoding.readVarUint8Array(decoder));
}

// The room's encrypted frames this page sent, and those it received (the server sends a frame to
// its sender too), by iv.
const sentIvs = new Set<string>();
const receivedIvs = new Set<string>();
for (const connection of signalingConnections(provider) as unknown as {
  send(message: unknown): void;
  on(event: 'message', handler: (frame: { type?: string; topic?: string; data?: unknown }) => void): void;
}[]) {
  const send = connection.send;
  connection.send = (message: unknown) => {
    const { type, data } = message as { type?: string; data?: unknown };
    if (type === 'publish' && typeof data === 'string') sentIvs.add(ivOf(data));
    send.call(connection, message);
  };
  connection.on('message', (frame) => {
    if (frame.type === 'publish' && frame.topic === room && typeof frame.data === 'string')
      receivedIvs.add(ivOf(frame.data));
  });
}

/**
 * Once no decryption has started for 500 ms (at most 10 s), reports how often each of the room's
 * frames was decrypted: those this page sent (their echo included) and those the other peer sent.
 */
async function reportDecryptions(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() - lastDecryptAt < 500 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const counts = (ivs: Iterable<string>) => [...ivs].map((iv) => decryptions.get(iv) ?? { ours: 0, all: 0 });
  post({
    type: 'decryptions',
    own: counts(sentIvs),
    others: counts([...receivedIvs].filter((iv) => !sentIvs.has(iv))),
  });
}

/** A signaling frame's data as y-webrtc writes it: plain, or in a password room encrypted under `key`. */
async function signalingData(message: unknown, key: CryptoKey | null | undefined): Promise<unknown> {
  if (!key) return message;
  const plain = encoding.createEncoder();
  encoding.writeAny(plain, message as Parameters<typeof encoding.writeAny>[1]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const cipher = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoding.toUint8Array(plain));
  const sealed = encoding.createEncoder();
  encoding.writeVarString(sealed, 'AES-GCM');
  encoding.writeVarUint8Array(sealed, iv);
  encoding.writeVarUint8Array(sealed, new Uint8Array(cipher));
  return buffer.toBase64(encoding.toUint8Array(sealed));
}

/** The room's password key (null without a password), once y-webrtc has derived it. */
function roomKey(): CryptoKey | null | undefined {
  return (provider.room as { key?: CryptoKey | null } | null)?.key;
}

/**
 * Has the signaling socket deliver each frame, as if from the server, and waits (at most 5 s) until
 * the guard has dropped `expected` of them or y-webrtc threw (synchronously or in its promise).
 */
async function deliver(frames: unknown[], dropped: () => number, expected: number): Promise<string[]> {
  const errors: string[] = [];
  const before = dropped();
  const rejectionsBefore = rejections.length;
  for (const frame of frames) {
    for (const connection of sockets) {
      try {
        connection.emit('message', [frame, connection]);
      } catch (error) {
        errors.push(String(error));
      }
    }
  }
  const deadline = Date.now() + 5_000;
  while (dropped() - before < expected && rejections.length === rejectionsBefore && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return [...errors, ...rejections.slice(rejectionsBefore)];
}

/**
 * Gives every connection up (as the transport's watchdog does, TRN11), then, before anything else
 * can happen, has the signaling socket deliver an answer from each of those peers and from each
 * of `alsoFrom` (peers never connected: one alone in a room needs no connection to be given up),
 * encrypted in a password room: the answer to an offer of a given-up attempt, arriving late.
 * Reports what y-webrtc did with it.
 */
async function giveUpThenAnswerLate(alsoFrom: string[]): Promise<void> {
  // A password room's key (and y-webrtc's room) exist once y-webrtc has derived the key.
  const deadline = Date.now() + 10_000;
  while (!provider.room && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  const givenUp = listRtcPeers(provider).map((handle) => handle.remoteId);
  // Encrypted beforehand (in a password room), so nothing waits between the give-up and the delivery.
  const frames = [];
  for (const remoteId of [...givenUp, ...alsoFrom]) {
    const message = {
      type: 'signal',
      from: remoteId,
      to: localRtcId(provider),
      token: Date.now(),
      signal: lastAnswer?.signal ?? { type: 'answer', sdp: 'v=0\r\n' },
    };
    frames.push({ type: 'publish', topic: room, data: await signalingData(message, roomKey()) });
  }
  for (const handle of listRtcPeers(provider)) handle.destroy();
  // y-webrtc forgets a connection on its 'close', which the peer emits in a microtask.
  for (let turn = 0; turn < 10 && listRtcPeers(provider).length > 0; turn++) await Promise.resolve();
  const connectionsBefore = listRtcPeers(provider).length;
  const errors = await deliver(frames, () => lateAnswers, frames.length);
  post({
    type: 'late-answer',
    givenUp: givenUp.length,
    connectionsBefore,
    connectionsAtDrop,
    errors,
    lateAnswers,
  });
}

/**
 * A password room's topic gets two frames that are no message under its key: text that is not
 * y-webrtc's format, and an announce encrypted under another key (another password). Reports
 * what y-webrtc did with them.
 */
async function sendUndecryptable(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!provider.room && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  const otherKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const frames = [
    { type: 'publish', topic: room, data: 'not y-webrtc ciphertext' },
    { type: 'publish', topic: room, data: await signalingData({ type: 'announce', from: 'intruder' }, otherKey) },
  ];
  const errors = await deliver(frames, () => undecryptable, frames.length);
  post({ type: 'undecryptable', errors, undecryptable, connections: listRtcPeers(provider).length });
}

process.on('message', (message: { type: string; from?: string[] }) => {
  if (message.type === 'destroy-connections') for (const handle of listRtcPeers(provider)) handle.destroy();
  if (message.type === 'give-up-then-answer-late') void giveUpThenAnswerLate(message.from ?? []);
  if (message.type === 'send-undecryptable') void sendUndecryptable();
  if (message.type === 'count') post({ type: 'count', count: listRtcPeers(provider).length });
  if (message.type === 'steps') post({ type: 'steps', steps: [...steps] });
  if (message.type === 'decryptions') void reportDecryptions();
  if (message.type === 'stop') {
    provider.destroy();
    setTimeout(() => process.exit(0), 50);
  }
});
post({ type: 'ready' });
