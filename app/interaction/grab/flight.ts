/**
 * A thrown object's flight (docs/interaction.md THROW2, THROW3): a simple,
 * deterministic ballistic path, not a physics engine. The thrower's page runs
 * it and streams the result like a held object; everyone else only draws the
 * stream, so every peer sees the same landing.
 *
 *   THROW2 gravity pulls the object down until its bottom meets the surface
 *          below it (the floor, or the top of a @collidable); it bounces with
 *          RESTITUTION, slides with FRICTION per bounce and comes to rest when
 *          slower than REST_SPEED on a surface.
 *   THROW3 a flight that falls FALL_LIMIT below the floor, or lasts MAX_FLIGHT_MS,
 *          ends; an object that fell out of the room goes back where it was
 *          picked up.
 */
import { Quaternion, Vector3 } from 'three';
import type { Pose } from '../pose.ts';

const GRAVITY = 9.81;
const RESTITUTION = 0.3;
/** Horizontal speed kept per bounce (and per second while sliding). */
const FRICTION = 0.6;
export const REST_SPEED = 0.15;
/** Below this release speed, letting go just puts the object down where it is. */
export const MIN_THROW_SPEED = 0.3;
export const MAX_FLIGHT_MS = 6000;
export const FALL_LIMIT = -20;
/** Integration step: frames can be long on a slow device, the path must not depend on it. */
const STEP_S = 1 / 120;

/** Height of the surface under (x, z), looking down from y; -Infinity when there is none. */
export type SurfaceBelow = (x: number, y: number, z: number) => number;

export type FlightEnd = 'flying' | 'rest' | 'timeout' | 'fell';

const spin = new Quaternion();
const axis = new Vector3();

export class Flight {
  readonly pose: Pose = { position: new Vector3(), quaternion: new Quaternion() };
  readonly velocity = new Vector3();
  readonly angular = new Vector3();
  private elapsedMs = 0;
  private onSurface = false;

  /**
   * @param bottom distance from the object's origin down to its lowest point (m)
   */
  constructor(
    start: Pose,
    linear: Vector3,
    angular: Vector3,
    private readonly bottom: number,
    private readonly surfaceBelow: SurfaceBelow,
  ) {
    this.pose.position.copy(start.position);
    this.pose.quaternion.copy(start.quaternion);
    this.velocity.copy(linear);
    this.angular.copy(angular);
  }

  /** Advances by `dtMs`; says whether it is still flying or how it ended. */
  step(dtMs: number): FlightEnd {
    let remaining = Math.max(0, Math.min(dtMs, 250)) / 1000;
    while (remaining > 1e-9) {
      const dt = Math.min(STEP_S, remaining);
      remaining -= dt;
      this.elapsedMs += dt * 1000;
      const end = this.integrate(dt);
      if (end !== 'flying') return end;
    }
    return this.elapsedMs >= MAX_FLIGHT_MS ? 'timeout' : 'flying';
  }

  private integrate(dt: number): FlightEnd {
    const p = this.pose.position;
    const v = this.velocity;
    const surface = this.surfaceBelow(p.x, p.y - this.bottom + 0.01, p.z);
    v.y -= GRAVITY * dt;
    p.addScaledVector(v, dt);
    this.rotate(dt);
    if (Number.isFinite(surface) && p.y - this.bottom <= surface) {
      p.y = surface + this.bottom;
      if (v.y < 0) v.y = -v.y * RESTITUTION;
      const keep = this.onSurface ? FRICTION ** (dt * 4) : FRICTION;
      v.x *= keep;
      v.z *= keep;
      this.angular.multiplyScalar(keep);
      this.onSurface = true;
      // Small bounces end: the object settles on the surface.
      if (v.y < 0.5) v.y = 0;
      if (v.length() < REST_SPEED) {
        v.set(0, 0, 0);
        return 'rest';
      }
    } else if (p.y - this.bottom > surface + 0.02) {
      this.onSurface = false;
    }
    if (p.y < FALL_LIMIT) return 'fell';
    return 'flying';
  }

  private rotate(dt: number): void {
    const rate = this.angular.length();
    if (rate < 1e-6) return;
    axis.copy(this.angular).divideScalar(rate);
    spin.setFromAxisAngle(axis, rate * dt);
    this.pose.quaternion.premultiply(spin).normalize();
  }
}
