import { afterEach, describe, expect, it, vi } from 'vitest';
import { peer, room } from '../../testing/ids.ts';
import { createStore, type Store } from '../core/store.ts';
import type { VoiceEnvironment } from '../scene/model/scene-model.ts';
import { DEFAULT_VOICE_SPATIAL } from '../voice/spatial-settings.ts';
import { VoiceChat, type VoiceOptions } from '../voice/voice-chat.ts';
import { type OwnerMuteSource, RoomVoice, VOICE_LOAD_LATEST_MS } from './room-voice.ts';

const OPTIONS: VoiceOptions = {
  roomId: room('voiceloading01'),
  selfId: peer(7),
  signalingUrl: 'ws://127.0.0.1:9/signal',
  iceServers: [],
};
/** The scene's voice block (ENV8): voice's range follows it. */
const ENVIRONMENT: VoiceEnvironment = { maxDistance: 12 };

const opened: RoomVoice[] = [];
function roomVoice(options: VoiceOptions | undefined, mutes?: OwnerMuteSource): RoomVoice {
  const presence = createStore({ peers: [{ peerId: peer(8), session: 'their-session' }] });
  const voice = new RoomVoice(options, presence, () => ENVIRONMENT, mutes);
  opened.push(voice);
  return voice;
}

/** The chat once `store` holds one, or a failure after 5 s. */
function loaded(store: Store<VoiceChat | undefined>): Promise<VoiceChat> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('voice did not load within 5 s')), 5000);
    const check = (chat: VoiceChat | undefined) => {
      if (!chat) return;
      clearTimeout(timer);
      stop();
      resolve(chat);
    };
    const stop = store.subscribe(check);
    check(store.get());
  });
}

afterEach(() => {
  vi.useRealTimers();
  for (const voice of opened.splice(0)) voice.destroy();
});

describe('the room loads voice when it is ready (LOAD9)', () => {
  it('[LOAD9] there is no voice chat until load(); then one, with the scene spatial settings, and only one', async () => {
    const voice = roomVoice(OPTIONS);
    expect(voice.chat.get()).toBeUndefined();
    void voice.load();
    void voice.load();
    const chat = await loaded(voice.chat);
    expect(chat).toBeInstanceOf(VoiceChat);
    expect(chat.selfId).toBe(OPTIONS.selfId);
    expect(chat.inspect().spatial()).toEqual({ ...DEFAULT_VOICE_SPATIAL, maxDistance: 12 });
    // A press of the microphone button before voice loaded waits for the same chat.
    expect(await voice.load()).toBe(chat);
    expect(voice.chat.get()).toBe(chat);
  });

  it("[LOAD9][VOICE17][ENV8] voice starts with the owner's mutes and the scene's range, and follows both", async () => {
    const muted = createStore<ReadonlySet<string>>(new Set(['my-session']));
    const voice = roomVoice(OPTIONS, { self: 'my-session', muted });
    // Already applied when the chat is handed out: a microphone started then is muted by the owner.
    const chat = await voice.load();
    expect(chat?.state.get().mutedByOwner).toBe(true);
    muted.set(new Set(['their-session']));
    expect(chat?.state.get().mutedByOwner).toBe(false);
    voice.setEnvironment({ maxDistance: 30 });
    expect(chat?.inspect().spatial().maxDistance).toBe(30);
  });

  it('[LOAD9] a room that is not ready loads voice VOICE_LOAD_LATEST_MS after it opened', async () => {
    vi.useFakeTimers();
    const voice = roomVoice(OPTIONS);
    vi.advanceTimersByTime(VOICE_LOAD_LATEST_MS - 1);
    expect(voice.chat.get()).toBeUndefined();
    vi.advanceTimersByTime(1);
    vi.useRealTimers();
    expect(await loaded(voice.chat)).toBeInstanceOf(VoiceChat);
  });

  it('[LOAD9] a page without voice never loads it, and a room closed while voice loads starts none', async () => {
    const none = roomVoice(undefined);
    expect(await none.load()).toBeUndefined();
    const closed = roomVoice(OPTIONS);
    const loading = closed.load();
    closed.destroy();
    expect(await loading).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(none.chat.get()).toBeUndefined();
    expect(closed.chat.get()).toBeUndefined();
  });
});
