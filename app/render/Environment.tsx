import { useXR } from '@react-three/xr';
import { useMemo } from 'react';
import { Vector3 } from 'three';
import { Sky } from 'three/examples/jsm/objects/Sky.js';

const SUN_DIRECTION: [number, number, number] = [0.4, 0.8, 0.3];

/** Physically based sky; hidden in AR so the real world shows through. */
function SkyDome() {
  const sky = useMemo(() => {
    const dome = new Sky();
    dome.scale.setScalar(450);
    const uniforms = dome.material.uniforms as Record<string, { value: unknown }>;
    const set = (name: string, value: unknown) => {
      const uniform = uniforms[name];
      if (uniform) uniform.value = value;
    };
    set('turbidity', 4);
    set('rayleigh', 1.2);
    set('mieCoefficient', 0.004);
    set('mieDirectionalG', 0.8);
    set('sunPosition', new Vector3(...SUN_DIRECTION));
    return dome;
  }, []);
  return <primitive object={sky} />;
}

/** Floor, grid, sky and lights: the room before any scene script adds to it. */
export function Environment() {
  const inAR = useXR((xr) => xr.mode === 'immersive-ar');
  return (
    <>
      {!inAR && <SkyDome />}
      <hemisphereLight args={['#dbe9ff', '#3a3f2f', 0.9]} />
      <directionalLight
        position={[SUN_DIRECTION[0] * 10, SUN_DIRECTION[1] * 10, SUN_DIRECTION[2] * 10]}
        intensity={2.2}
        castShadow
        shadow-mapSize={[1024, 1024]}
        shadow-camera-left={-12}
        shadow-camera-right={12}
        shadow-camera-top={12}
        shadow-camera-bottom={-12}
      />
      {!inAR && (
        <>
          <mesh rotation-x={-Math.PI / 2} receiveShadow name="floor">
            <circleGeometry args={[30, 64]} />
            <meshStandardMaterial color="#6f7f73" roughness={0.95} />
          </mesh>
          <gridHelper args={[20, 20, '#c9d6cf', '#93a39a']} position-y={0.002} />
        </>
      )}
    </>
  );
}
