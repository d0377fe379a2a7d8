import { useFrame } from '@react-three/fiber';
import { useEffect, useMemo, useRef } from 'react';
import {
  BufferAttribute,
  BufferGeometry,
  Color,
  type Group,
  Line,
  LineBasicMaterial,
  type Mesh,
  type MeshBasicMaterial,
} from 'three';
import type { XRControls } from '../../interaction/input/xr-controls.ts';

const VALID = new Color('#3ddc97');
const INVALID = new Color('#ef476f');

/**
 * LOCO3's arc while the right stick aims: a line through the arc's points
 * (the arc result's own buffer, drawn in place, nothing allocated per frame)
 * and a ring where it lands, green when one may stand there, red when not.
 */
export function TeleportArcView({ controls }: { controls: XRControls }) {
  const line = useMemo(() => {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(controls.arc.points, 3));
    geometry.setDrawRange(0, 0);
    const arc = new Line(geometry, new LineBasicMaterial({ color: VALID, transparent: true, opacity: 0.9 }));
    arc.frustumCulled = false;
    arc.name = 'teleport-arc';
    // Pointer rays and grabbing must never hit the arc.
    arc.raycast = () => {};
    return arc;
  }, [controls]);
  useEffect(
    () => () => {
      line.geometry.dispose();
      (line.material as LineBasicMaterial).dispose();
    },
    [line],
  );
  const marker = useRef<Group>(null);
  const ring = useRef<Mesh>(null);

  useFrame(() => {
    const { arc, aiming } = controls;
    const shown = aiming && arc.count > 1;
    line.geometry.setDrawRange(0, shown ? arc.count : 0);
    if (shown) (line.geometry.getAttribute('position') as BufferAttribute).needsUpdate = true;
    const color = arc.valid ? VALID : INVALID;
    (line.material as LineBasicMaterial).color.copy(color);
    const m = marker.current;
    if (m) {
      m.visible = shown;
      if (shown) m.position.copy(arc.landing);
    }
    if (ring.current) (ring.current.material as MeshBasicMaterial).color.copy(color);
  });

  return (
    <>
      <primitive object={line} />
      <group ref={marker} visible={false} name="teleport-marker">
        <mesh ref={ring} rotation-x={-Math.PI / 2} position-y={0.01} raycast={() => {}}>
          <ringGeometry args={[0.22, 0.3, 40]} />
          <meshBasicMaterial color={VALID} transparent opacity={0.85} depthWrite={false} />
        </mesh>
      </group>
    </>
  );
}
