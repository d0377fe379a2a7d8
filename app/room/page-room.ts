/**
 * A room page's room over its lifetime, in plain TypeScript: reads the link
 * (a protected room's key, ROLE9) and `/config.json`, opens the room
 * (`openPageRoom`, app/room/page.ts) and hands it the XR store when its code
 * has loaded, beside the room and not before it (ROOM10), and follows
 * what ends it: removed by the owner (MOD5), or the editor link it opened was
 * replaced (ROT3), when it opens the room again as a viewer's. The page's two
 * roots (the 3D view and the panels, app/boot/room-page.tsx) draw `state`.
 *
 * @example
 *   const page = startPageRoom(roomId);
 *   page.state.subscribe((state) => console.log(state.phase)); // 'opening', then 'open'
 *   page.close();
 */
import { configNotice, loadClientConfig } from '../core/client-config.ts';
import { ConnectTimeline } from '../core/connect-timeline.ts';
import { loadIdentity } from '../core/identity.ts';
import type { RoomId } from '../core/ids.ts';
import { createStore, type Store } from '../core/store.ts';
import { forgetEditorHash, keepRoleHash, linkOrKeptHash } from '../sync/roles/kept-keys.ts';
import { readRoleLink } from '../sync/roles/room-credential.ts';
import { loadSessionKey } from '../sync/roles/session-key.ts';
import type { Room } from './open-room.ts';
import { openPageRoom } from './page.ts';
import { type PageXRStore, XRHandOver } from './xr-hand-over.ts';

/** An open room's XR: the store once it has arrived (ROOM10), and why its code did not load (ROOM12). */
export type PageRoomXR<X extends PageXRStore> = Pick<XRHandOver<X>, 'store' | 'failure'>;

export type PageRoomState<X extends PageXRStore> =
  | { phase: 'opening' }
  | { phase: 'open'; room: Room; xr: PageRoomXR<X>; warning?: string }
  | { phase: 'removed' };

export interface PageRoom<X extends PageXRStore> {
  readonly state: Pick<Store<PageRoomState<X>>, 'get' | 'subscribe'>;
  close(): void;
}

const EDITOR_LINK_REPLACED =
  'The owner made a new editor link: the one you opened no longer lets you edit. You are a viewer now.';

/**
 * Opens `roomId` for this page. `loadXR` gives the XR store where the browser
 * offers an immersive session (app/xr/offer.ts), or undefined; the room does
 * not wait for it (ROOM10).
 */
export function startPageRoom<X extends PageXRStore>(
  roomId: RoomId,
  loadXR: () => Promise<X | undefined>,
): PageRoom<X> {
  const state = createStore<PageRoomState<X>>({ phase: 'opening' });
  let closed = false;
  let closeOpen = () => {};

  const open = async (replaced: boolean) => {
    const timeline = new ConnectTimeline();
    // ROLE9: a bare link to a protected room uses the key this device kept for it.
    const roleHash = replaced ? '' : linkOrKeptHash(localStorage, roomId, location.hash);
    // ROOM10: the XR code loads beside the room's start, and the room is handed its store when it is in.
    const xr = new XRHandOver(loadXR());
    const [{ config, problem }, roleLink] = await Promise.all([loadClientConfig(), readRoleLink(roomId, roleHash)]);
    // MOD4: in a protected room every connection proves this profile's session.
    const sessionKey = roleLink.credential ? await loadSessionKey(localStorage) : undefined;
    if (closed) {
      xr.close();
      return;
    }
    timeline.mark('config_loaded');
    if (problem) console.warn(`[config] ${problem.detail}; using no ICE servers`);
    if (roleLink.ok && roleLink.credential && roleLink.credential.role !== 'viewer') {
      keepRoleHash(localStorage, roomId, roleHash);
    }
    // ROLE2: a refused key is said, and the room opens as the link's other rights allow.
    const warning = replaced ? EDITOR_LINK_REPLACED : roleLink.ok ? configNotice(problem) : roleLink.error;
    const opened = await openPageRoom({
      roomId,
      location,
      config,
      identity: loadIdentity(localStorage),
      ...(roleLink.credential ? { credential: roleLink.credential } : {}),
      ...(sessionKey ? { sessionKey } : {}),
      timeline,
    });
    if (closed) {
      opened.close();
      xr.close();
      return;
    }
    xr.attachTo(opened.room);
    const stopWatching = opened.room.session.removed.subscribe((removed) => {
      if (!removed) return;
      // MOD5: removed by the owner: the room closes here and the page says why.
      closeOpen();
      state.set({ phase: 'removed' });
    });
    const stopReplaced = opened.room.session.editorLinkReplaced.subscribe((outdated) => {
      if (!outdated) return;
      // ROT3: this room closes, and opens again as a viewer's ("Opening room…" meanwhile).
      forgetEditorHash(localStorage, roomId);
      history.replaceState(history.state, '', `${location.pathname}${location.search}`);
      closeOpen();
      state.set({ phase: 'opening' });
      void open(true);
    });
    closeOpen = () => {
      closeOpen = () => {};
      stopWatching();
      stopReplaced();
      opened.close();
      // ROOM11: a store that arrives after this is destroyed on arrival.
      xr.close();
    };
    const room = opened.room;
    state.set(warning ? { phase: 'open', room, xr, warning } : { phase: 'open', room, xr });
  };
  void open(false);

  return {
    state,
    close() {
      closed = true;
      closeOpen();
    },
  };
}
