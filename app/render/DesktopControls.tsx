import { useFrame, useThree } from '@react-three/fiber';
import { useXR } from '@react-three/xr';
import { useEffect, useMemo } from 'react';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

/** Mouse/touch orbit around the room's centre; off while an XR session drives the camera. */
export function DesktopControls() {
  const camera = useThree((state) => state.camera);
  const element = useThree((state) => state.gl.domElement);
  const inXR = useXR((xr) => xr.session != null);
  const controls = useMemo(() => new OrbitControls(camera, element), [camera, element]);
  useEffect(() => {
    controls.target.set(0, 1, 0);
    controls.enableDamping = true;
    controls.maxPolarAngle = Math.PI * 0.495;
    controls.minDistance = 0.5;
    controls.maxDistance = 40;
    controls.update();
    return () => controls.dispose();
  }, [controls]);
  useEffect(() => {
    controls.enabled = !inXR;
  }, [controls, inXR]);
  useFrame(() => {
    if (controls.enabled) controls.update();
  });
  return null;
}
