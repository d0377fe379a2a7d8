/**
 * Voice in a room (docs/voice.md): mesh voice over RTCPeerConnections of its
 * own, signalled on the room server's `/signal` (VOICE2), each other person's
 * voice placed at their avatar's head every frame (VOICE10). Plain
 * TypeScript; React only subscribes to `state` and calls the methods below.
 *
 * @example
 *   const voice = new VoiceChat({ roomId, selfId, signalingUrl, iceServers });
 *   button.onclick = () => voice.enableMic();          // a gesture (VOICE1)
 *   voice.setPresent(peers);                           // whenever presence changes
 *   voice.frame(channel, listenerPosition, listenerRotation, now); // room.frame() step 9
 */
import type { PeerId, RoomId } from '../core/ids.ts';
import { createStore, type Store } from '../core/store.ts';
import type { PoseChannel } from '../pose/channel.ts';
import { PART_HEAD } from '../pose/wire/protocol.ts';
import type { QuatLike, Vec3Like } from '../pose/wire/quantize.ts';
import { echoLoopbackWanted, VoiceOutput, type VoiceOutputInspection } from './echo-loopback.ts';
import type { VoiceMessage } from './messages.ts';
import { NEAREST_SPEAKERS } from './nearest-limit.ts';
import { SpeakerSelection } from './nearest-speakers.ts';
import { NO_OWNER_MUTES, type OwnerMutes, sameOwnerMutes } from './owner-mute.ts';
import { placeListener, placeSource } from './placement.ts';
import { RemoteVoice } from './remote-voice.ts';
import {
  DEFAULT_VOICE_SPATIAL,
  panningModelFor,
  type VoiceDistanceModel,
  type VoiceSpatialSettings,
} from './spatial-settings.ts';
import { rms, SpeakingDetector } from './speaking.ts';
import { VoiceFrames } from './voice-frames.ts';
import { type VoiceConnectionState, VoicePeer } from './voice-peer.ts';
import { VoiceSignaling } from './voice-signaling.ts';
import { microphoneGoesOut, startingVoiceState, type VoicePeerView, type VoiceState } from './voice-state.ts';

/** Most voice connections one page keeps (VOICE6): more hellos and offers are refused. */
const VOICE_MAX_PEERS = 32;
/** An offering side that failed to connect tries again this often, this long apart. */
const RETRIES = 3;
const RETRY_MS = 2_000;

/** VOICE3: what the microphone is asked for. */
const MIC_CONSTRAINTS: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: false,
};

export interface VoiceOptions {
  roomId: RoomId;
  selfId: PeerId;
  signalingUrl: string;
  iceServers: RTCIceServer[];
  /** Set where voice must not run; voice then says this reason (e.g. WebRTC switched off). */
  unavailable?: string;
  /** VOICE15: the room password; voice signaling is then sealed with it. */
  password?: string;
  /** VOICE16: use the echo loopback while the microphone is on; default: the rule (`echoLoopbackWanted`). */
  echoLoopback?: boolean;
  /** VOICE14: how many open microphones a listener hears at most, the nearest (default NEAREST_SPEAKERS). */
  nearestSpeakers?: number;
}

export interface RemoteVoiceInspection {
  peerId: PeerId;
  connection: VoiceConnectionState;
  peerConnectionState: RTCPeerConnectionState;
  hasAudio: boolean;
  speaking: boolean;
  level: number;
  volume: number;
  /** VOICE17: the owner muted them for everyone; their voice plays here at volume 0. */
  mutedByOwner: boolean;
  panner?: {
    position: [number, number, number];
    orientation: [number, number, number];
    panningModel: PanningModelType;
    distanceModel: DistanceModelType;
    refDistance: number;
    rolloffFactor: number;
    maxDistance: number;
  };
}

/** The voice as tests and benchmarks see it (room.inspect().voice). */
export interface VoiceInspection {
  state(): VoiceState;
  selfId: PeerId;
  audioContextState(): AudioContextState | 'none';
  listener(): [number, number, number];
  voices(): RemoteVoiceInspection[];
  /** What one voice adds to my left and right ear now (RMS), undefined before their audio arrives. */
  outputLevels(peerId: PeerId): [number, number] | undefined;
  inboundAudio(peerId: PeerId): Promise<{ bytesReceived: number; packetsReceived: number; codec: string } | undefined>;
  /** Frames from others that were malformed or unusable, and the latest reason. */
  refused(): { count: number; last?: string };
  /** VOICE16: where voices play, and the echo loopback when it is in place. */
  output(): VoiceOutputInspection;
  /** VOICE14: others' open microphones, the ones I hear, and who asked whom not to send. */
  nearest(): { limit: number; openMics: PeerId[]; heard: PeerId[]; askedOff: PeerId[]; offFor: PeerId[] };
  spatial(): VoiceSpatialSettings;
  /**
   * For benchmarks that record inside the page (voice.mouth_to_ear_ms): the audio context, my
   * microphone's node while it is on, and each voice's panner; undefined where voice is unavailable.
   */
  taps(): VoiceTaps | undefined;
}

export interface VoiceTaps {
  context: AudioContext;
  microphone(): AudioNode | undefined;
  voice(peerId: PeerId): AudioNode | undefined;
}

interface Connection {
  peer: VoicePeer;
  voice?: RemoteVoice;
  retries: number;
}

const headPosition = { x: 0, y: 0, z: 0 };
const headRotation = { x: 0, y: 0, z: 0, w: 1 };

export class VoiceChat {
  readonly state: Store<VoiceState>;
  readonly selfId: PeerId;
  private readonly topic: string;
  private readonly frames: VoiceFrames;
  private readonly signaling: VoiceSignaling | undefined;
  private readonly context: AudioContext | undefined;
  private readonly output: VoiceOutput | undefined;
  /** VOICE16: this browser needs the echo loopback while the microphone is on. */
  private readonly echoLoopback: boolean;
  private readonly connections = new Map<PeerId, Connection>();
  private readonly heard = new Set<PeerId>();
  private readonly pendingOffers = new Map<PeerId, VoiceMessage>();
  private readonly volumes = new Map<PeerId, number>();
  private readonly selection: SpeakerSelection;
  /** What the others were last told about my microphone (VOICE14). */
  private micAnnounced = false;
  private present = new Set<PeerId>();
  private ownerMutes: OwnerMutes = NO_OWNER_MUTES;
  /** The pose channel of the frame being run (VOICE14's choice reads heads from it). */
  private channel: PoseChannel | undefined;
  private spatial: VoiceSpatialSettings = { ...DEFAULT_VOICE_SPATIAL };
  private panningModel: PanningModelType = 'equalpower';
  private mic: MediaStream | undefined;
  private micSource: MediaStreamAudioSourceNode | undefined;
  private micAnalyser: AnalyserNode | undefined;
  private micSamples: Float32Array<ArrayBuffer> | undefined;
  private readonly ownSpeaking = new SpeakingDetector();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private refusedCount = 0;
  private lastRefused: string | undefined;
  private destroyed = false;

  constructor(private readonly options: VoiceOptions) {
    this.selfId = options.selfId;
    this.selection = new SpeakerSelection(options.selfId, options.nearestSpeakers ?? NEAREST_SPEAKERS);
    this.topic = `holoroom-voice:${options.roomId}`;
    this.frames = new VoiceFrames(this.topic, options.selfId, options.password);
    const reason =
      options.unavailable ??
      (typeof RTCPeerConnection === 'undefined' || typeof AudioContext === 'undefined'
        ? 'this browser has no WebRTC or Web Audio'
        : undefined);
    this.state = createStore<VoiceState>(startingVoiceState(reason));
    this.echoLoopback = options.echoLoopback ?? (typeof navigator !== 'undefined' && echoLoopbackWanted(navigator));
    if (reason !== undefined) return;
    this.context = new AudioContext({ latencyHint: 'interactive' });
    this.output = new VoiceOutput(this.context);
    this.signaling = new VoiceSignaling({
      url: options.signalingUrl,
      topic: this.topic,
      onOpen: () => this.sayHello(),
      onFrame: (data) => this.onFrame(data),
    });
  }

  /** VOICE1: turns the microphone on; call it from a click or a key press (browsers require a gesture). */
  async enableMic(): Promise<void> {
    const current = this.state.get();
    if (!current.available || current.mic === 'on' || current.mic === 'starting') return;
    this.resumeAudio();
    this.patch({ mic: 'starting' });
    let stream: MediaStream;
    try {
      if (!navigator.mediaDevices?.getUserMedia)
        throw new Error('this page cannot use a microphone (not a secure origin?)');
      stream = await navigator.mediaDevices.getUserMedia(MIC_CONSTRAINTS);
    } catch (error) {
      const denied = error instanceof DOMException && error.name === 'NotAllowedError';
      this.patch({
        mic: denied ? 'denied' : 'unavailable',
        micError: denied ? 'The microphone was not allowed.' : `No microphone: ${String(error)}`,
      });
      return;
    }
    if (this.destroyed) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    this.mic = stream;
    const track = stream.getAudioTracks()[0];
    // VOICE12: the device went away (unplugged, taken by another app): say so instead of sending silence.
    track?.addEventListener('ended', () => {
      if (this.mic !== stream) return;
      this.stopMic();
      this.patch({ mic: 'unavailable', micError: 'The microphone stopped (unplugged or taken by another app).' });
      this.applyTransmit();
    });
    if (this.context) {
      this.micSource = this.context.createMediaStreamSource(stream);
      this.micAnalyser = this.context.createAnalyser();
      this.micAnalyser.fftSize = 512;
      this.micSamples = new Float32Array(this.micAnalyser.fftSize);
      this.micSource.connect(this.micAnalyser);
    }
    this.patch({ mic: 'on', micError: undefined });
    this.applyTransmit();
  }

  /** Turns the microphone off entirely (the browser's recording indicator goes out). */
  disableMic(): void {
    this.stopMic();
    this.patch({ mic: 'off' });
    this.applyTransmit();
  }

  setMuted(muted: boolean): void {
    this.patch({ muted });
    this.applyTransmit();
  }

  /** Push-to-talk mode: the microphone goes out only while `setTalking(true)`. */
  setPushToTalk(pushToTalk: boolean): void {
    this.patch({ pushToTalk, talking: false });
    this.applyTransmit();
  }

  setTalking(talking: boolean): void {
    if (this.state.get().talking === talking) return;
    this.patch({ talking });
    this.applyTransmit();
  }

  /** VOICE4: my volume for one person, 0..1 (0 mutes them for me only); kept while the room is open. */
  setVolume(peerId: PeerId, volume: number): void {
    const v = Number.isFinite(volume) ? Math.min(1, Math.max(0, volume)) : 1;
    this.volumes.set(peerId, v);
    this.connections.get(peerId)?.voice?.setVolume(v);
    this.publishPeers();
  }

  /**
   * VOICE17: the owner's mutes for everyone (from `ownerMutes`): when this
   * page is muted nothing of its microphone goes out whatever its buttons
   * say, and once unmuted it stays muted by its own button until the person
   * unmutes; a muted peer's voice plays at volume 0 here, on this connection
   * and on any later one.
   */
  setOwnerMutes(mutes: OwnerMutes): void {
    if (sameOwnerMutes(mutes, this.ownerMutes)) return;
    this.ownerMutes = mutes;
    for (const [peerId, connection] of this.connections) connection.voice?.setMutedByOwner(mutes.peers.has(peerId));
    if (mutes.self !== this.state.get().mutedByOwner) {
      // Unmuted by the owner, the person is still muted by their own button: they choose when to speak again.
      this.patch(mutes.self ? { mutedByOwner: true, muted: true } : { mutedByOwner: false });
      this.applyTransmit();
    }
    this.publishPeers();
  }

  /** VOICE7: audio contexts start suspended without a gesture and are suspended entering XR: resume on each. */
  resumeAudio(): void {
    if (this.context && this.context.state !== 'running' && this.context.state !== 'closed') {
      this.context.resume().catch(() => {});
    }
    for (const connection of this.connections.values()) connection.voice?.replay();
    this.output?.replay();
  }

  /** The scene's voice range (ENV8 over VOICE8). */
  setSpatial(settings: VoiceSpatialSettings): void {
    this.spatial = settings;
    for (const connection of this.connections.values()) connection.voice?.applySettings(settings);
  }

  /** Who is in the room (presence): voice connects only to them. */
  setPresent(peers: Iterable<PeerId>): void {
    this.present = new Set(peers);
    for (const peerId of [...this.connections.keys()]) if (!this.present.has(peerId)) this.closeConnection(peerId);
    for (const peerId of this.heard) this.ensureConnection(peerId);
    for (const [peerId, offer] of [...this.pendingOffers]) {
      if (!this.present.has(peerId)) continue;
      this.pendingOffers.delete(peerId);
      this.route(offer);
    }
  }

  /**
   * ROOM1 step 9 (VOICE10, VOICE14): each voice at its speaker's head as the pose
   * channel has it at this frame's render time, the listener at the camera;
   * speaking indicators from this frame's levels; every 250 ms the choice of
   * the nearest speakers (a few small arrays, only then). Otherwise allocates
   * nothing unless an indicator changed.
   */
  frame(channel: PoseChannel, listenerPosition: Vec3Like, listenerRotation: QuatLike, now: number): void {
    if (!this.context) return;
    this.channel = channel;
    let changed = false;
    if (this.connections.size > 0) {
      placeListener(this.context.listener, listenerPosition, listenerRotation);
      for (const [peerId, connection] of this.connections) {
        const voice = connection.voice;
        if (!voice) continue;
        if (channel.sampleAvatarPart(peerId, PART_HEAD, headPosition, headRotation) !== 'empty') {
          placeSource(voice.panner, headPosition, headRotation);
        }
        if (voice.measure(now)) changed = true;
      }
    }
    // VOICE14: with many open microphones, hear only the nearest.
    for (const message of this.selection.choose(now, listenerPosition, this.present, this.headOf)) {
      this.send(message);
      changed = true;
    }
    const state = this.state.get();
    if (this.micAnalyser && this.micSamples && state.transmitting) {
      this.micAnalyser.getFloatTimeDomainData(this.micSamples);
      if (this.ownSpeaking.update(rms(this.micSamples), now)) this.patch({ speaking: this.ownSpeaking.speaking });
    } else if (this.ownSpeaking.reset()) this.patch({ speaking: false });
    if (changed) this.publishPeers();
  }

  inspect(): VoiceInspection {
    return {
      selfId: this.selfId,
      state: () => this.state.get(),
      audioContextState: () => this.context?.state ?? 'none',
      listener: () => {
        const l = this.context?.listener;
        return l ? [l.positionX.value, l.positionY.value, l.positionZ.value] : [0, 0, 0];
      },
      voices: () =>
        [...this.connections].map(([peerId, { peer, voice }]) => ({
          peerId,
          connection: peer.state,
          peerConnectionState: peer.pc.connectionState,
          hasAudio: voice !== undefined,
          speaking: voice?.detector.speaking ?? false,
          level: voice?.detector.level ?? 0,
          volume: this.volumes.get(peerId) ?? 1,
          mutedByOwner: this.ownerMutes.peers.has(peerId),
          ...(voice
            ? {
                panner: {
                  position: [voice.panner.positionX.value, voice.panner.positionY.value, voice.panner.positionZ.value],
                  orientation: [
                    voice.panner.orientationX.value,
                    voice.panner.orientationY.value,
                    voice.panner.orientationZ.value,
                  ],
                  panningModel: voice.panner.panningModel,
                  distanceModel: voice.panner.distanceModel as VoiceDistanceModel,
                  refDistance: voice.panner.refDistance,
                  rolloffFactor: voice.panner.rolloffFactor,
                  maxDistance: voice.panner.maxDistance,
                },
              }
            : {}),
        })),
      outputLevels: (peerId) => this.connections.get(peerId)?.voice?.outputLevels(),
      inboundAudio: async (peerId) => this.connections.get(peerId)?.peer.inboundAudio(),
      refused: () => ({ count: this.refusedCount, ...(this.lastRefused ? { last: this.lastRefused } : {}) }),
      output: () => this.output?.inspect() ?? { mode: 'direct', connections: [], arrivingLevel: 0 },
      nearest: () => ({ limit: this.selection.limit, ...this.selection.view() }),
      spatial: () => ({ ...this.spatial }),
      taps: () => {
        const context = this.context;
        if (!context) return undefined;
        return {
          context,
          microphone: () => this.micSource,
          voice: (peerId) => this.connections.get(peerId)?.voice?.panner,
        };
      },
    };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.send({ kind: 'bye', from: this.selfId });
    this.destroyed = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const peerId of [...this.connections.keys()]) this.closeConnection(peerId);
    this.stopMic();
    this.output?.close();
    // The bye goes out first (sealing it may take a moment in a password room).
    void this.frames.flushed().then(() => this.signaling?.close());
    this.context?.close().catch(() => {});
  }

  private send(message: VoiceMessage): void {
    const signaling = this.signaling;
    if (!this.destroyed && signaling) this.frames.write(message, (frame) => signaling.send(frame));
  }

  private refuse(reason: string): void {
    this.refusedCount++;
    this.lastRefused = reason;
  }

  private onFrame(data: unknown): void {
    this.frames.read(data, (read) => {
      if (this.destroyed) return;
      if (!read.ok) {
        if (!read.ignored) this.refuse(read.reason);
        return;
      }
      this.route(read.message);
    });
  }

  private route(message: VoiceMessage): void {
    const from = message.from;
    if (this.selection.receive(message)) this.connections.get(from)?.peer.setTrack(this.outgoingTrack(from));
    switch (message.kind) {
      case 'mic':
        this.publishPeers();
        return;
      case 'listen':
        return;
      case 'hello':
        if (!this.heard.has(from) && this.heard.size >= VOICE_MAX_PEERS * 2) {
          this.refuse('too many peers');
          return;
        }
        this.heard.add(from);
        if (message.to === undefined) {
          this.send({ kind: 'hello', from: this.selfId, to: from });
          if (this.micAnnounced) this.send({ kind: 'mic', from: this.selfId, to: from, open: true });
        }
        // A hello from someone already connected means they started again: connect afresh.
        if (message.to === undefined && this.connections.get(from)?.peer.state === 'failed') this.closeConnection(from);
        this.ensureConnection(from);
        return;
      case 'bye':
        this.heard.delete(from);
        this.pendingOffers.delete(from);
        this.closeConnection(from);
        return;
      case 'offer': {
        if (from > this.selfId) {
          this.refuse('an offer from the answering side');
          return;
        }
        if (!this.present.has(from)) {
          if (this.pendingOffers.size < VOICE_MAX_PEERS || this.pendingOffers.has(from)) {
            this.pendingOffers.set(from, message);
          } else this.refuse('too many pending offers');
          return;
        }
        this.heard.add(from);
        // A second offer: the other side started its connection again.
        if (this.connections.get(from)?.peer.pc.remoteDescription) this.closeConnection(from);
        this.ensureConnection(from)?.peer.handle(message);
        return;
      }
      case 'answer':
      case 'ice': {
        const connection = this.connections.get(from);
        if (!connection) {
          this.refuse(`${message.kind} without a connection`);
          return;
        }
        void connection.peer.handle(message);
        return;
      }
    }
  }

  private ensureConnection(peerId: PeerId): Connection | undefined {
    const existing = this.connections.get(peerId);
    if (existing) return existing;
    if (this.destroyed || !this.present.has(peerId) || !this.heard.has(peerId)) return undefined;
    if (this.connections.size >= VOICE_MAX_PEERS) {
      this.refuse('too many voice connections');
      return undefined;
    }
    return this.connect(peerId, 0);
  }

  private connect(peerId: PeerId, retries: number): Connection {
    const connection: Connection = {
      retries,
      peer: new VoicePeer(this.selfId, peerId, this.options.iceServers, {
        send: (message) => this.send(message),
        onTrack: (stream) => this.attachVoice(connection, stream),
        onState: (state) => this.onConnectionState(peerId, connection, state),
        onRefused: (reason) => this.refuse(reason),
      }),
    };
    connection.peer.setTrack(this.outgoingTrack(peerId));
    this.connections.set(peerId, connection);
    this.publishPeers();
    return connection;
  }

  private onConnectionState(peerId: PeerId, connection: Connection, state: VoiceConnectionState): void {
    if (this.connections.get(peerId) !== connection) return;
    this.publishPeers();
    // VOICE13: the offering side tries again a few times, then the person is shown as unreachable for voice.
    if (state === 'failed' && connection.peer.offerer && connection.retries < RETRIES) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.connections.get(peerId) !== connection) return;
        this.closeConnection(peerId);
        if (this.present.has(peerId) && this.heard.has(peerId)) this.connect(peerId, connection.retries + 1);
      }, RETRY_MS);
      this.timers.add(timer);
    }
  }

  private attachVoice(connection: Connection, stream: MediaStream): void {
    if (!this.context || !this.output || connection.voice) return;
    const voice = new RemoteVoice(this.context, stream, this.spatial, this.panningModel, this.output.input);
    voice.setVolume(this.volumes.get(connection.peer.peerId) ?? 1);
    voice.setMutedByOwner(this.ownerMutes.peers.has(connection.peer.peerId));
    connection.voice = voice;
    this.updatePanningModel();
    this.publishPeers();
  }

  private closeConnection(peerId: PeerId): void {
    const connection = this.connections.get(peerId);
    if (!connection) return;
    this.connections.delete(peerId);
    connection.voice?.dispose();
    connection.peer.close();
    this.updatePanningModel();
    this.publishPeers();
  }

  /** VOICE9, applied whenever the number of voices changes. */
  private updatePanningModel(): void {
    let voices = 0;
    for (const connection of this.connections.values()) if (connection.voice) voices++;
    const model = panningModelFor(voices, typeof navigator === 'undefined' ? undefined : navigator.hardwareConcurrency);
    if (model === this.panningModel) return;
    this.panningModel = model;
    for (const connection of this.connections.values())
      if (connection.voice) connection.voice.panner.panningModel = model;
  }

  /** My microphone for `listener`: while it goes out at all, and unless they asked not to hear me (VOICE14). */
  private outgoingTrack(listener: PeerId): MediaStreamTrack | null {
    if (!this.state.get().transmitting || !this.selection.sendsTo(listener)) return null;
    return this.mic?.getAudioTracks()[0] ?? null;
  }

  /** My socket is open (again): hello to everyone, and my open microphone, from a fresh start (VOICE14). */
  private sayHello(): void {
    this.selection.restart();
    this.send({ kind: 'hello', from: this.selfId });
    if (this.micAnnounced) this.send({ kind: 'mic', from: this.selfId, open: true });
  }

  private readonly headOf = (peerId: PeerId, into: Vec3Like): boolean =>
    this.channel !== undefined && this.channel.sampleAvatarPart(peerId, PART_HEAD, into, headRotation) !== 'empty';

  /** VOICE1, VOICE3, VOICE17: the microphone goes out only as `microphoneGoesOut` says. */
  private applyTransmit(): void {
    const s = this.state.get();
    const { transmitting, open } = microphoneGoesOut(s, this.mic !== undefined);
    if (transmitting !== s.transmitting) this.patch({ transmitting });
    // VOICE16: echo only matters while my microphone is on; then voices play through the loopback.
    this.output?.setLoopback(s.mic === 'on' && this.mic !== undefined && this.echoLoopback);
    const track = this.mic?.getAudioTracks()[0];
    if (track) track.enabled = transmitting;
    // Muted means nothing is sent at all (no comfort noise): the sender has no track.
    for (const [peerId, connection] of this.connections) connection.peer.setTrack(this.outgoingTrack(peerId));
    if (open !== this.micAnnounced) {
      this.micAnnounced = open;
      this.send({ kind: 'mic', from: this.selfId, open });
    }
  }

  private stopMic(): void {
    this.micSource?.disconnect();
    this.micSource = undefined;
    this.micAnalyser = undefined;
    for (const track of this.mic?.getTracks() ?? []) track.stop();
    this.mic = undefined;
  }

  private publishPeers(): void {
    const peers: VoicePeerView[] = [];
    for (const [peerId, { peer, voice }] of this.connections) {
      peers.push({
        peerId,
        connection: peer.state,
        hasAudio: voice !== undefined,
        speaking: voice?.detector.speaking ?? false,
        volume: this.volumes.get(peerId) ?? 1,
        leftOut: this.selection.leftOut(peerId),
      });
    }
    this.patch({ peers });
  }

  private patch(change: Partial<VoiceState>): void {
    const next = { ...this.state.get(), ...change };
    if (change.micError === undefined && 'micError' in change) delete next.micError;
    this.state.set(next);
  }
}
