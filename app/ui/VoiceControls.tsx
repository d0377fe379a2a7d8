import { useEffect } from 'react';
import { takesTyping } from '../core/typing-target.ts';
import { useVoiceChat, useVoiceState } from '../render/use-voice.ts';
import type { Room } from '../room/open-room.ts';
import type { VoiceChat } from '../voice/voice-chat.ts';

/** The push-to-talk key (held), when push-to-talk is on. */
const PUSH_TO_TALK_KEY = 'KeyT';

/** Resumes audio on every gesture (VOICE7) and drives push-to-talk from the keyboard. */
function useVoiceGestures(voice: VoiceChat | undefined): void {
  useEffect(() => {
    if (!voice) return;
    const onGesture = () => voice.resumeAudio();
    const onKey = (event: KeyboardEvent) => {
      if (event.code !== PUSH_TO_TALK_KEY || takesTyping(event.target) || !voice.state.get().pushToTalk) return;
      voice.setTalking(event.type === 'keydown');
    };
    addEventListener('pointerdown', onGesture);
    addEventListener('keydown', onGesture);
    addEventListener('keydown', onKey);
    addEventListener('keyup', onKey);
    return () => {
      removeEventListener('pointerdown', onGesture);
      removeEventListener('keydown', onGesture);
      removeEventListener('keydown', onKey);
      removeEventListener('keyup', onKey);
    };
  }, [voice]);
}

/** My microphone: turn it on (a gesture, VOICE1), mute, push-to-talk. */
export function VoiceControls({ room }: { room: Room }) {
  const voice = useVoiceChat(room);
  const state = useVoiceState(room);
  useVoiceGestures(voice);
  if (!state.available) {
    return (
      <p className="hint" data-testid="voice-unavailable">
        {state.reason ?? 'No voice here.'}
      </p>
    );
  }
  const micOn = state.mic === 'on';
  // VOICE17: muted by the owner, this person's own buttons cannot send until the owner unmutes them.
  const ownerMuted = state.mutedByOwner;
  return (
    <section
      className="voice"
      aria-label="Voice"
      data-testid="voice"
      data-mic={state.mic}
      data-transmitting={state.transmitting}
      data-speaking={state.speaking}
      data-muted-by-owner={ownerMuted}
    >
      {!micOn ? (
        <button
          type="button"
          data-testid="mic-on"
          disabled={state.mic === 'starting' || ownerMuted}
          // Before voice has loaded (LOAD9) the press loads it first; the press is still the gesture.
          onClick={() => void (voice ? voice.enableMic() : room.loadVoice().then((loaded) => loaded?.enableMic()))}
        >
          🎤 Turn on microphone
        </button>
      ) : (
        <>
          <button
            type="button"
            data-testid="mic-mute"
            aria-pressed={state.muted || ownerMuted}
            disabled={ownerMuted}
            onClick={() => voice?.setMuted(!state.muted)}
          >
            {state.muted ? 'Unmute' : 'Mute'}
          </button>
          <label>
            <input
              type="checkbox"
              data-testid="push-to-talk"
              checked={state.pushToTalk}
              onChange={(e) => voice?.setPushToTalk(e.target.checked)}
            />
            Push to talk (hold T)
          </label>
          <button type="button" onClick={() => voice?.disableMic()}>
            Microphone off
          </button>
          {state.speaking && <span className="tag speaking">speaking</span>}
        </>
      )}
      {ownerMuted && (
        <p className="notice" data-testid="muted-by-owner">
          The owner muted you for everyone. You can still listen; your microphone goes out again when they unmute you.
        </p>
      )}
      {state.micError && <p className="notice">{state.micError}</p>}
    </section>
  );
}
