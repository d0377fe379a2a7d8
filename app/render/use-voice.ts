import { createStore } from '../core/store.ts';
import type { Room } from '../room/open-room.ts';
import type { VoiceChat } from '../voice/voice-chat.ts';
import { startingVoiceState, type VoiceState } from '../voice/voice-state.ts';
import { useStore } from './use-store.ts';

/** Before voice's code has loaded (LOAD9), and on pages without voice. */
const NO_VOICE_YET = createStore<VoiceState>(startingVoiceState('Voice is not ready yet.'));

/** The room's voice chat once its code has loaded (LOAD9); undefined before that. */
export function useVoiceChat(room: Room): VoiceChat | undefined {
  return useStore(room.voice);
}

/** The room's voice state, or a fixed "not ready" state until voice has loaded. */
export function useVoiceState(room: Room): VoiceState {
  return useStore(useVoiceChat(room)?.state ?? NO_VOICE_YET);
}
