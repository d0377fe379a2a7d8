import { createContext } from 'react';
import type { ObjectFocus } from '../../interaction/object-focus.ts';
import type { SceneObjectRegistry } from '../../interaction/object-registry.ts';
import type { Behaviours } from '../../scene/runtime/behaviours.ts';
import type { SceneRuntime } from '../../scene/runtime/scene-runtime.ts';
import type { MeshBatches } from './mesh-batches.ts';

/** What every drawn node needs, shared by the layer (so nodes can stay memoized on their data). */
export interface SceneRenderContext {
  runtime: SceneRuntime;
  behaviours: Behaviours;
  registry: SceneObjectRegistry;
  /** Keyboard focus in the view (ACC5): the focused object is highlighted. */
  focus: ObjectFocus;
  /** ENV4: the environment's `shadows`. */
  shadows: boolean;
  /** DRAW2: where opaque meshes are drawn, as instances; null draws every mesh on its own (`?draw=plain`). */
  batches: MeshBatches | null;
}

export const SceneContext = createContext<SceneRenderContext | null>(null);

/** The local hover highlight of the nearest `@hoverable` ancestor (TRAIT4), or null. */
export const HoverHighlight = createContext<{ color: string | null } | null>(null);
