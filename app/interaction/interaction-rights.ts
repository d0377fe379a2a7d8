/**
 * What this page's person may do to shared things (docs/roles.md ROLE10), the
 * one place interaction asks. In an open room, and for a protected room's
 * owner or editor, everything; a viewer's page starts no grab of a shared
 * object and runs no scene handler, since both write to the room document that
 * nobody accepts from a viewer (ROLE5, ROLE6): their page would show a room
 * that exists only there. Looking, walking and the local hover highlight stay.
 * A refused attempt (a grab, a click) is counted so the page can say why.
 * Plain TypeScript: the grab coordinator and the scene runtime ask it, React
 * only reads `refused`.
 *
 * @example
 *   const rights = new InteractionRights(session.role);
 *   if (!rights.mayGrab('Crate')) showHint(rights.hint);
 */
import type { ObjectId } from '../core/ids.ts';
import { createStore, type Store } from '../core/store.ts';

/** 'open', or this page's role in a protected room (RoomSession.role). */
export type PageRole = 'open' | 'owner' | 'editor' | 'viewer';

/** What a viewer is told when an attempt is refused. */
export const VIEW_ONLY_HINT = 'View only: ask the owner for an editor link.';

export interface RefusedAttempts {
  /** Grabs and clicks refused so far on this page. */
  count: number;
  /** The object of the last one. */
  last: ObjectId | undefined;
}

export class InteractionRights {
  /** Whether this page may change shared objects (grab them, run their handlers). */
  readonly changesShared: boolean;
  /** Why not, for the page to show; undefined when it may. */
  readonly hint: string | undefined;
  readonly refused: Store<RefusedAttempts> = createStore<RefusedAttempts>({ count: 0, last: undefined });

  /**
   * `viewersMayGrab`: ROLE11, the owner's setting as this page verified it
   * (asked at each grab, so turning it on or off takes effect at once).
   */
  constructor(
    readonly role: PageRole,
    private readonly viewersMayGrab: () => boolean = () => false,
  ) {
    this.changesShared = role !== 'viewer';
    this.hint = this.changesShared ? undefined : VIEW_ONLY_HINT;
  }

  /** ROLE10, ROLE11: whether this page may grab shared objects now (a viewer's only where the owner lets viewers grab). */
  grabsShared(): boolean {
    return this.changesShared || this.viewersMayGrab();
  }

  /** ROLE10, ROLE11: may this page start a grab of `id`? A refusal is an attempt the page explains. */
  mayGrab(id: ObjectId): boolean {
    if (this.grabsShared()) return true;
    this.noteRefused(id);
    return false;
  }

  /**
   * ROLE10: may a handler of `id` for `event` run here? Handlers write to the
   * room document (RUN4). A refused click is an attempt the page explains;
   * hovering is not.
   */
  mayRunHandler(id: ObjectId, event: string): boolean {
    if (this.changesShared) return true;
    if (event === 'click') this.noteRefused(id);
    return false;
  }

  private noteRefused(id: ObjectId): void {
    this.refused.update((current) => ({ count: current.count + 1, last: id }));
  }
}
