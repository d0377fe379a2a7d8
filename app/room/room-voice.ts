/**
 * The room's voice (docs/voice.md), whose code loads once the room is ready
 * (docs/performance.md LOAD9): voice's connections, audio graph and signaling
 * are about 9 KB gzip that nobody needs to see or use the room, so they are
 * fetched after the first frame that draws a ready scene, not before it.
 * `chat` is undefined until then, and always on pages without voice.
 *
 * @example
 *   const voice = new RoomVoice(options, session.status, () => spatial);
 *   voice.load();                      // the room's first frame with its scene ready
 *   voice.chat.get()?.setMuted(true);  // undefined until loaded
 *   (await voice.load())?.enableMic(); // a press of the microphone button before that
 *   voice.destroy();
 */
import type { PeerId } from '../core/ids.ts';
import { createStore, type Store } from '../core/store.ts';
import type { VoiceSpatialSettings } from '../voice/spatial-settings.ts';
import type { VoiceChat, VoiceOptions } from '../voice/voice-chat.ts';

/**
 * LOAD9: a room whose scene is not ready by then (its parser failed to load, its
 * document has not arrived) loads voice anyway this long after it opened, so
 * people can still talk.
 */
export const VOICE_LOAD_LATEST_MS = 10_000;

export class RoomVoice {
  /** The voice chat once its code has loaded; undefined before that and on pages without voice. */
  readonly chat: Store<VoiceChat | undefined> = createStore<VoiceChat | undefined>(undefined);
  private loading: Promise<VoiceChat | undefined> | undefined;
  private destroyed = false;
  private readonly latest: ReturnType<typeof setTimeout> | undefined;
  private stopPresence: (() => void) | undefined;

  /** `options` undefined: a page without voice (a Node room), nothing ever loads. */
  constructor(
    private readonly options: VoiceOptions | undefined,
    /** Who is in the room (the session's presence): voice connects only to them. */
    private readonly presence: Store<{ readonly peers: readonly { readonly peerId: PeerId }[] }>,
    private readonly spatial: () => VoiceSpatialSettings,
  ) {
    if (options) this.latest = setTimeout(() => this.load(), VOICE_LOAD_LATEST_MS);
  }

  /**
   * Fetches voice's code and starts voice; the first call does it, later ones return the same
   * promise. Resolves to the chat, or undefined on a page without voice or when it failed to load.
   */
  load(): Promise<VoiceChat | undefined> {
    if (this.loading) return this.loading;
    clearTimeout(this.latest);
    const options = this.options;
    if (!options) return Promise.resolve(undefined);
    this.loading = import('../voice/voice-chat.ts').then(
      ({ VoiceChat }) => {
        if (this.destroyed) return undefined;
        const voice = new VoiceChat(options);
        this.start(voice);
        return voice;
      },
      (error: unknown) => {
        // The service worker precaches the chunk, so this is a first visit that lost its network.
        console.error(`holoroom: voice could not load: ${String(error)}`);
        return undefined;
      },
    );
    return this.loading;
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.latest);
    this.stopPresence?.();
    this.chat.get()?.destroy();
  }

  private start(voice: VoiceChat): void {
    voice.setSpatial(this.spatial());
    const present = () => voice.setPresent(this.presence.get().peers.map((peer) => peer.peerId));
    present();
    this.stopPresence = this.presence.subscribe(present);
    this.chat.set(voice);
  }
}
