/**
 * The peer connection y-webrtc uses, on the browser's own `RTCPeerConnection`
 * (docs/performance.md, LOAD5). y-webrtc imports simple-peer's prebuilt
 * bundle, 97 KB minified with Node's `stream` and `buffer` polyfills; the
 * app's build resolves that import to this module instead (vite.config.ts).
 *
 * It keeps simple-peer's surface as y-webrtc and `y-webrtc-internals.ts` use it
 * and its signal messages byte for byte (`{ type: 'offer' | 'answer', sdp }`,
 * `{ type: 'candidate', candidate: { candidate, sdpMLineIndex, sdpMid } }`),
 * so it talks to a simple-peer on the other side too:
 *
 *   new Peer({ initiator, config, wrtc? })   the initiator opens the data channel and offers
 *   peer.signal(message)                     a message from the other side's 'signal' event
 *   peer.send(bytes)                         throws unless connected
 *   peer.destroy()                           idempotent; 'close' follows in a microtask
 *   events 'signal', 'connect', 'data' (Uint8Array), 'error', 'close'
 *   peer._pc, peer.destroyed, peer.connected
 *
 * Crossing offers (TRN9, docs/transports.md): when both sides of a pair start a
 * connection at once, both are initiators and both offer. y-webrtc decides by
 * its glare tokens which offer is answered and hands it to the other side's
 * initiator. That peer answers (which rolls its own offer back) and gives up its own
 * data channel for the one the offer brought: the channel in use is always the
 * answered offerer's, on both sides. (Without this each side kept its own
 * channel and y-webrtc saw both "connected" while every message went to a
 * channel the other side never read.) An initiator that hears an offer before
 * its own went out never sends its own.
 *
 * An answer is taken only for this peer's own offer, once: an answer that
 * comes when no offer of ours waits for one (a late answer to an attempt the
 * transport gave up, TRN11, reaching a fresh connection; a duplicate) is
 * ignored and counted in `ignoredAnswers`, not applied, which would fail and
 * end the connection.
 */

type Listener = (...args: never[]) => void;

interface CandidateSignal {
  type: 'candidate';
  candidate: RTCIceCandidateInit;
}
interface DescriptionSignal {
  type: 'offer' | 'answer';
  sdp: string;
}
type SignalData = CandidateSignal | DescriptionSignal;

/** Messages and bytes on the peer's data channel, both ways (what benchmarks and tests count, TRN30-TRN32). */
export interface PeerTraffic {
  sentMessages: number;
  sentBytes: number;
  receivedMessages: number;
  receivedBytes: number;
}

export interface PeerOptions {
  initiator?: boolean;
  config?: RTCConfiguration;
  /** Another WebRTC implementation (tests in Node); the browser's by default. */
  wrtc?: { RTCPeerConnection: typeof RTCPeerConnection };
}

function channelLabel(): string {
  const bytes = new Uint8Array(10);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isSignal(value: unknown): value is SignalData {
  if (typeof value !== 'object' || value === null) return false;
  const { type } = value as { type?: unknown };
  if (type === 'candidate') return typeof (value as { candidate?: unknown }).candidate === 'object';
  return (type === 'offer' || type === 'answer') && typeof (value as { sdp?: unknown }).sdp === 'string';
}

export default class WebRtcPeer {
  readonly initiator: boolean;
  /** The connection itself: y-webrtc-internals.ts adds the pose channel to it. */
  readonly _pc: RTCPeerConnection;
  destroyed = false;
  connected = false;
  private channel: RTCDataChannel | undefined;
  private readonly events = new Map<string, { listener: Listener; once: boolean }[]>();
  /** Candidates that arrived before the remote description was applied. */
  private pendingCandidates: RTCIceCandidateInit[] = [];
  private remoteDescriptionApplied = false;
  private failedCandidates = 0;
  /** A remote offer arrived: our own offer, if not yet sent, never goes out (TRN9). */
  private remoteOffered = false;
  /** Our offer went out and no answer to it was taken yet. */
  private awaitingAnswer = false;
  /** Answers that came when no offer of ours waited for one: ignored. */
  ignoredAnswers = 0;
  readonly traffic: PeerTraffic = { sentMessages: 0, sentBytes: 0, receivedMessages: 0, receivedBytes: 0 };

  constructor(options: PeerOptions = {}) {
    const Implementation = options.wrtc?.RTCPeerConnection ?? globalThis.RTCPeerConnection;
    this.initiator = options.initiator ?? false;
    // Never a library default: without a configuration there are no ICE servers at all.
    this._pc = new Implementation(options.config ?? { iceServers: [] });
    this._pc.onicecandidate = (event) => {
      const candidate = event.candidate;
      if (!candidate || this.destroyed) return;
      this.emit('signal', {
        type: 'candidate',
        candidate: { candidate: candidate.candidate, sdpMLineIndex: candidate.sdpMLineIndex, sdpMid: candidate.sdpMid },
      });
    };
    this._pc.onconnectionstatechange = () => {
      const state = this._pc.connectionState;
      if (state === 'failed' || state === 'closed') this.destroy(new Error(`the peer connection is ${state}`));
    };
    // In both roles: an initiator that answers a crossing offer takes the offerer's channel (TRN9).
    // A channel announced while one is in use is the other side's abandoned one: ignored.
    this._pc.ondatachannel = (event) => {
      if (!this.channel) this.attach(event.channel);
    };
    if (this.initiator) {
      this.attach(this._pc.createDataChannel(channelLabel()));
      void this.offer();
    }
  }

  /** A message from the other side's 'signal' event (an object, or its JSON); anything else is ignored. */
  signal(message: unknown): void {
    if (this.destroyed) return;
    const data = typeof message === 'string' ? parseJson(message) : message;
    if (!isSignal(data)) return;
    if (data.type === 'candidate') {
      if (this.remoteDescriptionApplied) void this.addCandidate(data.candidate);
      else this.pendingCandidates.push(data.candidate);
      return;
    }
    if (data.type === 'answer' && !this.awaitingAnswer) {
      this.ignoredAnswers++;
      if (this.ignoredAnswers === 1) console.warn('WebRTC: an answer to no offer of ours was ignored (a late answer)');
      return;
    }
    if (data.type === 'answer') this.awaitingAnswer = false;
    // A crossing offer rolls our own back (TRN9): an answer to it could not be applied any more.
    if (data.type === 'offer') {
      this.remoteOffered = true;
      this.awaitingAnswer = false;
    }
    void this.accept(data);
  }

  send(data: Uint8Array | string): void {
    const channel = this.channel;
    if (this.destroyed || channel?.readyState !== 'open') throw new Error('cannot send: the peer is not connected');
    if (typeof data === 'string') channel.send(data);
    else channel.send(data as Uint8Array<ArrayBuffer>);
    this.traffic.sentMessages++;
    this.traffic.sentBytes += typeof data === 'string' ? data.length : data.byteLength;
  }

  destroy(error?: Error): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.connected = false;
    this.detach();
    this._pc.onicecandidate = null;
    this._pc.onconnectionstatechange = null;
    this._pc.ondatachannel = null;
    this._pc.close();
    // As simple-peer: listeners learn of it after the caller's own step.
    queueMicrotask(() => {
      if (error) this.emit('error', error);
      this.emit('close');
    });
  }

  on(event: string, listener: Listener): this {
    this.add(event, listener, false);
    return this;
  }

  once(event: string, listener: Listener): this {
    this.add(event, listener, true);
    return this;
  }

  removeListener(event: string, listener: Listener): this {
    const list = this.events.get(event);
    const index = list?.findIndex((entry) => entry.listener === listener) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
    return this;
  }

  off(event: string, listener: Listener): this {
    return this.removeListener(event, listener);
  }

  listeners(event: string): Listener[] {
    return (this.events.get(event) ?? []).map((entry) => entry.listener);
  }

  removeAllListeners(event?: string): this {
    if (event === undefined) this.events.clear();
    else this.events.delete(event);
    return this;
  }

  private add(event: string, listener: Listener, once: boolean): void {
    const list = this.events.get(event) ?? [];
    list.push({ listener, once });
    this.events.set(event, list);
  }

  private emit(event: string, ...args: unknown[]): void {
    const list = this.events.get(event);
    if (!list) return;
    for (const entry of [...list]) {
      if (entry.once) this.removeListener(event, entry.listener);
      (entry.listener as (...values: unknown[]) => void).apply(this, args);
    }
  }

  /** Stops using the current channel and closes it. */
  private detach(): void {
    const channel = this.channel;
    if (!channel) return;
    this.channel = undefined;
    channel.onopen = null;
    channel.onmessage = null;
    channel.onclose = null;
    channel.onerror = null;
    channel.close();
  }

  private attach(channel: RTCDataChannel): void {
    this.channel = channel;
    channel.binaryType = 'arraybuffer';
    channel.onopen = () => {
      if (this.destroyed || this.connected) return;
      this.connected = true;
      this.emit('connect');
    };
    channel.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      const data = event.data;
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
      this.traffic.receivedMessages++;
      this.traffic.receivedBytes += bytes.byteLength;
      this.emit('data', bytes);
    };
    channel.onclose = () => this.destroy();
    channel.onerror = (event) => {
      const error = (event as RTCErrorEvent).error;
      this.destroy(error instanceof Error ? error : new Error('data channel error'));
    };
  }

  private async offer(): Promise<void> {
    try {
      const offer = await this._pc.createOffer();
      if (this.destroyed || this.remoteOffered) return;
      await this._pc.setLocalDescription(offer);
      if (this.destroyed || this.remoteOffered) return;
      this.awaitingAnswer = true;
      this.emit('signal', { type: 'offer', sdp: this._pc.localDescription?.sdp ?? offer.sdp ?? '' });
    } catch (error) {
      this.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private async accept(description: DescriptionSignal): Promise<void> {
    try {
      // A crossing offer won (TRN9): the offerer's channel will be the one, announced by it. Applying
      // the offer rolls our own back (implicit rollback, in browsers and node-datachannel alike).
      if (description.type === 'offer' && this.initiator && !this.remoteDescriptionApplied) this.detach();
      await this._pc.setRemoteDescription({ type: description.type, sdp: description.sdp });
      this.remoteDescriptionApplied = true;
      for (const candidate of this.pendingCandidates.splice(0)) await this.addCandidate(candidate);
      if (description.type !== 'offer' || this.destroyed) return;
      const answer = await this._pc.createAnswer();
      if (this.destroyed) return;
      await this._pc.setLocalDescription(answer);
      if (this.destroyed) return;
      this.emit('signal', { type: 'answer', sdp: this._pc.localDescription?.sdp ?? answer.sdp ?? '' });
    } catch (error) {
      this.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private async addCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await this._pc.addIceCandidate(candidate);
    } catch (error) {
      // One unusable candidate (an address family this host lacks) does not end the connection; others may work.
      this.failedCandidates++;
      if (this.failedCandidates === 1) console.warn('WebRTC: a remote ICE candidate was refused', error);
    }
  }
}
