/**
 * Per-frame behaviour of `@animated` (spin, bob, pulse, sway) and `@glowing`
 * (TRAIT1, TRAIT2): one list walked each frame that writes numbers into
 * objects and materials. Nothing is allocated per frame: entries are plain
 * records in arrays (removed by swapping with the last), bases are copied once.
 * Removing an entry leaves the object as it is; the component that added it
 * puts its current script values back (it knows them, this list does not).
 */
import type { Object3D } from 'three';
import type { AnimationKind, LocalTransform } from '../model/scene-model.ts';

const DEG = Math.PI / 180;
const TAU = Math.PI * 2;

interface Motion {
  object: Object3D;
  kind: AnimationKind;
  axis: 0 | 1 | 2;
  speed: number;
  amplitude: number;
  /** Script transform: position, rotation (radians), scale. */
  base: Float64Array;
  phase: number;
}

/** What a glow pulses: a material, or one instance of a batch (app/render/scene/mesh-batches.ts). */
export interface GlowTarget {
  emissiveIntensity: number;
}

interface Glow {
  material: GlowTarget;
  base: number;
  pulse: number;
  phase: number;
}

/** A stable phase per id, so neighbouring objects do not move in lockstep. */
function phaseOf(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return (hash % 1000) / 1000;
}

export class Behaviours {
  private readonly motions: Motion[] = [];
  private readonly glows: Glow[] = [];

  get size(): number {
    return this.motions.length + this.glows.length;
  }

  addMotion(
    id: string,
    object: Object3D,
    transform: LocalTransform,
    animation: { kind: AnimationKind; axis: 'x' | 'y' | 'z'; speed: number; amplitude: number },
  ): () => void {
    const base = new Float64Array(9);
    base.set(transform.position, 0);
    base.set(
      transform.rotation.map((angle) => angle * DEG),
      3,
    );
    base.set(transform.scale, 6);
    const axis = animation.axis === 'x' ? 0 : animation.axis === 'z' ? 2 : 1;
    const entry: Motion = {
      object,
      kind: animation.kind,
      axis,
      speed: animation.speed,
      amplitude: animation.amplitude,
      base,
      phase: phaseOf(id),
    };
    this.motions.push(entry);
    return () => this.remove(this.motions, entry);
  }

  /** Pulses `material` around `base`; the caller sets the resting value again when it removes the glow. */
  addGlow(id: string, material: GlowTarget, base: number, pulse: number): () => void {
    const entry: Glow = { material, base, pulse, phase: phaseOf(id) };
    this.glows.push(entry);
    return () => this.remove(this.glows, entry);
  }

  /**
   * Writes this frame's values; `seconds` is room time (CLOCK1: epoch seconds on the room
   * clock, about 1.8e9). Turns and cycles are taken modulo one before they become angles, so
   * the numbers written stay small and exact.
   */
  tick(seconds: number): void {
    for (let i = 0; i < this.motions.length; i++) {
      const m = this.motions[i] as Motion;
      const b = m.base;
      const cycle = ((seconds * m.speed + m.phase) % 1) * TAU;
      switch (m.kind) {
        case 'spin': {
          const angle = (b[3 + m.axis] as number) + ((seconds * m.speed) % 360) * DEG;
          if (m.axis === 0) m.object.rotation.x = angle;
          else if (m.axis === 1) m.object.rotation.y = angle;
          else m.object.rotation.z = angle;
          break;
        }
        case 'bob': {
          const offset = Math.sin(cycle) * m.amplitude;
          if (m.axis === 0) m.object.position.x = (b[0] as number) + offset;
          else if (m.axis === 1) m.object.position.y = (b[1] as number) + offset;
          else m.object.position.z = (b[2] as number) + offset;
          break;
        }
        case 'pulse': {
          const k = 1 + Math.sin(cycle) * m.amplitude;
          m.object.scale.set((b[6] as number) * k, (b[7] as number) * k, (b[8] as number) * k);
          break;
        }
        case 'sway': {
          const angle = (b[3 + m.axis] as number) + Math.sin(cycle) * m.amplitude * DEG;
          if (m.axis === 0) m.object.rotation.x = angle;
          else if (m.axis === 1) m.object.rotation.y = angle;
          else m.object.rotation.z = angle;
          break;
        }
      }
    }
    for (let i = 0; i < this.glows.length; i++) {
      const g = this.glows[i] as Glow;
      if (g.pulse > 0)
        g.material.emissiveIntensity = g.base * (0.85 + 0.15 * Math.sin(((seconds * g.pulse + g.phase) % 1) * TAU));
    }
  }

  private remove<T>(list: T[], entry: T): void {
    const index = list.indexOf(entry);
    if (index < 0) return;
    list[index] = list[list.length - 1] as T;
    list.pop();
  }
}
