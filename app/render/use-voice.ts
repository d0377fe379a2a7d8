import { createStore } from '../core/store.ts';
import type { Room } from '../room/open-room.ts';
import { startingVoiceState, type VoiceState } from '../voice/voice-chat.ts';
import { useStore } from './use-store.ts';

const NO_VOICE = createStore<VoiceState>(startingVoiceState('No voice on this page.'));

/** The room's voice state, or a fixed "no voice" state for rooms without voice. */
export function useVoiceState(room: Room): VoiceState {
  return useStore(room.voice?.state ?? NO_VOICE);
}
