/**
 * What the owner's moderation means for one live room session (docs/roles.md
 * MOD1-MOD5, ROT1-ROT3): `RoomSession` composes the transports, this adapter
 * connects them to the owner's entries (`roles/moderation.ts`).
 *
 *   kick              the owner signs a kick naming a session; every peer and
 *                     the server drop that session's connections (MOD1, MOD5).
 *   removed           this page's own session was kicked, or the server closed
 *                     it with CLOSE_REMOVED: everything disconnects, for good.
 *   mute              the owner mutes a session's voice for everyone (MOD6).
 *   settings          the owner's room settings, e.g. viewers may grab (ROLE11).
 *   editor link       the owner raises the editor epoch (ROT1); an editor page
 *                     whose link is older learns it no longer edits (ROT3).
 *
 * Only a protected room with a session key has one. Plain TypeScript, no
 * transports of its own: the session hands it what to close.
 *
 * @example
 *   const moderation = new SessionModeration(credential, sessionKey, room.ownerEntries());
 *   moderation.attach({ closeSession: (id) => dropWebrtcLinksOf(id), disconnectAll: () => stopProviders() });
 *   moderation.removed.subscribe((removed) => removed && showNotice());
 */
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { createStore, type Store } from '../core/store.ts';
import { CLOSE_REMOVED, RoomModeration } from './roles/moderation.ts';
import type { PeerSessions } from './roles/peer-roles.ts';
import { writeOwnerEntry } from './roles/role-messages.ts';
import type { RoomCredential } from './roles/room-credential.ts';
import type { RoomSettings } from './roles/room-settings.ts';
import { type SessionKey, sessionFromId, sessionId } from './roles/session-key.ts';

/** What moderation needs from the session's transports. */
export interface ModeratedTransports {
  /** MOD5: close the WebRTC connections that proved `session`. */
  closeSession(session: string): void;
  /** MOD5: close every connection of the room, and do not reconnect. */
  disconnectAll(): void;
}

/** The part of the server connection that learns owner entries (MOD3). */
type EntrySocket = Pick<WebsocketProvider, 'ws' | 'wsconnected'>;

export class SessionModeration {
  /** The owner's entries as this page verified them. */
  readonly entries: RoomModeration;
  /** This page's session id (MOD4): its public key in base64url. */
  readonly session: string;
  /** MOD5: true once the owner removed this page's session; every connection of the room is closed for good. */
  readonly removed: Store<boolean> = createStore(false);
  /** ROT3: true once the owner replaced the editor link this page opened; it grants seeing only now. */
  readonly editorLinkReplaced: Store<boolean> = createStore(false);
  private transports: ModeratedTransports | undefined;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly credential: RoomCredential,
    readonly key: SessionKey,
    ownerEntries: Y.Array<unknown>,
  ) {
    this.entries = new RoomModeration(credential.ownerPublicKey, ownerEntries);
    this.session = sessionId(key.publicKey);
  }

  /** MOD4, MOD5, ROT2: what `PeerRoles` asks about sessions and epochs. */
  peerSessions(): PeerSessions {
    const entries = this.entries;
    return {
      key: this.key,
      isKicked: (session) => entries.isKicked(session),
      onKickedPeer: (link) => link.close(),
      editorEpoch: () => entries.editorEpoch.get(),
      viewersMayGrab: () => entries.settings.get().viewersMayGrab,
    };
  }

  /** Starts acting on verified entries with the session's transports. */
  attach(transports: ModeratedTransports): void {
    this.transports = transports;
    this.cleanups.push(this.entries.onKick(this.onKick));
    const credential = this.credential;
    if (credential.role === 'editor') {
      const check = (epoch: number) => {
        if (credential.capability.epoch < epoch) this.editorLinkReplaced.set(true);
      };
      this.cleanups.push(this.entries.editorEpoch.subscribe(check));
    }
  }

  /** MOD1: the owner removes the session `session` (an id from presence); every peer and the server drop it. */
  async kick(session: string): Promise<boolean> {
    const key = sessionFromId(session);
    if (!key || this.credential.role !== 'owner') return false;
    await this.entries.kick(this.credential, key);
    return true;
  }

  /** MOD6: the owner mutes (or unmutes) the voice of session `session` (an id from presence) for everyone. */
  async setVoiceMuted(session: string, muted: boolean): Promise<boolean> {
    const key = sessionFromId(session);
    if (!key || this.credential.role !== 'owner') return false;
    await this.entries.setVoiceMuted(this.credential, key, muted);
    return true;
  }

  /** ROLE11: the owner sets what the room lets everyone do (first: whether viewers may grab). */
  async setRoomSettings(settings: RoomSettings): Promise<boolean> {
    if (this.credential.role !== 'owner') return false;
    await this.entries.setSettings(this.credential, settings);
    return true;
  }

  /**
   * ROT1: the owner raises the editor epoch: links of older epochs stop
   * granting editing for every peer and the server; the owner's page mints
   * new links with `entries.editorEpoch` once the entry verified.
   */
  async rotateEditorLink(): Promise<boolean> {
    if (this.credential.role !== 'owner') return false;
    await this.entries.rotateEditorEpoch(this.credential);
    return true;
  }

  /** MOD5: a signaling or relay URL naming this page's session, so the server can close it on a kick. */
  withSession(url: string): string {
    const parsed = new URL(url);
    parsed.searchParams.set('session', this.session);
    return parsed.toString();
  }

  /** MOD3: the server learns each owner entry this page verifies (those it had are sent as it connects). */
  passEntriesTo(server: EntrySocket): void {
    const passOn = (entry: Uint8Array<ArrayBuffer>) => {
      const socket = server.ws;
      if (server.wsconnected && socket?.readyState === socket?.OPEN) socket?.send(writeOwnerEntry(entry));
    };
    this.cleanups.push(this.entries.onEntry(passOn));
  }

  /** MOD5: the server closed this page's sync for good; true if it was because the owner removed it. */
  serverClosed(code: number): boolean {
    if (code !== CLOSE_REMOVED) return false;
    this.markRemoved();
    return true;
  }

  destroy(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.entries.destroy();
    this.transports = undefined;
  }

  /** MOD5: a verified kick: this page's own session stops everything; another's connections are closed. */
  private readonly onKick = (session: string) => {
    if (session === this.session) this.markRemoved();
    else this.transports?.closeSession(session);
  };

  private markRemoved(): void {
    if (this.removed.get()) return;
    this.removed.set(true);
    this.transports?.disconnectAll();
  }
}
