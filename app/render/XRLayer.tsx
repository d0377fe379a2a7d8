import { XR, type XRStore } from '@react-three/xr';
import { useEffect } from 'react';
import type { Room } from '../room/open-room.ts';
import { XRView } from './interaction/XRView.tsx';
import { XRMenuView } from './xr-menu/XRMenuView.tsx';

/**
 * What a room draws only where the browser offers XR: @react-three/xr's
 * session, controllers, hands and rays, the XR origin and the in-world menu
 * (MENU1-MENU3). A sibling of the scene, not its parent (ROOM13, RoomView.tsx):
 * the XR pointers move through the whole R3F scene whatever its place in the
 * React tree, and the scene reads the session from RoomView's context.
 * Loaded as its own chunk (app/xr/offer.ts, docs/performance.md LOAD4).
 *
 * `onReady` is called once this layer has mounted, after its children's
 * effects, and the room's headset parts have loaded (`room.loadXR()`): the
 * store is connected to the canvas and the room's frame (RoomFrame) listens
 * for sessions, so "Enter VR" may start one.
 */
export default function XRLayer({ store, room, onReady }: { store: XRStore; room: Room; onReady: () => void }) {
  useEffect(() => {
    let mounted = true;
    // LOAD12: the room's headset parts (controllers, menu, arc, vignette) load with this layer.
    void room.loadXR().then(() => {
      if (mounted) onReady();
    });
    return () => {
      mounted = false;
    };
  }, [room, onReady]);
  // MENU1: leaving from the headset ends the immersive session, then the page goes to the start page.
  const leave = () => {
    const session = store.getState().session;
    const away = () => location.assign('/');
    if (session) session.end().then(away, away);
    else away();
  };
  return (
    <XR store={store}>
      <XRView room={room} />
      <XRMenuView room={room} onLeave={leave} />
    </XR>
  );
}
