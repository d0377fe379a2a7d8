/**
 * MOD5, ROT2 (docs/roles.md): what the owners of protected rooms decided, as
 * this server learned it from verified owner entries (MOD3): the sessions
 * they removed and the lowest editor epoch still valid. `/sync`, `/signal`
 * and `/relay` ask it when a session shows itself and close that session's
 * sockets when a kick arrives; `/sync` makes editors of an older epoch
 * viewers. Kept in memory: after a restart the server learns the decisions
 * again from the first page that brings the room's entries (every page passes
 * on the entries it verified when it connects).
 */

import { DEFAULT_ROOM_SETTINGS, type RoomSettings } from '../app/sync/roles/room-settings.ts';

export { CLOSE_REMOVED, REMOVED_REASON } from '../app/sync/roles/moderation.ts';

/** Kicks remembered per room (as many as a room may hold entries). */
const MAX_KICKS_PER_ROOM = 1024;
/** Rooms remembered at most; past it the room least recently kicked in is forgotten first. */
const MAX_ROOMS = 4096;

export class OwnerDecisions {
  private readonly rooms = new Map<string, Set<string>>();
  private readonly listeners = new Set<(room: string, session: string) => void>();
  private readonly epochs = new Map<string, number>();
  private readonly epochListeners = new Set<(room: string, epoch: number) => void>();
  /** ROLE11: each room's latest settings entry, with its sequence. */
  private readonly settingsOf = new Map<string, { sequence: number; settings: RoomSettings }>();

  isKicked(room: string, session: string | undefined): boolean {
    return session !== undefined && (this.rooms.get(room)?.has(session) ?? false);
  }

  /** Records a verified kick; listeners close the session's sockets. False if it was known already. */
  kick(room: string, session: string): boolean {
    let sessions = this.rooms.get(room);
    if (sessions?.has(session)) return false;
    if (!sessions) sessions = new Set();
    this.rooms.delete(room); // most recently kicked in goes last
    this.rooms.set(room, sessions);
    if (this.rooms.size > MAX_ROOMS) this.rooms.delete(this.rooms.keys().next().value as string);
    if (sessions.size >= MAX_KICKS_PER_ROOM) sessions.delete(sessions.values().next().value as string);
    sessions.add(session);
    for (const listener of [...this.listeners]) listener(room, session);
    return true;
  }

  onKick(listener: (room: string, session: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** ROT2: editor capabilities of a lower epoch than this no longer grant editing in `room`. */
  editorEpoch(room: string): number {
    return this.epochs.get(room) ?? 0;
  }

  /** ROT2: records a verified editor epoch; epochs only rise. */
  raiseEditorEpoch(room: string, epoch: number): void {
    if (epoch <= this.editorEpoch(room)) return;
    this.epochs.delete(room);
    this.epochs.set(room, epoch);
    if (this.epochs.size > MAX_ROOMS) this.epochs.delete(this.epochs.keys().next().value as string);
    for (const listener of [...this.epochListeners]) listener(room, epoch);
  }

  /** ROLE11: what the owner of `room` lets everyone do, as the latest verified settings entry says. */
  settings(room: string): RoomSettings {
    return this.settingsOf.get(room)?.settings ?? DEFAULT_ROOM_SETTINGS;
  }

  /** ROLE11: records a verified settings entry; an older one (by sequence) than the one known changes nothing. */
  setSettings(room: string, sequence: number, settings: RoomSettings): void {
    if (sequence <= (this.settingsOf.get(room)?.sequence ?? -1)) return;
    this.settingsOf.delete(room);
    this.settingsOf.set(room, { sequence, settings });
    if (this.settingsOf.size > MAX_ROOMS) this.settingsOf.delete(this.settingsOf.keys().next().value as string);
  }

  onEditorEpoch(listener: (room: string, epoch: number) => void): () => void {
    this.epochListeners.add(listener);
    return () => this.epochListeners.delete(listener);
  }
}
