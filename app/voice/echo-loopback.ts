/**
 * Where every voice goes after its panner (docs/voice.md VOICE16): one bus
 * (`input`), played either straight to the audio context's destination, or,
 * where the browser's echo canceller would not see Web Audio output, through
 * a loopback pair of RTCPeerConnections into a playing `<audio>` element.
 *
 * Why: desktop Chrome cancels echo only against audio it plays from WebRTC
 * streams through media elements; what Web Audio renders to `destination` is
 * not its reference, so with speakers the spatialised voices come back into
 * the microphone and the others hear themselves. Sending the bus's output
 * over a local connection and playing what arrives in an element makes it a
 * WebRTC stream again, which the canceller does see.
 *
 * @example
 *   const output = new VoiceOutput(context);
 *   panner.connect(output.input);
 *   output.setLoopback(micOn && echoLoopbackWanted(navigator)); // VOICE16
 */
import { rms } from './speaking.ts';

/** What `echoLoopbackWanted` reads of `navigator` (plain values so Node tests can give any browser). */
export interface BrowserTraits {
  userAgent: string;
  userAgentData?: { brands?: readonly { brand: string }[]; mobile?: boolean } | undefined;
}

/**
 * VOICE16's rule: the loopback is for Chromium-based browsers on desktops
 * (Chrome, Edge, Opera...). Not on phones or headsets (Android and the Quest's
 * browser route Web Audio through the platform's echo canceller), not in
 * Firefox or Safari (they cancel against everything they play).
 */
export function echoLoopbackWanted(traits: BrowserTraits): boolean {
  const data = traits.userAgentData;
  const chromium = data?.brands?.some((b) => /Chrom(e|ium)/.test(b.brand)) ?? /Chrome\//.test(traits.userAgent);
  if (!chromium) return false;
  if (data?.mobile === true) return false;
  return !/Android|Mobile|OculusBrowser|Quest|Pico|Wolvic/i.test(traits.userAgent);
}

export type VoiceOutputMode = 'direct' | 'loopback';

/** The loopback as the inspection shows it (tests assert the path is in place). */
export interface VoiceOutputInspection {
  mode: VoiceOutputMode;
  /** The loopback connections' states, sending side then receiving side; empty when direct. */
  connections: RTCPeerConnectionState[];
  /** The element that plays the loopback: playing, not muted, fed by the received stream. */
  element?: { playing: boolean; muted: boolean; tracks: number };
  /** RMS of what arrives over the loopback now (the bus's sound after its round trip). */
  arrivingLevel: number;
}

export class VoiceOutput {
  /** Connect every voice here. */
  readonly input: GainNode;
  private mode: VoiceOutputMode = 'direct';
  private loop: Loopback | undefined;

  constructor(private readonly context: AudioContext) {
    this.input = context.createGain();
    this.input.connect(context.destination);
  }

  get current(): VoiceOutputMode {
    return this.mode;
  }

  /** Routes the bus through the loopback (true) or straight to the speakers (false). */
  setLoopback(on: boolean): void {
    if (on === (this.mode === 'loopback')) return;
    this.input.disconnect();
    this.loop?.close();
    this.loop = undefined;
    if (on) {
      this.loop = new Loopback(this.context, this.input);
      this.mode = 'loopback';
    } else {
      this.input.connect(this.context.destination);
      this.mode = 'direct';
    }
  }

  /** Resumes the loopback's element after autoplay refused it (VOICE7). */
  replay(): void {
    this.loop?.replay();
  }

  inspect(): VoiceOutputInspection {
    return this.loop?.inspect() ?? { mode: 'direct', connections: [], arrivingLevel: 0 };
  }

  close(): void {
    this.setLoopback(false);
    this.input.disconnect();
  }
}

/** The two local connections and the element: bus → MediaStream → pc out → pc in → <audio>. */
class Loopback {
  private readonly out = new RTCPeerConnection({ iceServers: [] });
  private readonly in = new RTCPeerConnection({ iceServers: [] });
  private readonly destination: MediaStreamAudioDestinationNode;
  private readonly element = new Audio();
  private arriving: { source: MediaStreamAudioSourceNode; analyser: AnalyserNode } | undefined;

  constructor(context: AudioContext, bus: AudioNode) {
    this.destination = context.createMediaStreamDestination();
    bus.connect(this.destination);
    for (const track of this.destination.stream.getAudioTracks()) this.out.addTrack(track, this.destination.stream);
    // Both ends live in this page: candidates and descriptions go straight across.
    this.out.onicecandidate = (e) => e.candidate && this.in.addIceCandidate(e.candidate).catch(() => {});
    this.in.onicecandidate = (e) => e.candidate && this.out.addIceCandidate(e.candidate).catch(() => {});
    this.in.ontrack = (event) => {
      const stream = event.streams[0] ?? new MediaStream([event.track]);
      this.element.srcObject = stream;
      this.replay();
      // Measured only for the inspection: a source on a received stream plays silence without the element (VOICE11).
      const source = context.createMediaStreamSource(stream);
      const analyser = context.createAnalyser();
      analyser.fftSize = 2048;
      source.connect(analyser);
      this.arriving = { source, analyser };
    };
    void this.negotiate();
  }

  replay(): void {
    if (this.element.srcObject && this.element.paused) this.element.play().catch(() => {});
  }

  inspect(): VoiceOutputInspection {
    const stream = this.element.srcObject instanceof MediaStream ? this.element.srcObject : undefined;
    let arrivingLevel = 0;
    if (this.arriving) {
      const samples = new Float32Array(this.arriving.analyser.fftSize);
      this.arriving.analyser.getFloatTimeDomainData(samples);
      arrivingLevel = rms(samples);
    }
    return {
      mode: 'loopback',
      connections: [this.out.connectionState, this.in.connectionState],
      element: { playing: !this.element.paused, muted: this.element.muted, tracks: stream?.getTracks().length ?? 0 },
      arrivingLevel,
    };
  }

  close(): void {
    this.arriving?.source.disconnect();
    this.element.pause();
    this.element.srcObject = null;
    this.out.close();
    this.in.close();
    this.destination.disconnect();
  }

  private async negotiate(): Promise<void> {
    try {
      await this.out.setLocalDescription(await this.out.createOffer());
      await this.in.setRemoteDescription(this.out.localDescription as RTCSessionDescriptionInit);
      await this.in.setLocalDescription(await this.in.createAnswer());
      await this.out.setRemoteDescription(this.in.localDescription as RTCSessionDescriptionInit);
    } catch (error) {
      // Closed while negotiating (the microphone went off at once): nothing to undo.
      if (this.out.signalingState !== 'closed') console.warn(`[voice] echo loopback: ${String(error)}`);
    }
  }
}
