import { useFrame, useThree } from '@react-three/fiber';
import { useXR } from '@react-three/xr';
import { type RefObject, useEffect, useMemo, useRef } from 'react';
import type { PerspectiveCamera } from 'three';
import { DesktopInput } from '../interaction/input/desktop-input.ts';
import type { DesktopView } from '../interaction/move/desktop-view.ts';
import type { RoomBounds } from '../interaction/move/room-bounds.ts';
import { StartPlacement } from '../interaction/move/start-placement.ts';
import { DEFAULT_VIEWPOINT, type Viewpoint } from '../interaction/move/start-points.ts';
import type { RoomInteraction } from '../interaction/room-interaction.ts';
import type { SceneRuntime } from '../scene/runtime/scene-runtime.ts';
import type { RoomSession } from '../sync/room-session.ts';

/** The scene's viewpoint (CAM1), or the default one scaled to the room's people (LOCO6). */
function viewpointOf(runtime: SceneRuntime | undefined, scale: number): Viewpoint {
  const camera = runtime?.view.get().model?.camera;
  if (camera) return { position: [...camera.position], target: [...camera.target] };
  const s = (v: [number, number, number]): [number, number, number] => [v[0] * scale, v[1] * scale, v[2] * scale];
  return { position: s(DEFAULT_VIEWPOINT.position), target: s(DEFAULT_VIEWPOINT.target) };
}

/**
 * Desktop and phone controls (docs/interaction.md DESK1-DESK6): look by
 * dragging, walk with the keyboard, wheel or two fingers, drag @grabbable
 * objects; off while an XR session drives the camera. People start at
 * distinct points (START1-START3).
 */
export function DesktopControls({
  view,
  interaction,
  bounds,
  session,
  runtime,
}: {
  view: DesktopView;
  interaction: RefObject<RoomInteraction | undefined>;
  bounds: RefObject<RoomBounds>;
  session?: RoomSession;
  runtime?: SceneRuntime;
}) {
  const camera = useThree((state) => state.camera) as PerspectiveCamera;
  const element = useThree((state) => state.gl.domElement);
  const inXR = useXR((xr) => xr.session != null);
  const cameraRef = useRef(camera);
  const inXRRef = useRef(inXR);
  if (!inXR) cameraRef.current = camera;
  inXRRef.current = inXR;

  const placement = useMemo(
    () => (session ? new StartPlacement(session.awareness, view, () => !inXRRef.current) : undefined),
    [session, view],
  );
  const input = useMemo(
    () =>
      new DesktopInput({
        element,
        view,
        camera: () => cameraRef.current,
        interaction: () => interaction.current,
        bounds: () => bounds.current,
        enabled: () => !inXRRef.current,
        onMoved: () => placement?.settle(),
      }),
    [element, view, interaction, bounds, placement],
  );
  useEffect(() => input.attach(), [input]);
  useEffect(() => {
    if (!placement) return;
    const stop = placement.start();
    placement.setViewpoint(viewpointOf(runtime, bounds.current.scale));
    const unsubscribe = runtime?.view.subscribe(() =>
      placement.setViewpoint(viewpointOf(runtime, bounds.current.scale)),
    );
    return () => {
      unsubscribe?.();
      stop();
    };
  }, [placement, runtime, bounds]);

  useFrame((_state, delta) => input.frame(delta * 1000));
  return null;
}
