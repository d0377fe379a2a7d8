/**
 * The XR store for a room page. Controller and hand models come from our own
 * server (`/xr-profiles/`, the @webxr-input-profiles/assets package), never a CDN.
 */
import { createXRStore, type XRStore } from '@react-three/xr';

export const INPUT_PROFILES_PATH = '/xr-profiles/';

export type RoomXRStore = XRStore;

export function createRoomXRStore(): RoomXRStore {
  return createXRStore({
    // Our own test path installs an emulator explicitly (see emulation.ts); never inject one.
    emulate: false,
    offerSession: false,
    baseAssetPath: INPUT_PROFILES_PATH,
  });
}

/** Resolves whether the browser offers a session mode (false when WebXR is absent). */
export async function isSessionSupported(mode: XRSessionMode): Promise<boolean> {
  const xr = typeof navigator === 'undefined' ? undefined : navigator.xr;
  if (!xr) return false;
  try {
    return await xr.isSessionSupported(mode);
  } catch {
    return false;
  }
}
