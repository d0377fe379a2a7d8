// [TRN2] Every y-webrtc internal the app relies on (y-webrtc-internals.ts),
// against the real library: two y-webrtc peers (each in a child process:
// y-webrtc keeps rooms in module state) signal through our real signaling
// server (signalingConns: connected, 'connect') and connect with real WebRTC
// (node-datachannel). Each finds the connection's RTCPeerConnection (room,
// webrtcConns, peer._pc, 'peers', 'connect'), counts it (conn.connected,
// room.bcConns), sees the room synced (room.synced, conn.synced, 'synced'), judges every message
// before y-webrtc applies it (peer data listeners) while the documents still
// converge, sends on y-webrtc's channel (peer.send), opens the pre-negotiated pose channel that carries data (room.peerId
// as the link token), and destroy() makes y-webrtc forget the connection and
// reconnect ('close'); an answer that comes after that is dropped ahead of y-webrtc's
// signaling handler (the signaling socket's emit, provider.roomName). If y-webrtc renames any of
// these, or the app's peer (in simple-peer's place) stops offering simple-peer's surface, this fails.
import { type ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { createLogger } from '../../server/log.ts';
import { SignalingServer } from '../../server/signaling.ts';
import { type IgnoredSignal, ignoreLateAnswers, signalingConnections } from './y-webrtc-internals.ts';

type Message = { type: string; [key: string]: unknown };

const httpServer = createServer();
const signaling = new SignalingServer(createLogger('error', () => {}));
httpServer.on('upgrade', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
let signalingUrl = '';
const children: ChildProcess[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  signalingUrl = `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
  }
  signaling.close();
  await new Promise<void>((resolve) => httpServer.close(() => resolve()));
});

function startPeer(
  room: string,
  peerKind: 'simple-peer' | 'app-peer' = 'simple-peer',
  password?: string,
): {
  child: ChildProcess;
  messages: Message[];
  next: (type: string, n?: number) => Promise<Message[]>;
} {
  const child = fork(
    fileURLToPath(new URL('../../testing/sync/y-webrtc-peer-process.ts', import.meta.url)),
    [signalingUrl, room, peerKind, ...(password ? [password] : [])],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  children.push(child);
  const messages: Message[] = [];
  child.on('message', (message: Message) => messages.push(message));
  child.on('exit', (code) => messages.push({ type: 'exit', code }));
  const next = async (type: string, n = 1) => {
    const deadline = Date.now() + 20_000;
    while (messages.filter((m) => m.type === type).length < n) {
      if (messages.some((m) => m.type === 'exit')) throw new Error(`peer exited: ${JSON.stringify(messages)}`);
      if (Date.now() > deadline) throw new Error(`no "${type}" x${n}: ${JSON.stringify(messages)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return messages.filter((m) => m.type === type);
  };
  return { child, messages, next };
}

// The peers run y-webrtc on the app's own peer (webrtc-peer.ts), as the app's build does: it had run
// simple-peer, which the app never uses, and whose glare with y-webrtc (both sides announce at once,
// the offers cross, simple-peer cannot answer on its pending connection) failed 1 in 5 loaded runs at
// the first connect or after the destroy, so the test had a retry. The last step checks what the app
// relies on in y-webrtc after a destroy(): the connection closes on both sides, y-webrtc forgets it
// and makes a fresh one; [TRN9] below waits for a fresh connection to open and carry messages.
it('[TRN2] opens the pre-negotiated unordered pose channel on y-webrtc connections and retries on destroy', {
  timeout: 60_000,
}, async () => {
  const room = `adapter-${Date.now()}`;
  const a = startPeer(room, 'app-peer');
  const b = startPeer(room, 'app-peer');
  expect((await a.next('signaling'))[0]).toMatchObject({ connected: true });
  expect((await b.next('signaling'))[0]).toMatchObject({ connected: true });
  const [connectedA] = await a.next('connected');
  const [connectedB] = await b.next('connected');
  expect(connectedA).toMatchObject({ hasPc: true, connectedPeers: 1, broadcastPeers: 0 });
  expect(connectedB).toMatchObject({ hasPc: true, connectedPeers: 1, broadcastPeers: 0 });
  // Each side's connection says it has the other's document, and the room told its listeners.
  expect((await a.next('synced'))[0]?.connectionsSynced).toEqual([true]);
  expect((await b.next('synced'))[0]?.connectionsSynced).toEqual([true]);
  expect((await a.next('synced-event'))[0]).toMatchObject({ synced: true });
  // Both texts arrived through the message filter, which saw them first.
  const [textA] = await a.next('text');
  const [textB] = await b.next('text');
  expect(textA?.text).toBe(textB?.text);
  expect(textA?.filtered).toBeGreaterThan(0);
  expect(textB?.filtered).toBeGreaterThan(0);
  // handle.send reaches the other side's filter, which names the connection it came from.
  const [sentToA] = await a.next('sent');
  expect(sentToA).toMatchObject({ fromRemoteId: connectedA?.remoteId, text: `sent by ${connectedA?.remoteId}` });
  const [openA] = await a.next('open');
  const [openB] = await b.next('open');
  expect(openA).toMatchObject({ ordered: false, maxRetransmits: 0 });
  // Each side knows the other by the id the other reports as its own.
  expect(connectedA?.remoteId).toBe(openB?.localId);
  expect(connectedB?.remoteId).toBe(openA?.localId);
  const [fromB] = await a.next('message').catch((error: Error) => {
    throw new Error(`${error.message}\nB: ${JSON.stringify(b.messages)}`);
  });
  expect(fromB?.text).toBe(`pose from ${openB?.localId}`);

  // A gives up on the connection: it closes on both sides, y-webrtc forgets it and each side makes a
  // fresh one (on the other's announce or offer).
  // Counted from here: under load a first connection can have been replaced already.
  const seen = (peer: { messages: Message[] }, type: string) => peer.messages.filter((m) => m.type === type).length;
  const [closedA, closedB, attemptsA, attemptsB] = [
    seen(a, 'closed'),
    seen(b, 'closed'),
    seen(a, 'attempt'),
    seen(b, 'attempt'),
  ];
  a.child.send({ type: 'destroy-connections' });
  await Promise.all([a.next('closed', closedA + 1), b.next('closed', closedB + 1)]);
  await Promise.all([a.next('attempt', attemptsA + 1), b.next('attempt', attemptsB + 1)]);
});

// [TRN9] The same y-webrtc, on the app's own peer (app/sync/webrtc-peer.ts, as the app's build
// resolves it). Both ends drop their live connection at once, so both announce themselves again
// and both create an initiator: their offers cross, y-webrtc's glare tokens pick one, and the other
// side's initiator must answer it and take the offerer's data channel. Each new connection must
// carry y-webrtc's own messages both ways ("sent": our marker, through the message filter), not
// only report "connected". Rounds repeat (at most 5) until one came from crossing offers (both
// ends initiators); in practice the first does.
it('[TRN9] y-webrtc on the app peer: both ends drop a live connection at once, the offers cross, messages still flow', {
  timeout: 90_000,
}, async () => {
  const MAX_ROUNDS = 5;
  const room = `crossing-${Date.now()}`;
  const a = startPeer(room, 'app-peer');
  const b = startPeer(room, 'app-peer');
  await a.next('sent');
  await b.next('sent');
  let crossings = 0;
  for (let round = 2; round <= MAX_ROUNDS + 1 && crossings === 0; round++) {
    a.child.send({ type: 'destroy-connections' });
    b.child.send({ type: 'destroy-connections' });
    const [connectedA, connectedB] = await Promise.all([a.next('connected', round), b.next('connected', round)]);
    // y-webrtc's own channel carries the other side's marker (sent on its 'connect').
    await Promise.all([a.next('sent', round), b.next('sent', round)]);
    // And the pose channel on the same connection opens.
    await Promise.all([a.next('open', round), b.next('open', round)]);
    if (connectedA.at(-1)?.initiator === true && connectedB.at(-1)?.initiator === true) crossings++;
  }
  expect(crossings).toBe(1);
});

// [TRN11] An answer that comes after its attempt was given up (the transport's watchdog destroyed
// the connection; y-webrtc forgot it) is dropped before y-webrtc's signaling handler, which would
// throw on it ("Cannot set properties of undefined (setting 'glareToken')"): the page's signaling
// socket delivers it right after the give-up, before anything else can happen. Then the pair
// connects again as after any given-up attempt.
it('[TRN11] a late answer for a given-up attempt is ignored before y-webrtc, which would throw on it', {
  timeout: 60_000,
}, async () => {
  const room = `late-answer-${Date.now()}`;
  const a = startPeer(room, 'app-peer');
  const b = startPeer(room, 'app-peer');
  await Promise.all([a.next('open'), b.next('open')]);
  a.child.send({ type: 'give-up-then-answer-late' });
  const [late] = await a.next('late-answer');
  expect(late).toMatchObject({ givenUp: 1, connectionsBefore: 0, connectionsAtDrop: 0, errors: [], lateAnswers: 1 });
  await Promise.all([a.next('open', 2), b.next('open', 2)]);
});

// [TRN15] The same in a password room, where y-webrtc's signaling is encrypted: y-webrtc decrypts a
// frame and then handles it as above, so it threw the same TypeError, in its promise (an unhandled
// rejection: in Node it ends the process). The guard decrypts the room's frames first, with the
// room's key, and drops the late answer. What decides is that y-webrtc holds no connection to the
// answering peer, so one peer alone in the room shows it, without a WebRTC connection to set up and
// give up first (the open room's test above does that).
it('[TRN15] in a password room a late answer for a given-up attempt is decrypted and ignored before y-webrtc', {
  timeout: 60_000,
}, async () => {
  const a = startPeer(`late-answer-password-${Date.now()}`, 'app-peer', 'correct horse');
  await a.next('signaling');
  a.child.send({ type: 'give-up-then-answer-late', from: ['a-peer-given-up'] });
  const [late] = await a.next('late-answer');
  expect(late).toMatchObject({ givenUp: 0, connectionsAtDrop: 0, errors: [], lateAnswers: 1 });
});

// [TRN28] A password room's handshake is on the timeline too: its announce, offers and answers are
// encrypted, so the observer decrypts each of the room's frames (sent and received) with the room's
// key before reading its step. Two members with a password connect over real WebRTC.
it("[TRN28] a password room's announce, offer and answer are read from its encrypted signaling", {
  timeout: 60_000,
}, async () => {
  const room = `password-phases-${Date.now()}`;
  const a = startPeer(room, 'app-peer', 'tr0ub4dor');
  await a.next('signaling');
  const b = startPeer(room, 'app-peer', 'tr0ub4dor');
  await Promise.all([a.next('connected'), b.next('connected')]);
  a.child.send({ type: 'steps' });
  b.child.send({ type: 'steps' });
  const [[stepsA], [stepsB]] = await Promise.all([a.next('steps'), b.next('steps')]);
  const [ofA, ofB] = [stepsA?.steps as string[], stepsB?.steps as string[]];
  for (const steps of [ofA, ofB]) {
    expect(steps).toEqual(expect.arrayContaining(['signaling_open', 'subscribe', 'announce', 'datachannel_open']));
    // Whoever offered took an answer; whoever was offered to answered.
    if (steps.includes('offer_sent')) expect(steps).toContain('answer_received');
    if (steps.includes('offer_received')) expect(steps).toContain('answer_sent');
    expect(steps.indexOf('announce')).toBeLessThan(steps.indexOf('datachannel_open'));
  }
  expect([...ofA, ...ofB]).toEqual(
    expect.arrayContaining(['offer_sent', 'offer_received', 'answer_sent', 'answer_received']),
  );
});

// [TRN37] The same handshake, counted: every AES-GCM decryption in each member's process, by frame.
// A frame from the other member is read once by the app (the late-answer guard; the timeline takes
// the guard's plaintext) and once by y-webrtc. A frame a member sends is read once as it goes out
// (for the timeline; the guard never sees it) and once more when the server hands it back to its
// sender (the guard cannot know it is the page's own before reading it). Before, the timeline
// decrypted every received frame again: 2 and 3 app reads.
it('[TRN37] a password room decrypts each signaling frame once for the guard and the timeline together', {
  timeout: 60_000,
}, async () => {
  const room = `password-reads-${Date.now()}`;
  const a = startPeer(room, 'app-peer', 'tr0ub4dor');
  await a.next('signaling');
  const b = startPeer(room, 'app-peer', 'tr0ub4dor');
  await Promise.all([a.next('connected'), b.next('connected')]);
  type Count = { ours: number; all: number };
  for (const peer of [a, b]) {
    peer.child.send({ type: 'steps' });
    peer.child.send({ type: 'decryptions' });
  }
  const [[stepsA], [stepsB], [readsA], [readsB]] = await Promise.all([
    a.next('steps'),
    b.next('steps'),
    a.next('decryptions'),
    b.next('decryptions'),
  ]);
  for (const reads of [readsA, readsB]) {
    const { own, others } = reads as unknown as { own: Count[]; others: Count[] };
    // At least the announce and an offer or answer each way.
    expect(own.length).toBeGreaterThanOrEqual(2);
    expect(others.length).toBeGreaterThanOrEqual(2);
    expect(others).toEqual(others.map(() => ({ ours: 1, all: 2 })));
    expect(own).toEqual(own.map(() => ({ ours: 2, all: 3 })));
  }
  // The timeline still has what it read from the guard's plaintext.
  const received = [stepsA, stepsB].flatMap((reply) => (reply?.steps ?? []) as string[]);
  expect(received).toEqual(expect.arrayContaining(['offer_received', 'answer_received']));
});

// [TRN15] Untrusted frames on a password room's topic that are no message under its key (text not in
// y-webrtc's format; a message under another password's key) are dropped and counted, where
// y-webrtc rejected in its promise on each.
it('[TRN15] a password room drops signaling frames that do not decrypt under its key', {
  timeout: 60_000,
}, async () => {
  const a = startPeer(`undecryptable-${Date.now()}`, 'app-peer', 'battery staple');
  await a.next('signaling');
  a.child.send({ type: 'send-undecryptable' });
  const [dropped] = await a.next('undecryptable');
  expect(dropped).toMatchObject({ errors: [], undecryptable: 2, connections: 0 });
});

// [TRN16] A page that opens and leaves rooms one after the other keeps one signaling client per URL
// (y-webrtc shares it between providers): the late-answer guard wraps its `emit` once, every later
// provider joins that wrapper instead of wrapping it again, and the last one to leave puts lib0's
// own `emit` back. Providers here live in this process (no peers, so no WebRTC).
it('[TRN16] creating and destroying N providers leaves one late-answer wrapper on the shared signaling client', {
  timeout: 30_000,
}, async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
  const N = 20;
  const stamp = Date.now();
  const open = (i: number) => {
    const doc = new Y.Doc();
    const provider = new WebrtcProvider(`wrappers-${stamp}-${i}`, doc, {
      signaling: [signalingUrl],
      peerOpts: { config: { iceServers: [] } },
    });
    const ignored: IgnoredSignal[] = [];
    const stop = ignoreLateAnswers(provider, (kind) => ignored.push(kind));
    const close = () => {
      stop();
      provider.disconnect();
      provider.destroy();
      doc.destroy();
    };
    return { provider, ignored, close };
  };
  type Emitter = { emit(name: string, args: unknown[]): void };
  const first = open(0);
  const [socket] = signalingConnections(first.provider) as unknown as Emitter[];
  if (!socket) throw new Error('no signaling client');
  const lib0Emit = Object.getPrototypeOf(socket).emit;
  const wrapper = socket.emit;
  expect(wrapper).not.toBe(lib0Emit);
  for (let i = 1; i <= N; i++) {
    const other = open(i);
    expect(signalingConnections(other.provider)[0]).toBe(socket);
    expect(socket.emit).toBe(wrapper);
    other.close();
    expect(socket.emit).toBe(wrapper);
  }
  // The one wrapper still guards the provider that stayed: a late answer to it is dropped.
  const deadline = Date.now() + 5_000;
  while (!first.provider.room && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  const room = first.provider.room as unknown as { peerId: string; name: string };
  const late = { type: 'signal', from: 'given-up', to: room.peerId, token: 1, signal: { type: 'answer', sdp: 'v=0' } };
  socket.emit('message', [{ type: 'publish', topic: room.name, data: late }, socket]);
  expect(first.ignored).toEqual(['late-answer']);
  first.close();
  expect(Object.hasOwn(socket, 'emit')).toBe(false);
  expect(socket.emit).toBe(lib0Emit);
});
