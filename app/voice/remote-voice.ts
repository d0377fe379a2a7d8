/**
 * One other person's voice as this page plays it (docs/voice.md, "Audio
 * graph"):
 *
 *   remote MediaStream ──▶ muted <audio> element   (VOICE11: without it Chrome feeds WebAudio silence)
 *          └──▶ MediaStreamAudioSourceNode ──▶ AnalyserNode (speaking, VOICE5)
 *                        └──▶ GainNode (my volume for this person, VOICE4; 0 while the owner mutes them, VOICE17) ──▶ PannerNode (VOICE8-VOICE10) ──▶ output (VOICE16)
 *                                                                                          └──▶ splitter ──▶ 2 AnalyserNodes
 *
 * The last two measure what this voice adds to each ear, read only when asked
 * (`outputLevels`: tests, benchmarks), never per frame.
 *
 * Browser only; the per-frame work (placement, level) allocates nothing.
 */
import { playbackGain } from './owner-mute.ts';
import type { VoiceSpatialSettings } from './spatial-settings.ts';
import { rms, SpeakingDetector } from './speaking.ts';

export class RemoteVoice {
  readonly panner: PannerNode;
  readonly detector = new SpeakingDetector();
  private readonly element: HTMLAudioElement;
  private readonly source: MediaStreamAudioSourceNode;
  private readonly analyser: AnalyserNode;
  private readonly gain: GainNode;
  private readonly samples: Float32Array<ArrayBuffer>;
  private readonly ears: [AnalyserNode, AnalyserNode];
  /** This listener's volume for this person, 0..1 (0 = muted locally). */
  volume = 1;
  /** VOICE17: the owner muted this person for everyone: nothing of them plays, and they are not shown speaking. */
  mutedByOwner = false;

  constructor(
    context: AudioContext,
    readonly stream: MediaStream,
    settings: VoiceSpatialSettings,
    panningModel: PanningModelType,
    /** Where voices play: the speakers, or the echo loopback's bus (echo-loopback.ts). */
    output: AudioNode,
  ) {
    // VOICE11: a remote stream reaches WebAudio only while a media element plays it too; muted, so it is heard once.
    this.element = new Audio();
    this.element.muted = true;
    this.element.srcObject = stream;
    this.element.play().catch(() => {
      // Autoplay refused: the muted element plays after the next gesture (VoiceChat.resumeAudio).
    });
    this.source = context.createMediaStreamSource(stream);
    this.analyser = context.createAnalyser();
    this.analyser.fftSize = 512;
    this.samples = new Float32Array(this.analyser.fftSize);
    this.gain = context.createGain();
    this.panner = context.createPanner();
    this.panner.panningModel = panningModel;
    this.applySettings(settings);
    this.source.connect(this.analyser);
    this.source.connect(this.gain).connect(this.panner).connect(output);
    const splitter = context.createChannelSplitter(2);
    this.panner.connect(splitter);
    this.ears = [context.createAnalyser(), context.createAnalyser()];
    this.ears.forEach((ear, i) => {
      ear.fftSize = 2048;
      splitter.connect(ear, i);
    });
  }

  /** RMS this voice adds to the left and the right ear now. Allocates: not for the frame. */
  outputLevels(): [number, number] {
    const buffer = new Float32Array(2048);
    const [left, right] = this.ears.map((ear) => {
      ear.getFloatTimeDomainData(buffer);
      return rms(buffer);
    });
    return [left ?? 0, right ?? 0];
  }

  applySettings(settings: VoiceSpatialSettings): void {
    const p = this.panner;
    p.distanceModel = settings.distanceModel;
    p.refDistance = settings.refDistance;
    p.rolloffFactor = settings.rolloffFactor;
    p.maxDistance = settings.maxDistance;
    p.coneInnerAngle = settings.coneInnerAngle;
    p.coneOuterAngle = settings.coneOuterAngle;
    p.coneOuterGain = settings.coneOuterGain;
  }

  setVolume(volume: number): void {
    this.volume = volume;
    this.gain.gain.value = playbackGain(volume, this.mutedByOwner);
  }

  setMutedByOwner(muted: boolean): void {
    this.mutedByOwner = muted;
    this.gain.gain.value = playbackGain(this.volume, muted);
  }

  /** Reads the level; returns true when the speaking indicator changed. */
  measure(now: number): boolean {
    if (this.mutedByOwner) return this.detector.update(0, now);
    this.analyser.getFloatTimeDomainData(this.samples);
    return this.detector.update(rms(this.samples), now);
  }

  /** Resumes the muted element after autoplay refused it. */
  replay(): void {
    if (this.element.paused) this.element.play().catch(() => {});
  }

  dispose(): void {
    this.source.disconnect();
    this.gain.disconnect();
    this.panner.disconnect();
    this.element.srcObject = null;
  }
}
