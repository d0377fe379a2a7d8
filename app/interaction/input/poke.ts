/**
 * Pressing flat buttons with a fingertip (docs/interaction.md MENU6): the
 * index fingertip of a tracked hand presses a button by touching its face
 * from the front, like a physical button. Plain TypeScript over three.js
 * vectors; the in-world menu runs one `Fingertip` per hand every XR frame.
 *
 * - Hover: the tip is over the face (within its edges) and at most
 *   `POKE_HOVER_M` in front of it.
 * - Press: the tip reaches `POKE_PRESS_M` from the face, or goes into it up
 *   to `POKE_DEPTH_M`, having been further out in front of that face in the
 *   frame before. A tip that came through from behind, or slid in from a side
 *   behind the face, never presses.
 * - Hysteresis: after a press the tip presses nothing more until it is clear
 *   of every face: at least `POKE_RELEASE_M` out in front, off the face's
 *   edges, or deeper than `POKE_DEPTH_M` behind. A finger that rests on a
 *   button, trembles at the press depth, or goes through the menu and back
 *   presses once.
 *
 * @example
 *   const right = new Fingertip();
 *   const pressed = right.update(tipWorldPosition, faces); // the id pressed this frame, if any
 */
import { Vector3 } from 'three';

/** The tip presses when it comes this close to a face (or into it), metres. */
export const POKE_PRESS_M = 0.01;
/** After a press, the tip must go back this far in front (or off the face) before it can press again. */
export const POKE_RELEASE_M = 0.03;
/** The tip hovers a face from this close in front of it. */
export const POKE_HOVER_M = 0.06;
/** Deeper than this behind a face the tip is not touching it (the hand is through the menu). */
export const POKE_DEPTH_M = 0.05;
/** How far past a face's edges the tip still counts as over it. */
const EDGE_M = 0.005;

/** A button's face: a rectangle centred on its origin in its own XY plane, facing its +Z. */
export interface PokeFace {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** A world point in the face's frame (x right, y up, z out of the face, metres), into `target`. */
  toLocal(world: Vector3, target: Vector3): Vector3;
}

const local = new Vector3();

function over(face: PokeFace, point: Vector3): boolean {
  return Math.abs(point.x) <= face.width / 2 + EDGE_M && Math.abs(point.y) <= face.height / 2 + EDGE_M;
}

/** One fingertip's presses: which face it hovers, and when it presses one (with hysteresis). */
export class Fingertip {
  /** The face the tip hovers or presses now, if any. */
  hovered: string | undefined;
  private armed = true;
  private readonly previous = new Vector3();
  private hasPrevious = false;

  /** One frame: the tip's world position (undefined while the hand is not tracked). Returns the face pressed now. */
  update(tip: Vector3 | undefined, faces: Iterable<PokeFace>): string | undefined {
    if (!tip) {
      this.reset();
      return undefined;
    }
    let nearest: PokeFace | undefined;
    let nearestDepth = Number.POSITIVE_INFINITY;
    let clear = true;
    for (const face of faces) {
      face.toLocal(tip, local);
      if (!over(face, local) || local.z < -POKE_DEPTH_M) continue;
      if (local.z < POKE_RELEASE_M) clear = false;
      if (local.z <= POKE_HOVER_M && Math.abs(local.z) < nearestDepth) {
        nearest = face;
        nearestDepth = Math.abs(local.z);
      }
    }
    this.hovered = nearest?.id;
    let pressed: string | undefined;
    if (nearest && this.armed && this.hasPrevious) {
      const depth = nearest.toLocal(tip, local).z;
      const before = nearest.toLocal(this.previous, local).z;
      if (depth <= POKE_PRESS_M && before > POKE_PRESS_M) {
        pressed = nearest.id;
        this.armed = false;
      }
    }
    if (clear) this.armed = true;
    this.previous.copy(tip);
    this.hasPrevious = true;
    return pressed;
  }

  /** The hand is gone or the menu closed: nothing hovered, the next touch starts afresh. */
  reset(): void {
    this.hovered = undefined;
    this.hasPrevious = false;
    this.armed = true;
  }
}
