/**
 * The rendered scene is parse(script) + object state (docs/room-doc.md). This
 * lays the room document's per-object entries over a built model
 * (docs/scene-runtime.md MERGE1-MERGE4):
 *
 *   MERGE1 a stored transform replaces the node's script transform (relative
 *          to its parent, like the script's) and marks the node `moved`.
 *   MERGE2 `state.<key>` values replace the script's state defaults;
 *          `prop.<key>` values replace properties (PROP1-PROP3).
 *   MERGE3 `@scene` holds scene-wide state; `@spawn/...` entries with a
 *          `prop.spawnOf` name are objects made by `spawn` (SPAWN1-SPAWN3),
 *          drawn at the top of the scene in id order, at most MAX_SPAWNED.
 *   MERGE4 entries whose id the script does not have are kept but not drawn
 *          (orphans, OBJ3); unchanged nodes keep their identity, so the renderer
 *          redraws only what changed.
 */

import { type ObjectId, objectId } from '../../core/ids.ts';
import type { JsonValue, ObjectState } from '../../sync/doc/object-state.ts';
import { MAX_SPAWNED } from './limits.ts';
import { checkLiveProp, traitOfPropKey } from './live-props.ts';
import { SCENE_STATE_ID, SPAWN_ID_PREFIX } from './object-ids.ts';
import type { LimitNotice, SceneModel, SceneNode } from './scene-model.ts';
import { applyTrait, clearTrait } from './traits.ts';

/** The prop naming what a spawned entry is a copy of (SPAWN1). */
export const SPAWN_OF_PROP = 'spawnOf';

function applyProps(node: SceneNode, props: ReadonlyMap<string, JsonValue>): SceneNode {
  if (props.size === 0) return node;
  const next = { ...node } as SceneNode;
  const material = 'material' in node ? { ...node.material } : undefined;
  let traits = node.traits;
  for (const [key, raw] of props) {
    const checked = checkLiveProp(key, raw);
    if (!checked.ok) continue; // PROP3
    const value = checked.value;
    const trait = traitOfPropKey(key);
    if (trait) {
      traits = { ...traits };
      if (value === false) clearTrait(traits, trait);
      else if (value === true && !traits[trait]) applyTrait(traits, trait, {});
      continue;
    }
    switch (key) {
      case 'visible':
        next.visible = value as boolean;
        break;
      case 'label':
        next.label = value as string | null;
        break;
      case 'text':
        if (next.kind === 'text') next.text = { ...next.text, text: value as string };
        break;
      case 'intensity':
        if (next.kind === 'light') next.light = { ...next.light, intensity: value as number };
        break;
      case 'color':
        if (next.kind === 'light') next.light = { ...next.light, color: value as string };
        else if (next.kind === 'text') next.text = { ...next.text, color: value as string };
        else if (material) material.color = value as string;
        break;
      default:
        if (material) (material as unknown as Record<string, JsonValue>)[key] = value;
    }
  }
  next.traits = traits;
  if (material && 'material' in next) next.material = material;
  return next;
}

function applyEntry(node: SceneNode, entry: ObjectState): SceneNode {
  let next = applyProps(node, entry.props);
  if (next === node) next = { ...node };
  if (entry.transform) {
    next.transform = entry.transform;
    next.moved = true;
  }
  next.owner = entry.owner;
  if (entry.state.size > 0) next.state = new Map([...node.state, ...entry.state]);
  return next;
}

/** Copies a prototype subtree under a new root id (SPAWN2). */
function reId(node: SceneNode, fromPrefix: ObjectId, toPrefix: ObjectId): SceneNode {
  const id = node.id === fromPrefix ? toPrefix : objectId(`${toPrefix}${node.id.slice(fromPrefix.length)}`);
  return { ...node, id, spawned: true, children: node.children.map((child) => reId(child, fromPrefix, toPrefix)) };
}

export function mergeObjectStates(model: SceneModel, states: ReadonlyMap<ObjectId, ObjectState>): SceneModel {
  if (states.size === 0) return model;
  const byId = new Map<ObjectId, SceneNode>();
  const parentOf = new Map(model.parentOf);
  const merge = (node: SceneNode): SceneNode => {
    const children = node.children.map(merge);
    const entry = states.get(node.id);
    let next = node;
    if (children.some((child, i) => child !== node.children[i])) next = { ...node, children };
    if (entry) next = applyEntry(next, entry);
    byId.set(next.id, next);
    return next;
  };
  const roots = model.roots.map(merge);

  const limits: LimitNotice[] = [...model.limits];
  const spawnIds = [...states.keys()].filter((id) => id.startsWith(SPAWN_ID_PREFIX)).sort();
  let spawned = 0;
  for (const id of spawnIds) {
    const entry = states.get(id) as ObjectState;
    const of = entry.props.get(SPAWN_OF_PROP);
    const prototype = typeof of === 'string' ? model.spawnables.get(of) : undefined;
    if (!prototype) continue;
    if (spawned >= MAX_SPAWNED) {
      limits.push({ rule: 'LIMIT6', message: `Only ${MAX_SPAWNED} spawned objects are drawn.` });
      break;
    }
    spawned++;
    const copy = reId(prototype, prototype.id, id);
    const placed = applyEntry(copy, entry);
    const index = (node: SceneNode, parent: ObjectId | null) => {
      byId.set(node.id, node);
      if (parent !== null) parentOf.set(node.id, parent);
      for (const child of node.children) index(child, node.id);
    };
    index(placed, null);
    roots.push(placed);
  }

  const sceneEntry = states.get(SCENE_STATE_ID);
  const sceneState =
    sceneEntry && sceneEntry.state.size > 0 ? new Map([...model.sceneState, ...sceneEntry.state]) : model.sceneState;
  return { ...model, roots, byId, parentOf, sceneState, limits };
}
