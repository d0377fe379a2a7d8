/**
 * The XR store for a room page. Controller and hand models come from our own
 * server (`/xr-profiles/`, the @webxr-input-profiles/assets package), never a CDN.
 */
import { createXRStore, type XRStore } from '@react-three/xr';

const INPUT_PROFILES_PATH = '/xr-profiles/';

export type RoomXRStore = XRStore;

/** XR2: a select held up to this long still clicks (docs/interaction.md); longer is a hold. */
const CLICK_THRESHOLD_MS = 5000;

/**
 * The profiles' base as an absolute URL: @pmndrs/xr resolves every file with
 * `new URL(file, baseAssetPath)`, which throws on a bare path, and a thrown
 * error there means no controller or hand model at all.
 */
function inputProfilesBase(pageUrl: string): string {
  return new URL(INPUT_PROFILES_PATH, pageUrl).href;
}

export function createRoomXRStore(): RoomXRStore {
  return createXRStore({
    // Never inject the library's emulator: the browser tests bring their own headset (docs/performance.md LOAD26).
    emulate: false,
    offerSession: false,
    baseAssetPath: inputProfilesBase(window.location.href),
    // Squeeze and pinch grab through the room's own grabbing (ownership, streaming: docs/interaction.md XR1);
    // the library's grab pointer would turn the same gestures into clicks. Rays stay for select and hover (XR2).
    // A trigger pulled and let go on an object is a click however long it took, as WebXR's own `select` event
    // (the library's default of 300 ms misses slow pulls, and every pull on a device rendering a few frames a second).
    controller: { grabPointer: false, teleportPointer: false, rayPointer: { clickThresholdMs: CLICK_THRESHOLD_MS } },
    // A fingertip presses the in-world menu's buttons through the menu's own poke, which has a press depth and
    // hysteresis (MENU6); the library's touch pointer (down and up at one distance) would press them a second time.
    hand: {
      grabPointer: false,
      teleportPointer: false,
      touchPointer: false,
      rayPointer: { clickThresholdMs: CLICK_THRESHOLD_MS },
    },
  });
}
