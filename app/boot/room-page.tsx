/**
 * A room link's page, without its DOM panels until the room is interactive
 * (docs/performance.md LOAD14). Two roots over one plain-TS room
 * (`startPageRoom`, app/room/page-room.ts):
 *
 * 1. the 3D view: R3F's own root on a canvas (`createRoomCanvas`), with the
 *    view's keyboard stop (ACC5, ACC6) and XR where the browser offers it; it
 *    draws the room's first frame, which marks the room interactive;
 * 2. the panels (badge, people, share bar, editor button, Enter VR, notices):
 *    the DOM renderer (app/ui/dom-renderer/, on the reconciler R3F already
 *    runs), loaded once the room is interactive (`mountRoomPanels`,
 *    app/ui/RoomPanels.tsx), like voice (LOAD9).
 *
 * Before the room is open, and after its owner removed this person (MOD5),
 * the page shows a line of plain text.
 */
import type { XRStore } from '@react-three/xr';
import type { RoomId } from '../core/ids.ts';
import { createStore } from '../core/store.ts';
import { loadRemoteAvatar } from '../render/avatars/RemoteAvatars.tsx';
import { attachObjectFocusKeys } from '../render/object-focus-keys.ts';
import { RoomView } from '../render/RoomView.tsx';
import { createRoomCanvas } from '../render/room-canvas.tsx';
import { afterRoomInteractive } from '../room/frame-stats.ts';
import { startHeadlessFrames } from '../room/headless-frames.ts';
import type { Room } from '../room/open-room.ts';
import { type PageRoomState, type PageRoomXR, startPageRoom } from '../room/page-room.ts';
import { keepVisitRecord } from '../room/visit-record.ts';
import { loadXRStoreIfOffered } from '../xr/offer.ts';
import type { RoomXRStore } from '../xr/xr-store.ts';

/** LOAD14: the panels load once the room is interactive, or this long after the room opened if it is not by then. */
const PANELS_LATEST_MS = 10_000;

const CAMERA = { position: [0, 1.7, 5], fov: 65, near: 0.05, far: 1000 } as const;
const GL = { antialias: true, preserveDrawingBuffer: false };

/** Shows the room `roomId` in `host` until `close()`. */
export function bootRoomPage(host: HTMLElement, roomId: RoomId): { close(): void } {
  const page = startPageRoom(roomId, loadXRStoreIfOffered);
  let shown = () => {};
  const show = (state: PageRoomState<RoomXRStore>) => {
    shown();
    shown = () => {};
    host.replaceChildren();
    if (state.phase === 'opening') host.append(notice('Opening room…'));
    else if (state.phase === 'removed') host.append(removedNotice());
    else shown = showRoom(host, roomId, state.room, state.xr, state.warning);
  };
  const stop = page.state.subscribe(show);
  show(page.state.get());
  return {
    close() {
      stop();
      shown();
      host.replaceChildren();
      page.close();
    },
  };
}

function notice(text: string): HTMLElement {
  const element = document.createElement('div');
  element.className = 'splash';
  element.textContent = text;
  return element;
}

function removedNotice(): HTMLElement {
  const element = notice('You were removed from this room by its owner.');
  element.setAttribute('role', 'alert');
  element.dataset.testid = 'removed-notice';
  return element;
}

/** The open room: its view (or, with `?render=off`, frames on a timer), then its panels. Returns how to take it down. */
function showRoom(
  host: HTMLElement,
  roomId: RoomId,
  room: Room,
  xr: PageRoomXR<RoomXRStore>,
  warning: string | undefined,
): () => void {
  const element = document.createElement('div');
  element.className = 'room';
  host.append(element);
  const stopVisitRecord = keepVisitRecord(roomId, room, localStorage);
  const xrReady = createStore(false);
  const draws = new URLSearchParams(location.search).get('render') !== 'off';
  const stopView = draws ? showView(element, room, xr, () => xrReady.set(true)) : startHeadlessFrames(room);
  let unmountPanels = () => {};
  let closed = false;
  // A page that draws nothing is never interactive (LOAD1): its panels load at once.
  const panelsAfter = draws ? afterRoomInteractive(PANELS_LATEST_MS) : Promise.resolve();
  void panelsAfter
    .then(() => import('../ui/RoomPanels.tsx'))
    .then(({ mountRoomPanels }) => {
      if (closed) return;
      unmountPanels = mountRoomPanels(element, { roomId, room, xr, xrReady, ...(warning ? { warning } : {}) });
    })
    .catch((error: unknown) => reportError(error));
  return () => {
    closed = true;
    unmountPanels();
    stopView();
    stopVisitRecord();
    element.remove();
  };
}

/**
 * The 3D view: one canvas, XR-capable where the browser offers XR, driving the
 * room's frame (ROOM4, app/render/RoomFrame.tsx). The view is a keyboard stop:
 * Tab moves between its interactive objects, Enter clicks one, and a live
 * region says which (ACC5, ACC6).
 */
function showView(element: HTMLElement, room: Room, xr: PageRoomXR<XRStore>, onXRReady: () => void): () => void {
  const view = document.createElement('div');
  view.className = 'scene';
  view.dataset.testid = 'scene';
  const live = document.createElement('div');
  live.className = 'visually-hidden';
  live.dataset.testid = 'scene-focus';
  element.append(view, live);
  const detachKeys = attachObjectFocusKeys(view, live, room);
  const canvas = createRoomCanvas(view, {
    camera: CAMERA,
    gl: GL,
    shadows: true,
    frameloop: 'never',
    // ROOM6: the renderer is created once this page's join has settled (app/room/join-hold.ts).
    hold: !room.joinSettled.get(),
    onRendererCreated: () => room.timeline.mark('renderer_created'),
    onSoftwareProbe: () => room.timeline.mark('software_gl_probe'),
  });
  const draw = (xrStore: XRStore | undefined) =>
    canvas.render(<RoomView room={room} xrStore={xrStore} onXRReady={onXRReady} />);
  draw(xr.store.get());
  // ROOM10: the XR store arrives after the room opened; the view adds the XR layer beside the scene from
  // then on, and the scene stays mounted (ROOM13, RoomView.tsx).
  const stopXR = xr.store.subscribe(draw);
  const stopHold = room.joinSettled.subscribe((settled) => {
    if (settled) canvas.release();
  });
  // DRAW9: the avatars' code loads with the first remote peer, while the renderer may be held, and the
  // join waits for it (ROOM6), so the renderer's first frame draws that person.
  const stopAvatarCode = room.avatars.loadCodeWith(room.pose.channel.peerList, loadRemoteAvatar);
  // Meanwhile the room's frames run on a timer, until the renderer's display loop takes them over.
  room.holdFrames();
  return () => {
    stopAvatarCode();
    stopXR();
    stopHold();
    canvas.destroy();
    detachKeys();
    view.remove();
    live.remove();
  };
}
