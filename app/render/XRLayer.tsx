import { XR, type XRStore } from '@react-three/xr';
import type { ReactNode } from 'react';
import type { Room } from '../room/open-room.ts';
import { XRView } from './interaction/XRView.tsx';
import { XRSessionProvider } from './xr-session-state.ts';

/**
 * What a room draws only where the browser offers XR: @react-three/xr's
 * session, controllers, hands and rays around the scene, and the XR origin.
 * Loaded as its own chunk (app/xr/offer.ts, docs/performance.md LOAD4).
 */
export default function XRLayer({ store, room, children }: { store: XRStore; room: Room; children: ReactNode }) {
  return (
    <XR store={store}>
      <XRSessionProvider source={store}>
        {children}
        <XRView room={room} />
      </XRSessionProvider>
    </XR>
  );
}
