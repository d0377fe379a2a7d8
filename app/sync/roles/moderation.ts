/**
 * The owner's decisions as a peer sees them (docs/roles.md MOD1-MOD3): reads
 * the room document's owner entries, checks each against the owner key the
 * room id names, and keeps what they decide. A kick, once verified, holds for
 * as long as this page runs, even if the entry later disappears from the
 * document (an editor may delete what it may write; see "What it does not
 * protect").
 *
 * @example
 *   const moderation = new RoomModeration(ownerPublicKey, room.ownerEntries());
 *   moderation.onKick((session) => dropConnectionsOf(session));
 *   await moderation.kick(owner, sessionKey); // signs, appends; every peer sees it
 */
import type * as Y from 'yjs';
import { createStore, type Store } from '../../core/store.ts';
import { encodeBase64url } from './base64url.ts';
import {
  MAX_OWNER_ENTRIES,
  readOwnerEntry,
  signEditorEpoch,
  signKick,
  signRoomSettings,
  signVoiceMute,
} from './owner-entries.ts';
import type { RoomCredential } from './room-credential.ts';
import { DEFAULT_ROOM_SETTINGS, type RoomSettings } from './room-settings.ts';
import { sessionId } from './session-key.ts';

/** MOD5: the close code and reason for a removed session's sockets (`/sync`, `/signal`, `/relay`; no reconnect). */
export const CLOSE_REMOVED = 4410;
export const REMOVED_REASON = 'removed from this room by its owner';

export interface ModerationCounts {
  /** Entries whose signature verified. */
  verified: number;
  /** Entries refused (forged, malformed, oversized, past MAX_OWNER_ENTRIES). */
  refused: number;
}

export class RoomModeration {
  /** Session ids (base64url public keys) the owner removed. */
  readonly kicked: Store<ReadonlySet<string>> = createStore<ReadonlySet<string>>(new Set());
  /** ROT1: the highest editor epoch the owner set (0 until the editor link is first rotated). */
  readonly editorEpoch: Store<number> = createStore(0);
  /** MOD6: session ids whose voice the owner muted for everyone (the latest entry per session decides). */
  readonly voiceMuted: Store<ReadonlySet<string>> = createStore<ReadonlySet<string>>(new Set());
  /** ROLE11: what the owner lets everyone do (the settings entry with the highest sequence). */
  readonly settings: Store<RoomSettings> = createStore<RoomSettings>(DEFAULT_ROOM_SETTINGS);
  readonly counts: ModerationCounts = { verified: 0, refused: 0 };
  /** The reason the last refused entry was refused (for `room.inspect()` and tests). */
  lastRefusal: string | undefined;
  private readonly verifiedEntries: Uint8Array<ArrayBuffer>[] = [];
  private readonly seen = new Set<string>();
  /** MOD6: per session, the sequence of the mute or unmute entry that decides it. */
  private readonly muteSequences = new Map<string, number>();
  private settingsSequence = -1;
  /** The highest sequence of any verified entry: the owner's next entry goes above it. */
  private highestSequence = 0;
  private readonly kickListeners = new Set<(session: string) => void>();
  private readonly entryListeners = new Set<(entry: Uint8Array<ArrayBuffer>) => void>();
  private reading: Promise<void> = Promise.resolve();
  private destroyed = false;

  constructor(
    private readonly ownerPublicKey: Uint8Array,
    private readonly entries: Y.Array<unknown>,
  ) {
    entries.observe(this.onChange);
    this.onChange();
  }

  /** Resolves once every entry in the document so far has been checked. */
  settled(): Promise<void> {
    return this.reading;
  }

  /** The entries that verified, in the order they were read (to pass on to the server, MOD3). */
  get verified(): readonly Uint8Array<ArrayBuffer>[] {
    return this.verifiedEntries;
  }

  isKicked(session: string): boolean {
    return this.kicked.get().has(session);
  }

  /** Called with each session id once its kick verified. */
  onKick(listener: (session: string) => void): () => void {
    this.kickListeners.add(listener);
    return () => this.kickListeners.delete(listener);
  }

  /** Called with each entry once it verified. */
  onEntry(listener: (entry: Uint8Array<ArrayBuffer>) => void): () => void {
    this.entryListeners.add(listener);
    return () => this.entryListeners.delete(listener);
  }

  /** MOD1: the owner removes the session `session` (a public key); the entry goes into the document. */
  async kick(owner: Extract<RoomCredential, { role: 'owner' }>, session: Uint8Array): Promise<void> {
    const entry = await signKick(owner, this.nextSequence(), session);
    if (!this.destroyed) this.entries.push([entry]);
  }

  isVoiceMuted(session: string): boolean {
    return this.voiceMuted.get().has(session);
  }

  /**
   * MOD6: the owner mutes (or unmutes) the voice of session `session` for
   * everyone. Its sequence is above every entry known so far, so it decides
   * over earlier mutes and unmutes of that session wherever it arrives.
   */
  async setVoiceMuted(
    owner: Extract<RoomCredential, { role: 'owner' }>,
    session: Uint8Array,
    muted: boolean,
  ): Promise<void> {
    await this.settled();
    const entry = await signVoiceMute(owner, this.nextSequence(), session, muted);
    if (!this.destroyed) this.entries.push([entry]);
  }

  /** ROLE11: the owner sets what the room lets everyone do; above every sequence known, so it decides. */
  async setSettings(owner: Extract<RoomCredential, { role: 'owner' }>, settings: RoomSettings): Promise<void> {
    await this.settled();
    const entry = await signRoomSettings(owner, this.nextSequence(), settings);
    if (!this.destroyed) this.entries.push([entry]);
  }

  /** ROT1: the owner raises the editor epoch to the next one; returns it (mint the new editor link with it). */
  async rotateEditorEpoch(owner: Extract<RoomCredential, { role: 'owner' }>): Promise<number> {
    await this.settled(); // the epoch to raise is the highest of every entry known so far
    const epoch = this.editorEpoch.get() + 1;
    const entry = await signEditorEpoch(owner, this.nextSequence(), epoch);
    if (!this.destroyed) this.entries.push([entry]);
    return epoch;
  }

  destroy(): void {
    this.destroyed = true;
    this.entries.unobserve(this.onChange);
    this.kickListeners.clear();
    this.entryListeners.clear();
  }

  /** Above every sequence known, and above the entry count (entries an editor deleted may have been higher). */
  private nextSequence(): number {
    return Math.max(this.highestSequence, this.entries.length) + 1;
  }

  private readonly onChange = () => {
    const fresh: unknown[] = [];
    this.entries.forEach((item, index) => {
      if (index >= MAX_OWNER_ENTRIES) return;
      const key = item instanceof Uint8Array ? encodeBase64url(item) : `#${index}:${typeof item}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
      fresh.push(item);
    });
    if (fresh.length > 0) this.reading = this.reading.then(() => this.readAll(fresh));
    if (this.entries.length > MAX_OWNER_ENTRIES && !this.seen.has('#over')) {
      this.seen.add('#over');
      this.reading = this.reading.then(() => this.refuse(`a room keeps at most ${MAX_OWNER_ENTRIES} owner entries`));
    }
  };

  private async readAll(items: unknown[]): Promise<void> {
    for (const item of items) {
      const read = await readOwnerEntry(this.ownerPublicKey, item);
      if (this.destroyed) return;
      if (!read.ok) {
        this.refuse(read.reason);
        continue;
      }
      this.counts.verified++;
      this.verifiedEntries.push(item as Uint8Array<ArrayBuffer>);
      for (const listener of [...this.entryListeners]) listener(item as Uint8Array<ArrayBuffer>);
      this.highestSequence = Math.max(this.highestSequence, read.entry.sequence);
      if (read.entry.kind === 'settings') {
        if (read.entry.sequence > this.settingsSequence) {
          this.settingsSequence = read.entry.sequence;
          this.settings.set(read.entry.settings);
        }
        continue;
      }
      if (read.entry.kind === 'voice-mute') {
        this.applyVoiceMute(sessionId(read.entry.session), read.entry.sequence, read.entry.muted);
        continue;
      }
      if (read.entry.kind === 'editor-epoch') {
        // ROT1: epochs only rise, whatever order their entries arrive in.
        if (read.entry.epoch > this.editorEpoch.get()) this.editorEpoch.set(read.entry.epoch);
        continue;
      }
      const session = sessionId(read.entry.session);
      if (this.isKicked(session)) continue; // the same kick again (a replay, or a second entry): nothing new
      this.kicked.set(new Set([...this.kicked.get(), session]));
      for (const listener of [...this.kickListeners]) listener(session);
    }
  }

  /** MOD6: the entry with the higher sequence decides a session's mute; an older one (late or replayed) changes nothing. */
  private applyVoiceMute(session: string, sequence: number, muted: boolean): void {
    if (sequence <= (this.muteSequences.get(session) ?? -1)) return;
    this.muteSequences.set(session, sequence);
    if (muted === this.isVoiceMuted(session)) return;
    const next = new Set(this.voiceMuted.get());
    if (muted) next.add(session);
    else next.delete(session);
    this.voiceMuted.set(next);
  }

  private refuse(reason: string): void {
    this.counts.refused++;
    this.lastRefusal = reason;
  }
}
