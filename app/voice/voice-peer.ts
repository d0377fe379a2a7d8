/**
 * One voice connection: an RTCPeerConnection of its own to one other person,
 * with one audio transceiver that both sides may send on (docs/voice.md
 * VOICE2, VOICE3). The peer with the lower id offers; the other answers, so
 * two peers never offer at once. The microphone is put on the sender with
 * `replaceTrack`, so turning it on, muting and unmuting never renegotiate.
 */
import type { PeerId } from '../core/ids.ts';
import type { IceCandidateText, VoiceMessage } from './messages.ts';

/** ICE candidates kept while the remote description is not set yet; more are dropped (VOICE6). */
const MAX_PENDING_CANDIDATES = 32;
/** ICE candidates accepted from one peer per connection (VOICE6). */
const MAX_REMOTE_CANDIDATES = 64;

export type VoiceConnectionState = 'connecting' | 'connected' | 'failed';

export interface VoicePeerEvents {
  send(message: VoiceMessage): void;
  onTrack(stream: MediaStream): void;
  onState(state: VoiceConnectionState): void;
  /** Something the other side sent could not be used (counted, shown in the inspection). */
  onRefused(reason: string): void;
}

/** Opus first (VOICE3): the codec the browser would most likely pick anyway, now certainly. */
function preferOpus(transceiver: RTCRtpTransceiver): void {
  const codecs = typeof RTCRtpReceiver.getCapabilities === 'function' ? RTCRtpReceiver.getCapabilities('audio') : null;
  if (!codecs || typeof transceiver.setCodecPreferences !== 'function') return;
  const opus = codecs.codecs.filter((c) => c.mimeType.toLowerCase() === 'audio/opus');
  const rest = codecs.codecs.filter((c) => c.mimeType.toLowerCase() !== 'audio/opus');
  if (opus.length > 0) transceiver.setCodecPreferences([...opus, ...rest]);
}

export class VoicePeer {
  readonly pc: RTCPeerConnection;
  readonly offerer: boolean;
  state: VoiceConnectionState = 'connecting';
  private transceiver: RTCRtpTransceiver | undefined;
  private track: MediaStreamTrack | null = null;
  private pending: IceCandidateText[] = [];
  private remoteCandidates = 0;
  private described = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly self: PeerId,
    readonly peerId: PeerId,
    iceServers: RTCIceServer[],
    private readonly events: VoicePeerEvents,
  ) {
    this.offerer = self < peerId;
    this.pc = new RTCPeerConnection({ iceServers });
    this.pc.onicecandidate = (event) => {
      const c = event.candidate;
      if (!c) return;
      this.events.send({
        kind: 'ice',
        from: self,
        to: peerId,
        candidate: { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex },
      });
    };
    this.pc.ontrack = (event) => this.events.onTrack(event.streams[0] ?? new MediaStream([event.track]));
    this.pc.onconnectionstatechange = () => {
      const s = this.pc.connectionState;
      const next: VoiceConnectionState =
        s === 'connected' ? 'connected' : s === 'failed' || s === 'closed' ? 'failed' : this.state;
      if (next !== this.state) {
        this.state = next;
        this.events.onState(next);
      }
    };
    if (this.offerer) {
      this.queue = this.offer().catch((error: unknown) => this.events.onRefused(`offer: ${String(error)}`));
    }
  }

  /** The microphone track to send, or null to send nothing (muted, or no microphone). */
  setTrack(track: MediaStreamTrack | null): void {
    this.track = track;
    void this.transceiver?.sender.replaceTrack(track).catch((error: unknown) => this.events.onRefused(String(error)));
  }

  /** Takes one message from the other side; messages are applied one after another, in order. */
  handle(message: VoiceMessage): Promise<void> {
    this.queue = this.queue.then(async () => {
      try {
        if (message.kind === 'offer') await this.answer(message.sdp);
        else if (message.kind === 'answer') await this.accept(message.sdp);
        else if (message.kind === 'ice') await this.addCandidate(message.candidate);
      } catch (error) {
        this.events.onRefused(`${message.kind}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    return this.queue;
  }

  close(): void {
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  /** Inbound audio bytes and codec (for tests, benchmarks and the inspection). */
  async inboundAudio(): Promise<{ bytesReceived: number; packetsReceived: number; codec: string }> {
    const report = await this.pc.getStats();
    let bytesReceived = 0;
    let packetsReceived = 0;
    let codecId: string | undefined;
    report.forEach(
      (stat: { type: string; kind?: string; bytesReceived?: number; packetsReceived?: number; codecId?: string }) => {
        if (stat.type === 'inbound-rtp' && stat.kind === 'audio') {
          bytesReceived += stat.bytesReceived ?? 0;
          packetsReceived += stat.packetsReceived ?? 0;
          codecId = stat.codecId ?? codecId;
        }
      },
    );
    const codec = codecId ? (report.get(codecId) as { mimeType?: string } | undefined)?.mimeType : undefined;
    return { bytesReceived, packetsReceived, codec: codec ?? '' };
  }

  private async offer(): Promise<void> {
    this.transceiver = this.pc.addTransceiver('audio', { direction: 'sendrecv' });
    preferOpus(this.transceiver);
    if (this.track) await this.transceiver.sender.replaceTrack(this.track);
    await this.pc.setLocalDescription(await this.pc.createOffer());
    const sdp = this.pc.localDescription?.sdp;
    if (sdp) this.events.send({ kind: 'offer', from: this.self, to: this.peerId, sdp });
  }

  private async answer(sdp: string): Promise<void> {
    if (this.offerer || this.described) throw new Error('unexpected offer');
    this.described = true;
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    const transceiver = this.pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio');
    if (!transceiver) throw new Error('the offer has no audio');
    this.transceiver = transceiver;
    transceiver.direction = 'sendrecv';
    preferOpus(transceiver);
    if (this.track) await transceiver.sender.replaceTrack(this.track);
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await this.flushCandidates();
    const local = this.pc.localDescription?.sdp;
    if (local) this.events.send({ kind: 'answer', from: this.self, to: this.peerId, sdp: local });
  }

  private async accept(sdp: string): Promise<void> {
    if (!this.offerer || this.described) throw new Error('unexpected answer');
    this.described = true;
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    await this.flushCandidates();
  }

  private async addCandidate(candidate: IceCandidateText): Promise<void> {
    if (++this.remoteCandidates > MAX_REMOTE_CANDIDATES) throw new Error('too many ICE candidates');
    if (!this.described) {
      if (this.pending.length < MAX_PENDING_CANDIDATES) this.pending.push(candidate);
      return;
    }
    await this.pc.addIceCandidate(candidate);
  }

  private async flushCandidates(): Promise<void> {
    for (const candidate of this.pending.splice(0)) await this.pc.addIceCandidate(candidate);
  }
}
