import { useFrame, useThree } from '@react-three/fiber';
import { useXR, XROrigin } from '@react-three/xr';
import { type RefObject, useEffect, useMemo, useRef } from 'react';
import { Vector3 } from 'three';
import { XRControls } from '../../interaction/input/xr-controls.ts';
import type { DesktopView } from '../../interaction/move/desktop-view.ts';
import type { Rig } from '../../interaction/move/locomotion.ts';
import type { RoomBounds } from '../../interaction/move/room-bounds.ts';
import type { RoomInteraction } from '../../interaction/room-interaction.ts';
import { TeleportArcView } from './TeleportArcView.tsx';

const head = new Vector3();

/**
 * The person in a headset: the XR origin (moved by locomotion), controllers
 * and hands grabbing, the teleport arc (docs/interaction.md XR1-XR3,
 * LOCO1-LOCO5). Entering XR starts where the desktop view stood (LOCO5);
 * leaving puts the desktop view where the head was.
 */
export function XRInteraction({
  view,
  interaction,
  bounds,
  controlsRef,
}: {
  view: DesktopView;
  interaction: RefObject<RoomInteraction | undefined>;
  bounds: RefObject<RoomBounds>;
  /** Receives the controls (for the debug handle). */
  controlsRef?: RefObject<XRControls | undefined>;
}) {
  const origin = useRef<import('three').Group>(null);
  const gl = useThree((state) => state.gl);
  const session = useXR((xr) => xr.session);
  const controls = useMemo(() => {
    const rig: Rig = { position: new Vector3(), yaw: 0, scale: 1 };
    const cast = (from: Vector3, to: Vector3, hit: { point: Vector3; normal: Vector3 }) =>
      interaction.current?.objects.segmentCast(from, to, hit) ?? false;
    return new XRControls(rig, () => interaction.current, cast);
  }, [interaction]);
  if (controlsRef) controlsRef.current = controls;

  useEffect(() => {
    if (!session) return;
    // LOCO5: the headset starts where the desktop view stood, facing the same way.
    const { rig } = controls;
    rig.scale = bounds.current.scale;
    rig.position.set(view.position.x, 0, view.position.z);
    rig.yaw = view.yaw;
    if (origin.current) controls.applyRig(origin.current);
    const onSelect = (event: XRInputSourceEvent) => {
      if (event.inputSource.hand) controls.setPinch(event.inputSource.handedness, event.type === 'selectstart');
    };
    session.addEventListener('selectstart', onSelect);
    session.addEventListener('selectend', onSelect);
    return () => {
      session.removeEventListener('selectstart', onSelect);
      session.removeEventListener('selectend', onSelect);
      controls.releaseAll();
      // ... and the desktop view comes back where the head was.
      controls.headWorld(head);
      if (head.lengthSq() > 0) {
        view.position.copy(head);
        view.yaw = controls.headYaw();
        view.pitch = 0;
      }
    };
  }, [session, controls, view, bounds]);

  useFrame((_state, delta, frame?: XRFrame) => {
    const space = gl.xr.getReferenceSpace();
    if (!frame || !space || !origin.current) return;
    controls.frame(frame, space, origin.current, delta * 1000, bounds.current.floorRadius);
  });

  return (
    <>
      <XROrigin ref={origin} />
      <TeleportArcView controls={controls} />
    </>
  );
}
