/**
 * VOICE17 (docs/voice.md): the owner's mute for everyone as voice applies it:
 * which peers a page plays at volume 0, and that a muted page's microphone
 * goes out to nobody whatever its own buttons say.
 */
import { describe, expect, it } from 'vitest';
import type { PeerId } from '../core/ids.ts';
import { ownerMutes, playbackGain, sameOwnerMutes } from './owner-mute.ts';
import { microphoneGoesOut, startingVoiceState } from './voice-state.ts';

const peer = (n: number) => n as PeerId;

describe('mute for everyone (VOICE17)', () => {
  it('[VOICE17] the peers whose presence names a muted session are muted, and this page when its own session is', () => {
    const present = [
      { peerId: peer(1), session: 'speaker' },
      { peerId: peer(2), session: 'listener' },
      { peerId: peer(3) }, // no session (an open room's presence)
      { peerId: peer(4), session: 'speaker' }, // a second page of the same session
    ];
    const mutes = ownerMutes('me', new Set(['speaker']), present);
    expect([...mutes.peers].sort()).toEqual([1, 4]);
    expect(mutes.self).toBe(false);
    expect(ownerMutes('speaker', new Set(['speaker']), []).self).toBe(true);
    expect(ownerMutes(undefined, new Set(['speaker']), present).self).toBe(false);
    expect(sameOwnerMutes(mutes, ownerMutes('me', new Set(['speaker']), present))).toBe(true);
    expect(sameOwnerMutes(mutes, ownerMutes('me', new Set(), present))).toBe(false);
  });

  it('[VOICE17] a muted voice plays at gain 0 whatever my volume for them; unmuted, my volume again', () => {
    expect(playbackGain(0.8, true)).toBe(0);
    expect(playbackGain(0.8, false)).toBe(0.8);
  });

  it('[VOICE17] [VOICE1] muted by the owner, the microphone goes out to nobody and is not open, whatever the buttons say', () => {
    const talking = { ...startingVoiceState(undefined), mic: 'on' as const };
    expect(microphoneGoesOut(talking, true)).toEqual({ transmitting: true, open: true });
    const ownerMuted = { ...talking, mutedByOwner: true };
    expect(microphoneGoesOut(ownerMuted, true)).toEqual({ transmitting: false, open: false });
    expect(microphoneGoesOut({ ...ownerMuted, pushToTalk: true, talking: true }, true).transmitting).toBe(false);
    // The rest of the rule stands: muted, push-to-talk without the key, no microphone.
    expect(microphoneGoesOut({ ...talking, muted: true }, true).transmitting).toBe(false);
    expect(microphoneGoesOut({ ...talking, pushToTalk: true }, true)).toEqual({ transmitting: false, open: true });
    expect(microphoneGoesOut(talking, false).transmitting).toBe(false);
  });
});
