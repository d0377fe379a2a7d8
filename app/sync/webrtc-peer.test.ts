// [LOAD5] The peer y-webrtc uses in the app's build (webrtc-peer.ts, in place of
// simple-peer and its Node polyfills), over real WebRTC (node-datachannel):
// two of them connect through their signal messages, carry bytes both ways and
// end with 'close' on both sides; and one connects to a real simple-peer, so
// its signal messages are simple-peer's.
import { createRequire } from 'node:module';
import * as polyfill from 'node-datachannel/polyfill';
import { afterEach, expect, it } from 'vitest';
import WebRtcPeer from './webrtc-peer.ts';

/** The surface of simple-peer this test drives (the package ships no types). */
interface SimplePeerLike {
  on(event: string, listener: (...args: never[]) => void): void;
  signal(data: unknown): void;
  send(data: Uint8Array): void;
  destroy(): void;
}
type SimplePeerConstructor = new (options: object) => SimplePeerLike;
const SimplePeer = createRequire(import.meta.url)('simple-peer') as SimplePeerConstructor;

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
const wrtc = { ...polyfill, RTCPeerConnection: PeerConnection as unknown as typeof RTCPeerConnection };
const config: RTCConfiguration = { iceServers: [] };
/**
 * How long one awaited event may take. The wait ends on the event (connect, data, close), and at
 * once if the peer closes instead (`eventOf`): under load (6-8 busy processes beside this file, load
 * average 10-17) the 10 s timeouts seen before were connections that had closed (connection state
 * 'closed', seen by our peer as "the peer connection is closed"), waited on until the timer ran out.
 * So this bounds only a connection that neither opens nor closes. Connecting is a dozen steps
 * (offer, answer, candidates, ICE checks, DTLS, SCTP, the channel's open), each a callback of
 * node-datachannel's threads waiting for this process's event loop on two loaded cores: generous.
 */
const EVENT_TIMEOUT_MS = 45_000;
/** Bounds each test: it awaits at most two connects in a row, and a few data and close events. */
const TEST_TIMEOUT_MS = 120_000;

const open: { destroy(): void }[] = [];
afterEach(() => {
  for (const peer of open.splice(0)) peer.destroy();
});

/** Where a peer's connection stands, for a failure message. */
function stateOf(peer: unknown): string {
  const pc = (peer as { _pc?: RTCPeerConnection })._pc;
  if (!pc) return 'no RTCPeerConnection';
  return `signaling ${pc.signalingState}, ICE ${pc.iceConnectionState}, connection ${pc.connectionState}`;
}

type Emitter<T> = { on(event: string, listener: (value: T) => void): unknown };

/**
 * Resolves with the peer's next `event`; rejects as soon as the peer closes instead (with the error
 * it gave, and where its connection stood), so a test never waits for what can no longer come.
 */
function eventOf<T>(peer: Emitter<T>, event: string): Promise<T> {
  return new Promise((resolve, reject) => {
    let error: unknown;
    const fail = (why: string) => reject(new Error(`no '${event}': ${why} (${stateOf(peer)})`));
    const timer = setTimeout(() => fail(`not in ${EVENT_TIMEOUT_MS} ms`), EVENT_TIMEOUT_MS);
    peer.on(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
    if (event === 'close') return;
    (peer as Emitter<unknown>).on('error', (value) => {
      error = value;
    });
    (peer as Emitter<unknown>).on('close', () => {
      clearTimeout(timer);
      fail(`the peer closed${error ? ` with ${String(error)}` : ''}`);
    });
  });
}

it('[LOAD5] two peers connect over real WebRTC, carry bytes both ways, and both close when one ends', {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const a = new WebRtcPeer({ initiator: true, config, wrtc });
  const b = new WebRtcPeer({ config, wrtc });
  open.push(a, b);
  a.on('signal', (message: unknown) => b.signal(message));
  b.on('signal', (message: unknown) => a.signal(message));
  await Promise.all([eventOf(a, 'connect'), eventOf(b, 'connect')]);
  expect([a.connected, b.connected]).toEqual([true, true]);
  expect(a._pc.connectionState).toBe('connected');

  const atB = eventOf<Uint8Array>(b, 'data');
  a.send(new Uint8Array([1, 2, 3]));
  expect([...(await atB)]).toEqual([1, 2, 3]);
  const atA = eventOf<Uint8Array>(a, 'data');
  b.send(new Uint8Array([4, 5]));
  expect([...(await atA)]).toEqual([4, 5]);

  const closedA = eventOf(a, 'close');
  const closedB = eventOf(b, 'close');
  a.destroy();
  a.destroy();
  await Promise.all([closedA, closedB]);
  expect([a.destroyed, b.destroyed]).toEqual([true, true]);
  expect(() => a.send(new Uint8Array([1]))).toThrow(/not connected/);
});

it('[LOAD5] it connects to a real simple-peer (the same signal messages) in either role', {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  for (const initiatorIsOurs of [true, false]) {
    const ours = new WebRtcPeer({ initiator: initiatorIsOurs, config, wrtc });
    const theirs = new SimplePeer({ initiator: !initiatorIsOurs, config, wrtc });
    open.push(ours, theirs);
    ours.on('signal', (message: unknown) => theirs.signal(message));
    theirs.on('signal', (message: unknown) => ours.signal(message));
    await Promise.all([eventOf(ours, 'connect'), eventOf(theirs, 'connect')]);
    const received = eventOf<Uint8Array>(theirs, 'data');
    ours.send(new Uint8Array([7, 8, 9]));
    expect([...(await received)]).toEqual([7, 8, 9]);
    const back = eventOf<Uint8Array>(ours, 'data');
    theirs.send(new Uint8Array([10]));
    expect([...(await back)]).toEqual([10]);
  }
});

it('[LOAD5] a malformed signal message is ignored, not thrown', () => {
  const peer = new WebRtcPeer({ config, wrtc });
  open.push(peer);
  const malformed = [
    null,
    42,
    {},
    { type: 'offer' },
    { type: 'candidate' },
    { type: 'nonsense', sdp: 'x' },
    '{"type":',
    'x',
  ];
  for (const message of malformed) {
    expect(() => peer.signal(message)).not.toThrow();
  }
  expect(peer.destroyed).toBe(false);
});

type Signal = { type: string };

/** Bytes both ways over a connected pair: each side reads the channel the other sends on. */
async function exchange(a: WebRtcPeer, b: WebRtcPeer): Promise<void> {
  const atB = eventOf<Uint8Array>(b, 'data');
  a.send(new Uint8Array([1]));
  expect([...(await atB)]).toEqual([1]);
  const atA = eventOf<Uint8Array>(a, 'data');
  b.send(new Uint8Array([2]));
  expect([...(await atA)]).toEqual([2]);
}

it("[TRN9] crossing offers: the initiator that answers rolls its offer back and takes the offerer's channel", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  // Both start at once, as after a forced re-connect of a live link. y-webrtc's glare tokens pick
  // A's offer: B's initiator answers it, A never sees B's offer.
  const a = new WebRtcPeer({ initiator: true, config, wrtc });
  const b = new WebRtcPeer({ initiator: true, config, wrtc });
  open.push(a, b);
  const offerOf = (peer: WebRtcPeer) =>
    new Promise<Signal>((resolve) =>
      peer.on('signal', (message: Signal) => message.type === 'offer' && resolve(message)),
    );
  const [offerA] = await Promise.all([offerOf(a), offerOf(b)]);
  expect(b._pc.signalingState).toBe('have-local-offer');
  a.on('signal', (message: Signal) => message.type !== 'offer' && b.signal(message));
  b.on('signal', (message: Signal) => message.type !== 'offer' && a.signal(message));
  b.signal(offerA);
  await Promise.all([eventOf(a, 'connect'), eventOf(b, 'connect')]);
  expect([a._pc.signalingState, b._pc.signalingState]).toEqual(['stable', 'stable']);
  // Both were "connected" before this rule too, each on its own channel, and nothing arrived.
  await exchange(a, b);
});

it('[TRN9] an initiator that hears an offer before its own went out answers it and never offers', {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const a = new WebRtcPeer({ initiator: true, config, wrtc });
  const b = new WebRtcPeer({ initiator: true, config, wrtc });
  open.push(a, b);
  const sentByB: string[] = [];
  // A's offer reaches B while B is still creating its own (B's constructor started it).
  a.on('signal', (message: Signal) => b.signal(message));
  b.on('signal', (message: Signal) => {
    sentByB.push(message.type);
    a.signal(message);
  });
  await Promise.all([eventOf(a, 'connect'), eventOf(b, 'connect')]);
  expect(sentByB).toContain('answer');
  expect(sentByB).not.toContain('offer');
  await exchange(a, b);
});

it('[TRN11] an answer to no offer of ours (late, for a given-up attempt, or a duplicate) is ignored and counted, not fatal', {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const a = new WebRtcPeer({ initiator: true, config, wrtc });
  const b = new WebRtcPeer({ config, wrtc });
  open.push(a, b);
  let answer: Signal | undefined;
  a.on('signal', (message: Signal) => b.signal(message));
  b.on('signal', (message: Signal) => {
    if (message.type === 'answer') answer = message;
    a.signal(message);
  });
  await Promise.all([eventOf(a, 'connect'), eventOf(b, 'connect')]);
  expect(answer).toBeDefined();

  // The same answer again, after the one it answered was taken: the connection stays up.
  a.signal(answer);
  // The answer reaches a fresh connection to the same peer that offered nothing (the transport
  // gave the first attempt up, TRN11, and y-webrtc made a new one on the peer's announce).
  const fresh = new WebRtcPeer({ config, wrtc });
  open.push(fresh);
  fresh.signal(answer);
  // Applying an answer in the stable state fails asynchronously: give it the time it would take.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect([a.destroyed, fresh.destroyed]).toEqual([false, false]);
  expect([a.ignoredAnswers, fresh.ignoredAnswers]).toEqual([1, 1]);
  expect([a._pc.signalingState, fresh._pc.signalingState]).toEqual(['stable', 'stable']);
  await exchange(a, b);

  // The fresh connection still negotiates when an offer does come.
  const offerer = new WebRtcPeer({ initiator: true, config, wrtc });
  open.push(offerer);
  offerer.on('signal', (message: Signal) => fresh.signal(message));
  fresh.on('signal', (message: Signal) => offerer.signal(message));
  await Promise.all([eventOf(offerer, 'connect'), eventOf(fresh, 'connect')]);
  await exchange(offerer, fresh);
});
