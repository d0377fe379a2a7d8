import { useThree } from '@react-three/fiber';
import { type ReactNode, useEffect, useLayoutEffect, useMemo } from 'react';
import type { PerspectiveCamera, Scene } from 'three';
import type { Room } from '../../room/open-room.ts';
import type { CameraSpec, SceneModel } from '../../scene/model/scene-model.ts';
import { useStore } from '../use-store.ts';
import { useXRSessionState } from '../xr-session-state.ts';
import { MeshBatches } from './mesh-batches.ts';
import { SceneEnvironment } from './SceneEnvironment.tsx';
import { SceneNodeView } from './SceneNodeView.tsx';
import { SceneContext, type SceneRenderContext } from './scene-context.ts';

function hasOwnLights(model: SceneModel): boolean {
  for (const node of model.byId.values()) {
    if (node.kind === 'light' && node.light.type !== 'ambient' && node.light.type !== 'hemisphere') return true;
  }
  return false;
}

/** CAM1: a scene's camera sets the desktop view when it changes (never in XR). */
function CameraStart({ camera }: { camera: CameraSpec | null }) {
  const view = useThree((state) => state.camera) as PerspectiveCamera;
  const inXR = useXRSessionState((xr) => xr.session != null);
  const key = camera ? JSON.stringify(camera) : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the camera's values.
  useEffect(() => {
    if (!camera || inXR) return;
    view.position.set(...camera.position);
    view.lookAt(...camera.target);
    if (view.isPerspectiveCamera) {
      view.fov = camera.fov;
      view.updateProjectionMatrix();
    }
  }, [key, view]);
  return null;
}

/**
 * DRAW2: the batches opaque meshes are drawn in (none with `?draw=plain`), written before every
 * render of the scene: after three has updated world matrices, before it draws anything. A layout
 * effect, so it is installed before RoomFrame's shadow cache (DRAW3), which runs it first and then
 * sees where the batches' instances are.
 */
function useBatches(room: Room): MeshBatches | null {
  const scene = useThree((state) => state.scene);
  const batches = useMemo(() => (room.drawing === 'batched' ? new MeshBatches() : null), [room]);
  useLayoutEffect(() => {
    if (!batches) return;
    const previous = scene.onBeforeRender;
    scene.onBeforeRender = function (this: Scene, ...args: Parameters<Scene['onBeforeRender']>) {
      previous.apply(this, args);
      batches.sync(args[2], args[0].domElement.height);
    };
    return () => {
      scene.onBeforeRender = previous;
    };
  }, [scene, batches]);
  return batches;
}

/**
 * The scene from the room's script (app/scene/runtime): environment and nodes.
 * Until the first good parse, and for scripts without an `environment` block,
 * `fallbackEnvironment` (the default room) is drawn. Nodes register their
 * objects with the room, which animates and moves them in its frame.
 */
export function SceneLayer({ room, fallbackEnvironment }: { room: Room; fallbackEnvironment: ReactNode }) {
  const runtime = room.scene;
  const view = useStore(runtime.view);
  const { behaviours, objects: registry, focus } = room;
  const batches = useBatches(room);

  const model = view.model;
  const shadows = model?.environment.shadows ?? true;
  const context = useMemo<SceneRenderContext>(
    () => ({ runtime, behaviours, registry, focus, shadows, batches }),
    [runtime, behaviours, registry, focus, shadows, batches],
  );
  const lights = useMemo(() => (model ? hasOwnLights(model) : false), [model]);
  return (
    <SceneContext.Provider value={context}>
      {model?.environment.declared ? (
        <SceneEnvironment env={model.environment} hasLights={lights} />
      ) : (
        fallbackEnvironment
      )}
      {model && <CameraStart camera={model.camera} />}
      {batches && <primitive object={batches.root} />}
      <group name="scene-root">
        {model?.roots.map((node) => (
          <SceneNodeView key={node.id} node={node} />
        ))}
      </group>
    </SceneContext.Provider>
  );
}
