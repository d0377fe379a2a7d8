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
const TIMEOUT_MS = 10_000;

const open: { destroy(): void }[] = [];
afterEach(() => {
  for (const peer of open.splice(0)) peer.destroy();
});

function eventOf<T>(peer: { on(event: string, listener: (value: T) => void): unknown }, event: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    peer.on(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

it('[LOAD5] two peers connect over real WebRTC, carry bytes both ways, and both close when one ends', async () => {
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

it('[LOAD5] it connects to a real simple-peer (the same signal messages) in either role', async () => {
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

it("[TRN9] crossing offers: the initiator that answers rolls its offer back and takes the offerer's channel", async () => {
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

it('[TRN9] an initiator that hears an offer before its own went out answers it and never offers', async () => {
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

it('[TRN11] an answer to no offer of ours (late, for a given-up attempt, or a duplicate) is ignored and counted, not fatal', async () => {
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
