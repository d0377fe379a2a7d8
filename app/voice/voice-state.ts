/**
 * What voice shows a person (docs/voice.md): the microphone, mute, push-to-talk
 * and each other person's voice. Apart from `voice-chat.ts` because the room's
 * panels draw it before voice's own code has loaded (docs/performance.md LOAD9).
 */
import type { PeerId } from '../core/ids.ts';
import type { VoiceConnectionState } from './voice-peer.ts';

export type MicState = 'off' | 'starting' | 'on' | 'denied' | 'unavailable';

export interface VoicePeerView {
  peerId: PeerId;
  connection: VoiceConnectionState;
  /** Their audio arrived (a track is playing here). */
  hasAudio: boolean;
  speaking: boolean;
  /** My volume for them, 0..1; 0 is muted for me only (VOICE4). */
  volume: number;
  /** Their microphone is open but nearer speakers fill my limit, so they do not send to me (VOICE14). */
  leftOut: boolean;
}

export interface VoiceState {
  /** False where voice cannot work at all; `reason` says why. */
  available: boolean;
  reason?: string;
  mic: MicState;
  micError?: string;
  muted: boolean;
  /** VOICE17: the room's owner muted this person for everyone; only the owner can undo it. */
  mutedByOwner: boolean;
  pushToTalk: boolean;
  /** The push-to-talk key is held. */
  talking: boolean;
  /** My microphone is going out to the others now. */
  transmitting: boolean;
  speaking: boolean;
  peers: readonly VoicePeerView[];
}

/** Voice before anything happened: nobody heard, the microphone off; unavailable when `reason` says why. */
export function startingVoiceState(reason: string | undefined): VoiceState {
  return {
    available: reason === undefined,
    ...(reason !== undefined ? { reason } : {}),
    mic: 'off',
    muted: false,
    mutedByOwner: false,
    pushToTalk: false,
    talking: false,
    transmitting: false,
    speaking: false,
    peers: [],
  };
}

/**
 * VOICE1, VOICE3: the microphone goes out (`transmitting`) only when on, not
 * muted, not muted by the owner (VOICE17) and, in push-to-talk, while the key
 * is held; VOICE14: it counts as open (others may ask for it) when it would go
 * out but for the push-to-talk key.
 */
export function microphoneGoesOut(
  state: Pick<VoiceState, 'mic' | 'muted' | 'mutedByOwner' | 'pushToTalk' | 'talking'>,
  hasMicrophone: boolean,
): { transmitting: boolean; open: boolean } {
  const open = state.mic === 'on' && !state.muted && !state.mutedByOwner && hasMicrophone;
  return { transmitting: open && (!state.pushToTalk || state.talking), open };
}
