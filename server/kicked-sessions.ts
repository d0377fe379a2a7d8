/**
 * MOD5 (docs/roles.md): the sessions the owners of protected rooms removed,
 * as this server learned them from verified owner entries (MOD3). `/sync`,
 * `/signal` and `/relay` ask it when a session shows itself and close that
 * session's sockets when a kick arrives. Kept in memory: after a restart the
 * server learns the kicks again from the first page that brings the room's
 * entries (every page passes on the entries it verified when it connects).
 */

export { CLOSE_REMOVED, REMOVED_REASON } from '../app/sync/roles/moderation.ts';

/** Kicks remembered per room (as many as a room may hold entries). */
const MAX_KICKS_PER_ROOM = 1024;
/** Rooms remembered at most; past it the room least recently kicked in is forgotten first. */
const MAX_ROOMS = 4096;

export class KickedSessions {
  private readonly rooms = new Map<string, Set<string>>();
  private readonly listeners = new Set<(room: string, session: string) => void>();

  has(room: string, session: string | undefined): boolean {
    return session !== undefined && (this.rooms.get(room)?.has(session) ?? false);
  }

  /** Records a verified kick; listeners close the session's sockets. False if it was known already. */
  add(room: string, session: string): boolean {
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
}
