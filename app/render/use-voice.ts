import { createStore } from '../core/store.ts';
import type { Room } from '../room/open-room.ts';
import type { VoiceChat } from '../voice/voice-chat.ts';
import { startingVoiceState, type VoiceState } from '../voice/voice-state.ts';
import { useStore } from './use-store.ts';

/**
 * Before voice's code has loaded (LOAD9): voice as it starts, the microphone off, so the
 * panels look as they will; the microphone button loads voice first (`room.loadVoice()`).
 */
const NOT_LOADED = createStore<VoiceState>(startingVoiceState(undefined));

/** The room's voice chat once its code has loaded (LOAD9); undefined before that. */
export function useVoiceChat(room: Room): VoiceChat | undefined {
  return useStore(room.voice);
}

/** The room's voice state, or voice's starting state until it has loaded. */
export function useVoiceState(room: Room): VoiceState {
  return useStore(useVoiceChat(room)?.state ?? NOT_LOADED);
}
