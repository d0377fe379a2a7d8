/**
 * What a handler run reads (the scene as everyone sees it now) and what it
 * changes (kept aside until the handler finishes, INT4): reads see the run's
 * own pending changes first, so `state.n += 1; state.n += 1` adds 2.
 */

import type { ObjectId } from '../../core/ids.ts';
import type { JsonValue, Transform } from '../../sync/doc/object-state.ts';
import { livePropValue } from '../model/read-live-props.ts';
import type { SceneModel, SceneNode } from '../model/scene-model.ts';

export type Effect =
  | { kind: 'state'; id: ObjectId; key: string; value: JsonValue }
  | { kind: 'prop'; id: ObjectId; key: string; value: JsonValue }
  | { kind: 'transform'; id: ObjectId; transform: Transform }
  | { kind: 'reset'; id: ObjectId }
  | { kind: 'spawn'; id: ObjectId; of: string; transform: Transform }
  | { kind: 'remove'; id: ObjectId }
  | { kind: 'sound'; url: string }
  | { kind: 'log'; message: string };

/** The scene a handler runs in: the merged model (script + room state) and the script's own. */
export interface World {
  current: SceneModel;
  script: SceneModel;
}

export class Pending {
  readonly effects: Effect[] = [];
  private readonly state = new Map<string, Map<string, JsonValue>>();
  private readonly props = new Map<string, Map<string, JsonValue>>();
  private readonly transforms = new Map<string, Transform>();
  private readonly resets = new Set<string>();
  private readonly removed = new Set<string>();
  spawned = 0;

  constructor(private readonly world: World) {}

  node(id: ObjectId): SceneNode | undefined {
    if (this.removed.has(id)) return undefined;
    return this.resets.has(id) ? this.world.script.byId.get(id) : this.world.current.byId.get(id);
  }

  readState(id: ObjectId, key: string): JsonValue | undefined {
    const pending = this.state.get(id);
    if (pending?.has(key)) return pending.get(key);
    if (id === '@scene') return (this.resets.has(id) ? this.world.script : this.world.current).sceneState.get(key);
    return this.node(id)?.state.get(key);
  }

  readProp(id: ObjectId, key: string): JsonValue | undefined {
    const pending = this.props.get(id);
    if (pending?.has(key)) return pending.get(key);
    const node = this.node(id);
    return node ? livePropValue(node, key) : undefined;
  }

  readTransform(id: ObjectId): Transform | undefined {
    const pending = this.transforms.get(id);
    if (pending) return pending;
    const node = this.node(id);
    return node ? node.transform : undefined;
  }

  setState(id: ObjectId, key: string, value: JsonValue): void {
    const map = this.state.get(id) ?? new Map<string, JsonValue>();
    this.state.set(id, map);
    map.set(key, value);
    this.effects.push({ kind: 'state', id, key, value });
  }

  setProp(id: ObjectId, key: string, value: JsonValue): void {
    const map = this.props.get(id) ?? new Map<string, JsonValue>();
    this.props.set(id, map);
    map.set(key, value);
    this.effects.push({ kind: 'prop', id, key, value });
  }

  setTransform(id: ObjectId, transform: Transform): void {
    this.transforms.set(id, transform);
    this.effects.push({ kind: 'transform', id, transform });
  }

  reset(id: ObjectId): void {
    this.state.delete(id);
    this.props.delete(id);
    this.transforms.delete(id);
    this.resets.add(id);
    this.effects.push({ kind: 'reset', id });
  }

  remove(id: ObjectId): void {
    this.removed.add(id);
    this.effects.push({ kind: 'remove', id });
  }

  spawn(id: ObjectId, of: string, transform: Transform): void {
    this.spawned++;
    this.effects.push({ kind: 'spawn', id, of, transform });
  }

  /** Effects that change the room document (not sounds or logs). */
  get writes(): number {
    return this.effects.filter((effect) => effect.kind !== 'sound' && effect.kind !== 'log').length;
  }
}
