import type { FrameStats } from '../room/frame-stats.ts';
import { SkyDome } from './scene/SkyDome.tsx';
import { SUN_DIRECTION } from './scene/sky.ts';
import { useXRSessionState } from './xr-session-state.ts';

/** Floor, grid, sky and lights: the room before any scene script adds to it. */
export function Environment({ stats }: { stats: FrameStats }) {
  const inAR = useXRSessionState((xr) => xr.mode === 'immersive-ar');
  return (
    <>
      {/* The daylight sky; none in AR, where the real world shows through. */}
      {!inAR && <SkyDome stats={stats} />}
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
