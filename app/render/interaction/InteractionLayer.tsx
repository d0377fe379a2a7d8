import { useFrame } from '@react-three/fiber';
import { useEffect, useMemo, useRef } from 'react';
import { Vector3 } from 'three';
import type { XRControls } from '../../interaction/input/xr-controls.ts';
import { createView, lookAt } from '../../interaction/move/desktop-view.ts';
import { DEFAULT_BOUNDS, type RoomBounds, roomBounds } from '../../interaction/move/room-bounds.ts';
import { DEFAULT_VIEWPOINT } from '../../interaction/move/start-points.ts';
import type { SceneObjectRegistry } from '../../interaction/object-registry.ts';
import { RoomInteraction } from '../../interaction/room-interaction.ts';
import type { PoseChannel } from '../../pose/channel.ts';
import type { SceneRuntime } from '../../scene/runtime/scene-runtime.ts';
import type { RoomSession } from '../../sync/room-session.ts';
import { debugHandle } from '../../ui/debug-handle.ts';
import { DesktopControls } from '../DesktopControls.tsx';
import { XRInteraction } from './XRInteraction.tsx';

declare module '../../ui/debug-handle.ts' {
  interface DebugHandle {
    /** Interaction state for browser tests and benchmarks (docs/interaction.md). */
    interaction?: {
      current(): RoomInteraction | undefined;
      xr(): XRControls | undefined;
      view: ReturnType<typeof createView>;
      /** A world point in the XR origin's space (what an emulated controller's position means). */
      toXRSpace(point: [number, number, number]): [number, number, number];
    };
  }
}

/** Draws what interaction decides (GRAB10); mounted after the scene so it runs after `@animated` motion. */
function DrawOverrides({ interaction }: { interaction: RoomInteraction }) {
  useFrame(() => interaction.drawFrame());
  return null;
}

/**
 * Everything people do in the room: desktop and phone controls, controllers
 * and hands in XR, grabbing shared objects (docs/interaction.md). Mounted
 * before the pose layer, so held objects stream in the same frame's batch.
 */
export function InteractionLayer({
  session,
  channel,
  runtime,
  registry,
}: {
  session?: RoomSession;
  channel?: PoseChannel;
  runtime?: SceneRuntime;
  registry?: SceneObjectRegistry;
}) {
  const view = useMemo(() => lookAt(createView(), DEFAULT_VIEWPOINT.position, DEFAULT_VIEWPOINT.target), []);
  const interaction = useMemo(
    () =>
      session && channel && runtime && registry
        ? new RoomInteraction({ session, channel, runtime, registry })
        : undefined,
    [session, channel, runtime, registry],
  );
  useEffect(() => () => interaction?.destroy(), [interaction]);
  const interactionRef = useRef(interaction);
  interactionRef.current = interaction;
  const bounds = useRef<RoomBounds>(DEFAULT_BOUNDS);
  useEffect(() => {
    if (!runtime) return;
    const update = () => {
      bounds.current = roomBounds(runtime.view.get().model?.environment);
    };
    update();
    return runtime.view.subscribe(update);
  }, [runtime]);
  const xr = useRef<XRControls | undefined>(undefined);

  useEffect(() => {
    const rigSpace = new Vector3();
    debugHandle().interaction = {
      current: () => interactionRef.current,
      xr: () => xr.current,
      view,
      toXRSpace: ([x, y, z]) => {
        const rig = xr.current?.rig;
        if (!rig) return [x, y, z];
        rigSpace
          .set(x - rig.position.x, y - rig.position.y, z - rig.position.z)
          .applyAxisAngle(new Vector3(0, 1, 0), -rig.yaw)
          .divideScalar(rig.scale);
        return [rigSpace.x, rigSpace.y, rigSpace.z];
      },
    };
    return () => {
      debugHandle().interaction = undefined;
    };
  }, [view]);

  // After the desktop and XR input of this frame (children run first): throws fly, holds stream.
  useFrame((_state, delta) => interactionRef.current?.streamFrame(delta * 1000));

  return (
    <>
      <DesktopControls view={view} interaction={interactionRef} bounds={bounds} session={session} runtime={runtime} />
      <XRInteraction view={view} interaction={interactionRef} bounds={bounds} controlsRef={xr} />
      {interaction && <DrawOverrides interaction={interaction} />}
    </>
  );
}
