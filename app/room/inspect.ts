/**
 * A read-only look at a live room for browser tests, benchmarks and curious
 * developers: `room.inspect()`, which a room page also puts on
 * `window.__holoroom` (app/room/page.ts). It holds nothing the page owner
 * cannot see, and it is the one place tests reach into a page.
 *
 * @example
 *   // in a browser test
 *   await page.evaluate(() => window.__holoroom?.frameStats.frames);
 */

import type { ConnectTimeline } from '../core/connect-timeline.ts';
import type { RoomId } from '../core/ids.ts';
import type { XRControls } from '../interaction/input/xr-controls.ts';
import type { Comfort } from '../interaction/move/comfort.ts';
import type { DesktopView } from '../interaction/move/desktop-view.ts';
import type { SceneObjectRegistry } from '../interaction/object-registry.ts';
import type { RoomInteraction } from '../interaction/room-interaction.ts';
import type { RoomPhysics } from '../physics/room-physics.ts';
import type { ScriptParser } from '../scene/parser/parser.ts';
import type { SceneRuntime } from '../scene/runtime/scene-runtime.ts';
import type { RoomSession } from '../sync/room-session.ts';
import type { VoiceInspection } from '../voice/voice-chat.ts';
import type { RenderedAvatar } from './avatars.ts';
import type { FramePacing } from './frame-pacing.ts';
import type { FrameResolution } from './frame-resolution.ts';
import type { FrameStats } from './frame-stats.ts';
import type { PoseLinks } from './pose-links.ts';
import type { RenderDemand } from './render-demand.ts';
import type { RoomClockInspection } from './room-clock.ts';
import type { XRMenuItem } from './xr-menu.ts';
import type { XRSessionSource } from './xr-session.ts';

export interface RoomInspection {
  roomId: RoomId;
  /** The room document and its providers. */
  session: RoomSession;
  /** The live scene: parse(script) + object state. */
  scene: SceneRuntime;
  /** Drawn scene objects by id. */
  sceneObjects: SceneObjectRegistry;
  /** The 60 Hz pose channel and its transports. */
  pose: PoseLinks;
  /** Grabbing, holding and throwing shared objects. */
  interaction: RoomInteraction;
  /** `@physics` bodies: who simulates which, counters (PHYS4-PHYS7). */
  physics: RoomPhysics | undefined;
  /** The physics now, loading its code first if no scene has had a body yet (LOAD15). */
  loadPhysics(): Promise<RoomPhysics | undefined>;
  /** The desktop and phone view (where the camera stands outside XR). */
  view: DesktopView;
  /** Controllers, hands and locomotion in a headset, once loaded with the XR layer (performance.md LOAD12). */
  readonly xr: XRControls | undefined;
  /** The page's XR session store, once it has one (it is handed over after the room opened, ROOM10). */
  readonly xrStore: XRSessionSource | undefined;
  frameStats: FrameStats;
  /** The room clock as of the last frame: its offset from this page's clock, whose clock it follows (CLOCK1). */
  roomClock(): RoomClockInspection;
  /** When each phase of joining happened, from the session's start (`timeline.relative()`). */
  timeline: ConnectTimeline;
  /** Which display frames are drawn; `held` counts the ones held back while joining (ROOM4). */
  framePacing: FramePacing;
  /** Whether the room needs frames at all: wakes per reason and display frames left undrawn (ROOM5). */
  renderDemand: RenderDemand;
  /** The drawing buffer's scale now and the steps taken down and up (DRAW7). */
  resolution: Pick<FrameResolution, 'scale' | 'stepsDown' | 'stepsUp'>;
  /** The room's parser pool (started on first use). */
  parser(): Promise<ScriptParser>;
  /** Where the drawn avatars are right now. */
  avatars(): RenderedAvatar[];
  /** Voice chat, on pages that have it (docs/voice.md), once its code has loaded (performance.md LOAD9). */
  readonly voice: VoiceInspection | undefined;
  /** The in-world menu: open or not, and where its drawn items are (world). */
  xrMenu: {
    open(): boolean;
    items(): XRMenuItem[];
    /** The item drawn highlighted, and whether a fingertip (MENU6) or a ray hovers it. */
    hovered(): { id: string; by: 'fingertip' | 'ray' } | undefined;
  };
  /** This device's comfort settings as the room uses them now, and whether the vignette shows (COMFORT1-COMFORT3). */
  comfort: { settings(): Comfort; vignetteShown(): boolean };
  /** A world point in the XR origin's space (what an emulated controller's position means). */
  toXRSpace(point: [number, number, number]): [number, number, number];
}

declare global {
  interface Window {
    __holoroom?: RoomInspection;
  }
}
