/**
 * The room's voice (docs/voice.md), whose code loads once the room is ready
 * (docs/performance.md LOAD9): voice's connections, audio graph and signaling
 * are about 9 KB gzip that nobody needs to see or use the room, so they are
 * fetched after the first frame that draws a ready scene, not before it.
 * `chat` is undefined until then, and always on pages without voice. What the
 * room applies to voice (the scene's voice range, ENV8; the owner's mutes,
 * VOICE17) is computed by voice's own modules, loaded with it, so nothing of
 * voice is in the room's first chunk but this loader.
 *
 * @example
 *   const voice = new RoomVoice(options, session.status, () => model?.environment.voice);
 *   voice.load();                      // the room's first frame with its scene ready
 *   voice.chat.get()?.setMuted(true);  // undefined until loaded
 *   (await voice.load())?.enableMic(); // a press of the microphone button before that
 *   voice.destroy();
 */
import { createStore, type Store } from '../core/store.ts';
import type { VoiceEnvironment } from '../scene/model/scene-model.ts';
import type { ownerMutes, SessionOfPeer } from '../voice/owner-mute.ts';
import type { voiceSpatialSettings } from '../voice/spatial-settings.ts';
import type { VoiceChat, VoiceOptions } from '../voice/voice-chat.ts';

/**
 * LOAD9: a room whose scene is not ready by then (its parser failed to load, its
 * document has not arrived) loads voice anyway this long after it opened, so
 * people can still talk.
 */
export const VOICE_LOAD_LATEST_MS = 10_000;

/** VOICE17 (MOD6): whose voice the owner muted for everyone, in a protected room. */
export interface OwnerMuteSource {
  /** This page's session id (roles.md MOD4), or undefined without one. */
  self: string | undefined;
  /** The sessions muted for everyone, from the owner's verified entries. */
  muted: Store<ReadonlySet<string>>;
}

export class RoomVoice {
  /** The voice chat once its code has loaded; undefined before that and on pages without voice. */
  readonly chat: Store<VoiceChat | undefined> = createStore<VoiceChat | undefined>(undefined);
  private loading: Promise<VoiceChat | undefined> | undefined;
  private destroyed = false;
  private readonly latest: ReturnType<typeof setTimeout> | undefined;
  private readonly stops: (() => void)[] = [];
  /** voice's spatial-settings module's reader of the scene's voice block, once voice has loaded. */
  private spatialOf: typeof voiceSpatialSettings | undefined;

  /** `options` undefined: a page without voice (a Node room), nothing ever loads. */
  constructor(
    private readonly options: VoiceOptions | undefined,
    /** Who is in the room (the session's presence, with their sessions): voice connects only to them. */
    private readonly presence: Store<{ readonly peers: readonly SessionOfPeer[] }>,
    /** The scene's voice block (ENV8), read when voice starts. */
    private readonly environment: () => VoiceEnvironment | undefined,
    /** A protected room's mutes for everyone; absent in an open room. */
    private readonly mutedByOwner?: OwnerMuteSource,
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
    // One chunk: voice-chat.ts imports both helpers itself.
    this.loading = Promise.all([
      import('../voice/voice-chat.ts'),
      import('../voice/spatial-settings.ts'),
      import('../voice/owner-mute.ts'),
    ]).then(
      ([{ VoiceChat }, { voiceSpatialSettings }, { ownerMutes }]) => {
        if (this.destroyed) return undefined;
        const voice = new VoiceChat(options);
        this.start(voice, voiceSpatialSettings, ownerMutes);
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

  /** The scene's voice block changed (ENV8 over VOICE8): voice's range follows, once voice has loaded. */
  setEnvironment(environment: VoiceEnvironment | undefined): void {
    const voice = this.chat.get();
    if (voice && this.spatialOf) voice.setSpatial(this.spatialOf(environment));
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.latest);
    for (const stop of this.stops.splice(0)) stop();
    this.chat.get()?.destroy();
  }

  /** Starts `voice` with the scene's range, who is here and, VOICE17, the owner's mutes before its microphone can start. */
  private start(voice: VoiceChat, spatialOf: typeof voiceSpatialSettings, mutesOf: typeof ownerMutes): void {
    this.spatialOf = spatialOf;
    voice.setSpatial(spatialOf(this.environment()));
    const present = () => voice.setPresent(this.presence.get().peers.map((peer) => peer.peerId));
    present();
    this.stops.push(this.presence.subscribe(present));
    const mutes = this.mutedByOwner;
    if (mutes) {
      const apply = () => voice.setOwnerMutes(mutesOf(mutes.self, mutes.muted.get(), this.presence.get().peers));
      apply();
      this.stops.push(mutes.muted.subscribe(apply), this.presence.subscribe(apply));
    }
    this.chat.set(voice);
  }
}
