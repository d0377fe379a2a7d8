/**
 * What a room needs only in a headset: controllers and hands with their
 * locomotion (XR1-XR3, LOCO1-LOCO5), the teleport arc, the comfort vignette
 * (COMFORT3) and the in-world menu (MENU1-MENU6). Its own chunk, loaded with
 * the XR layer where the browser offers an immersive session
 * (docs/performance.md LOAD12): `room.loadXR()`; a room without it has no
 * headset input.
 *
 * @example
 *   const xr = new RoomXR({ interaction: () => room.interaction, cast, comfort: () => settings });
 *   xr.frame(xrFrame, space, origin, camera, dt, floorRadius); // room.frame() step 1
 *   xr.dispose();
 */
import { type Object3D, type PerspectiveCamera, Vector3 } from 'three';
import { ComfortVignette } from '../interaction/input/comfort-vignette.ts';
import { TeleportArcDrawing } from '../interaction/input/teleport-arc-drawing.ts';
import { XRControls } from '../interaction/input/xr-controls.ts';
import type { Comfort } from '../interaction/move/comfort.ts';
import type { Rig } from '../interaction/move/locomotion.ts';
import type { SegmentCast } from '../interaction/move/teleport-arc.ts';
import type { RoomInteraction } from '../interaction/room-interaction.ts';
import { XRMenu } from './xr-menu.ts';

export interface RoomXROptions {
  interaction: () => RoomInteraction | undefined;
  /** Where a teleport arc meets the scene. */
  cast: SegmentCast;
  /** This device's comfort settings now (COMFORT1-COMFORT3). */
  comfort: () => Comfort;
}

export class RoomXR {
  readonly controls: XRControls;
  readonly teleportArc: TeleportArcDrawing;
  /** Darkens the view's edges while moving smoothly, if chosen (COMFORT3). */
  readonly vignette: ComfortVignette;
  /** The in-world menu (MENU1-MENU6). */
  readonly menu = new XRMenu();

  constructor(options: RoomXROptions) {
    const rig: Rig = { position: new Vector3(), yaw: 0, scale: 1 };
    this.controls = new XRControls(rig, options.interaction, options.cast, options.comfort);
    this.teleportArc = new TeleportArcDrawing(this.controls);
    this.vignette = new ComfortVignette(this.controls, options.comfort);
  }

  /**
   * ROOM1 step 1 in a headset: controllers and hands move the person, grab and
   * aim; then the in-world menu's button (MENU1), with the head where this
   * frame's pose put it; then the arc and the vignette are drawn. Outside XR
   * (`xrFrame` undefined) only the drawings update (they hide).
   */
  frame(
    xrFrame: XRFrame | undefined,
    space: XRReferenceSpace | null,
    origin: Object3D | undefined,
    camera: PerspectiveCamera | undefined,
    dt: number,
    floorRadius: number,
  ): void {
    if (xrFrame && space && origin) this.controls.frame(xrFrame, space, origin, dt, floorRadius);
    if (xrFrame && camera) this.menu.frame(xrFrame, camera, this.controls.hands);
    this.teleportArc.draw();
    this.vignette.draw();
  }

  dispose(): void {
    this.teleportArc.dispose();
    this.vignette.dispose();
  }
}
