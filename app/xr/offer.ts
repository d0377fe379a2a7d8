/**
 * XR is loaded only where it can be used (docs/performance.md, LOAD4): the XR
 * store, its input (controllers, hands, rays: @react-three/xr, @pmndrs/xr,
 * @pmndrs/pointer-events) and the glTF loader for controller models are a
 * chunk fetched when the browser offers an immersive session. Everyone else
 * (a laptop, a phone without WebXR) never downloads them.
 */
import type { RoomXRStore } from './xr-store.ts';

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

/** The room page's XR store when the browser offers immersive VR or AR, else undefined. */
export async function loadXRStoreIfOffered(): Promise<RoomXRStore | undefined> {
  const [vr, ar] = await Promise.all([isSessionSupported('immersive-vr'), isSessionSupported('immersive-ar')]);
  if (!vr && !ar) return undefined;
  const { createRoomXRStore } = await import('./xr-store.ts');
  return createRoomXRStore();
}
