/**
 * Moving a person through the room in a headset (docs/interaction.md
 * LOCO1-LOCO6). The person's XR origin (their "rig": where the tracked space
 * sits in the room) moves; the head moves inside it as the person walks.
 *
 *   LOCO1 smooth move: the left thumbstick moves the rig where the head looks
 *         (horizontally) at MOVE_SPEED × scale, past a radial dead zone.
 *   LOCO2 snap turn: the right thumbstick pushed sideways past SNAP_PRESS turns
 *         the chosen angle (comfort.ts, 30° by default; 0 = off) about the head
 *         (the head stays where it is); it turns again only after returning
 *         inside SNAP_RELEASE.
 *   LOCO4 the head stays within the room's floor radius.
 *   LOCO6 the room's `scale` (the size of a person in it) scales the rig and speeds.
 * Teleporting (LOCO3) is in teleport-arc.ts; `teleportRig` places the rig.
 */
import { Vector3 } from 'three';

export const MOVE_SPEED = 2;
const STICK_DEADZONE = 0.15;
const SNAP_PRESS = 0.7;
const SNAP_RELEASE = 0.35;
/** Longer frames than this count as this long, so a stall does not fling anyone across the room. */
const MAX_STEP_MS = 100;

/** The XR origin: on the floor, turned by `yaw` (radians, counter-clockwise seen from above), scaled. */
export interface Rig {
  position: Vector3;
  yaw: number;
  scale: number;
}

const scratch = new Vector3();

/** The stick past the dead zone, rescaled so motion starts smoothly at its edge; 0 inside it. */
export function applyDeadzone(value: number, magnitude: number): number {
  if (magnitude <= STICK_DEADZONE) return 0;
  const scaled = (Math.min(1, magnitude) - STICK_DEADZONE) / (1 - STICK_DEADZONE);
  return (value / magnitude) * scaled;
}

/**
 * LOCO1: moves the rig by the stick (x right, y down as gamepads report it)
 * relative to the head's heading `headYaw` (world). Returns true when it moved.
 */
export function smoothMove(rig: Rig, headYaw: number, stickX: number, stickY: number, dtMs: number): boolean {
  const magnitude = Math.hypot(stickX, stickY);
  const x = applyDeadzone(stickX, magnitude);
  const y = applyDeadzone(stickY, magnitude);
  if (x === 0 && y === 0) return false;
  const distance = (MOVE_SPEED * rig.scale * Math.min(dtMs, MAX_STEP_MS)) / 1000;
  const sin = Math.sin(headYaw);
  const cos = Math.cos(headYaw);
  // Forward is -Z turned by the heading; right is +X turned by it. Stick up (y < 0) is forward.
  rig.position.x += (-sin * -y + cos * x) * distance;
  rig.position.z += (-cos * -y - sin * x) * distance;
  return true;
}

/** LOCO2: one turn per push of the stick, with hysteresis. */
export class SnapTurn {
  private armed = true;

  /** The angle to turn now (radians; right is negative), or 0; `degrees` is the chosen step, 0 = off. */
  update(stickX: number, degrees: number): number {
    const magnitude = Math.abs(stickX);
    if (!this.armed) {
      if (magnitude < SNAP_RELEASE) this.armed = true;
      return 0;
    }
    if (magnitude < SNAP_PRESS || degrees === 0) return 0;
    this.armed = false;
    return (stickX > 0 ? -1 : 1) * ((degrees * Math.PI) / 180);
  }
}

/** Turns the rig by `angle` about the vertical line through `head` (world), so the head stays put. */
export function turnAboutHead(rig: Rig, head: Vector3, angle: number): void {
  const dx = rig.position.x - head.x;
  const dz = rig.position.z - head.z;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  rig.position.x = head.x + dx * cos + dz * sin;
  rig.position.z = head.z - dx * sin + dz * cos;
  rig.yaw += angle;
}

/**
 * LOCO3: moves the rig so the head ends above `target` (on the surface there):
 * `headInRig` is the head's position inside the rig (tracked space, unscaled).
 */
export function teleportRig(rig: Rig, target: Vector3, headInRig: Vector3): void {
  scratch.set(headInRig.x, 0, headInRig.z).multiplyScalar(rig.scale);
  scratch.applyAxisAngle(UP, rig.yaw);
  rig.position.set(target.x - scratch.x, target.y, target.z - scratch.z);
}

/** LOCO4: pulls the rig back so the head (world) is within `radius` of the room's centre. */
export function keepHeadOnFloor(rig: Rig, head: Vector3, radius: number): boolean {
  const distance = Math.hypot(head.x, head.z);
  if (distance <= radius || distance === 0) return false;
  const pull = (distance - radius) / distance;
  rig.position.x -= head.x * pull;
  rig.position.z -= head.z * pull;
  return true;
}

/** Heading (yaw, radians) of a rotation's forward (-Z) direction projected on the floor. */
export function headingOf(forward: Vector3): number {
  return Math.atan2(-forward.x, -forward.z);
}

const UP = new Vector3(0, 1, 0);
