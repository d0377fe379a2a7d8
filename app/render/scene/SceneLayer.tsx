import { useThree } from '@react-three/fiber';
import { type ReactNode, useEffect, useLayoutEffect, useMemo, useState } from 'react';
import type { PerspectiveCamera, Scene } from 'three';
import { afterRoomInteractive } from '../../room/frame-stats.ts';
import type { Room } from '../../room/open-room.ts';
import type { CameraSpec, SceneModel } from '../../scene/model/scene-model.ts';
import { useStore } from '../use-store.ts';
import { useXRSessionState } from '../xr-session-state.ts';
import type { MeshBatches } from './mesh-batches.ts';
import { lowDetailGeometry, primitiveGeometry } from './primitive-geometry.ts';
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

/** The lazily loaded drawing code and the room's batches made with it. */
interface BatchedDrawing {
  batches: MeshBatches;
  cacheShadows: typeof import('../batched-drawing.ts').cacheShadows;
}

/** LOAD24: a room that is not interactive this long after it opened switches to batches anyway. */
const BATCHES_LATEST_MS = 10_000;

/**
 * DRAW2-DRAW4: the batches opaque meshes are drawn in, and DRAW3's shadow cache. Their code loads
 * once the room is interactive (LOAD24, batched-drawing.ts): until then, and with `?draw=plain`,
 * this is null and every mesh is drawn on its own. Then one state change switches the whole scene
 * to batches in one React commit: the nodes keep their groups (what picking, grabbing and focus
 * hold), and each mesh becomes its batch's proxy before the next frame is drawn.
 *
 * The batches are written before every render of the scene (the scene's `onBeforeRender`): after
 * three has updated world matrices, before it draws anything. The shadow cache is installed after
 * them, so it runs them first and then sees where the batches' instances are.
 */
function useBatches(room: Room): MeshBatches | null {
  const scene = useThree((state) => state.scene);
  const gl = useThree((state) => state.gl);
  const [drawing, setDrawing] = useState<BatchedDrawing | null>(null);
  useEffect(() => {
    if (room.drawing === 'plain') return;
    let live = true;
    afterRoomInteractive(BATCHES_LATEST_MS)
      .then(() => import('../batched-drawing.ts'))
      .then(
        ({ MeshBatches, cacheShadows }) => {
          if (!live) return;
          setDrawing({ batches: new MeshBatches({ full: primitiveGeometry, low: lowDetailGeometry }), cacheShadows });
        },
        // The scene stays drawn the plain way, which shows the same picture.
        (error: unknown) => console.error(`holoroom: the batched drawing could not load: ${String(error)}`),
      );
    return () => {
      live = false;
    };
  }, [room]);
  useLayoutEffect(() => {
    if (!drawing) return;
    const { batches, cacheShadows } = drawing;
    const previous = scene.onBeforeRender;
    scene.onBeforeRender = function (this: Scene, ...args: Parameters<Scene['onBeforeRender']>) {
      previous.apply(this, args);
      batches.sync(args[2], args[0].domElement.height);
    };
    // DRAW3: shadow maps only when something that casts one changed (runs the batches' sync first).
    const uncache = cacheShadows(gl, scene, { onDraw: () => room.stats.shadowDraws++ });
    room.stats.batched = true;
    return () => {
      room.stats.batched = false;
      uncache();
      scene.onBeforeRender = previous;
    };
  }, [room, scene, gl, drawing]);
  return drawing?.batches ?? null;
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
        <SceneEnvironment env={model.environment} hasLights={lights} stats={room.stats} />
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
