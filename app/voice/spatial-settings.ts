/**
 * How far voices carry (docs/voice.md VOICE8, VOICE9): the defaults people
 * find comfortable, the scene's `environment` overrides (ENV8), and the rule
 * that picks the panning model a device can afford.
 *
 * @example
 *   const settings = voiceSpatialSettings(view.model?.environment.voice);
 *   panner.refDistance = settings.refDistance;
 *   panner.panningModel = panningModelFor(voices, navigator.hardwareConcurrency);
 */
import type { VoiceEnvironment } from '../scene/model/scene-model.ts';

export type VoiceDistanceModel = 'inverse' | 'linear' | 'exponential';

export interface VoiceSpatialSettings {
  distanceModel: VoiceDistanceModel;
  /** Metres within which a voice is at full volume. */
  refDistance: number;
  /** How fast a voice fades beyond `refDistance`. */
  rolloffFactor: number;
  /** Metres beyond which a voice fades no further (the linear model reaches silence there). */
  maxDistance: number;
  /** Cone of a speaking head: full volume within the inner angle, `coneOuterGain` behind. */
  coneInnerAngle: number;
  coneOuterAngle: number;
  coneOuterGain: number;
}

/**
 * VOICE8: the inverse model with reference distance and rolloff 5 (what the
 * Hubs project settled on after people said voices faded too fast), and a
 * wide head cone so a voice from behind someone is only a little quieter.
 */
export const DEFAULT_VOICE_SPATIAL: Readonly<VoiceSpatialSettings> = Object.freeze({
  distanceModel: 'inverse',
  refDistance: 5,
  rolloffFactor: 5,
  maxDistance: 10_000,
  coneInnerAngle: 180,
  coneOuterAngle: 360,
  coneOuterGain: 0.9,
});

/** The settings for a scene: its `environment` overrides (already range-checked by the model), else the defaults. */
export function voiceSpatialSettings(environment: VoiceEnvironment | undefined): VoiceSpatialSettings {
  const settings = { ...DEFAULT_VOICE_SPATIAL };
  if (!environment) return settings;
  if (environment.distanceModel !== undefined) settings.distanceModel = environment.distanceModel;
  if (environment.refDistance !== undefined) settings.refDistance = environment.refDistance;
  if (environment.rolloffFactor !== undefined) settings.rolloffFactor = environment.rolloffFactor;
  if (environment.maxDistance !== undefined) settings.maxDistance = environment.maxDistance;
  // The linear model needs maxDistance > refDistance, and WebAudio throws otherwise.
  if (settings.maxDistance <= settings.refDistance) settings.maxDistance = settings.refDistance + 1;
  return settings;
}

/** HRTF for at most this many voices at once (VOICE9). */
export const HRTF_MAX_VOICES = 6;
/** ... and only on a device with at least this many logical cores. */
export const HRTF_MIN_CORES = 4;

/**
 * VOICE9: HRTF (convolution per voice, the better sense of direction) while
 * the device has `HRTF_MIN_CORES` cores and there are at most
 * `HRTF_MAX_VOICES` voices; equal-power panning (a gain pair per voice)
 * otherwise. An unknown core count counts as a small device.
 */
export function panningModelFor(voices: number, hardwareConcurrency: number | undefined): 'HRTF' | 'equalpower' {
  const cores = hardwareConcurrency ?? 0;
  return cores >= HRTF_MIN_CORES && voices <= HRTF_MAX_VOICES ? 'HRTF' : 'equalpower';
}

/**
 * The gain the distance model gives at `distance` metres (the Web Audio
 * specification's formulas), for tests, the docs' table and the people list.
 */
export function distanceGain(settings: VoiceSpatialSettings, distance: number): number {
  const { refDistance: ref, rolloffFactor: rolloff, maxDistance: max } = settings;
  switch (settings.distanceModel) {
    case 'linear': {
      const d = Math.min(Math.max(distance, ref), max);
      return 1 - (Math.min(rolloff, 1) * (d - ref)) / (max - ref);
    }
    case 'exponential':
      return (Math.max(distance, ref) / ref) ** -rolloff;
    default:
      return ref / (ref + rolloff * (Math.max(distance, ref) - ref));
  }
}
