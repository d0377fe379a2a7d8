import type { ObjectId } from '../../core/ids.ts';
import { MAX_LIGHTS, MAX_SCENE_NODES } from './limits.ts';
import type { SceneNode } from './scene-model.ts';

/**
 * Where built nodes go. The drawn scene counts them against its limits
 * (LIMIT1, LIMIT4), indexes them by id, honours explicit ids (ID6) and reports
 * problems; spawn prototypes (SPAWN2) only stop at the node limit, since their
 * templates were reported where the script used them.
 */
export interface BuildTarget {
  readonly reports: boolean;
  readonly explicitIds: boolean;
  /** Room for one more node. */
  admitNode(): boolean;
  /** Room for one more light (besides ambient and hemisphere lights), which it then takes. */
  admitLight(): boolean;
  countNode(): void;
  add(id: ObjectId, node: SceneNode, children: readonly SceneNode[]): void;
}

export class DrawnScene implements BuildTarget {
  readonly reports = true;
  readonly explicitIds = true;
  readonly byId = new Map<ObjectId, SceneNode>();
  readonly parentOf = new Map<ObjectId, ObjectId>();
  private nodes = 0;
  private lights = 0;

  admitNode(): boolean {
    return this.nodes < MAX_SCENE_NODES;
  }

  admitLight(): boolean {
    if (this.lights >= MAX_LIGHTS) return false;
    this.lights++;
    return true;
  }

  countNode(): void {
    this.nodes++;
  }

  add(id: ObjectId, node: SceneNode, children: readonly SceneNode[]): void {
    for (const child of children) this.parentOf.set(child.id, id);
    this.byId.set(id, node);
  }
}

export class Prototypes implements BuildTarget {
  readonly reports = false;
  readonly explicitIds = false;
  private nodes = 0;

  admitNode(): boolean {
    return this.nodes++ < MAX_SCENE_NODES;
  }

  admitLight(): boolean {
    return true;
  }

  countNode(): void {}

  add(): void {}
}
