import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { Color } from 'three';
import type { FrameStats } from '../../room/frame-stats.ts';
import type { EnvironmentSpec } from '../../scene/model/scene-model.ts';
import { useXRSessionState } from '../xr-session-state.ts';
import { SkyDome } from './SkyDome.tsx';
import { gradientTexture, SUN_DIRECTION } from './sky.ts';

/** The sky a scene with `skybox: "none"` and no colour shows. */
const NONE_BACKGROUND = '#0f1720';

function Background({ env }: { env: EnvironmentSpec }) {
  const scene = useThree((state) => state.scene);
  const [top, bottom] = env.skyColors;
  useEffect(() => {
    if (env.sky === 'procedural') return;
    if (env.sky === 'gradient') {
      const texture = gradientTexture(top, bottom);
      scene.background = texture;
      return () => {
        scene.background = null;
        texture.dispose();
      };
    }
    scene.background = new Color(env.sky === 'color' ? top : NONE_BACKGROUND);
    return () => {
      scene.background = null;
    };
  }, [scene, env.sky, top, bottom]);
  return null;
}

/**
 * A script's `environment` (ENV1-ENV7), drawn instead of the default room: sky
 * (none in AR, where the real world shows through), ambient light, fog, floor,
 * and a default sun when the script has no light of its own (ENV6).
 */
export function SceneEnvironment({
  env,
  hasLights,
  stats,
}: {
  env: EnvironmentSpec;
  hasLights: boolean;
  /** The room's frame counters (the sky's bake, DRAW6). */
  stats: FrameStats;
}) {
  const inAR = useXRSessionState((xr) => xr.mode === 'immersive-ar');
  return (
    <>
      {!inAR && env.sky === 'procedural' && <SkyDome stats={stats} />}
      {!inAR && <Background env={env} />}
      <ambientLight color={env.ambient.color} intensity={env.ambient.intensity} />
      {/* Nor fog in AR: only the virtual objects would be tinted, never the real room around them. */}
      {!inAR && env.fog && <fog attach="fog" args={[env.fog.color, env.fog.near, env.fog.far]} />}
      {!hasLights && (
        <directionalLight
          position={[SUN_DIRECTION[0] * 10, SUN_DIRECTION[1] * 10, SUN_DIRECTION[2] * 10]}
          intensity={1.6}
          castShadow={env.shadows}
          shadow-mapSize={[1024, 1024]}
          shadow-camera-left={-12}
          shadow-camera-right={12}
          shadow-camera-top={12}
          shadow-camera-bottom={-12}
        />
      )}
      {!inAR && env.floor && (
        <mesh rotation-x={-Math.PI / 2} receiveShadow={env.shadows} name="scene-floor">
          <circleGeometry args={[env.floorRadius, 64]} />
          <meshStandardMaterial color={env.floor.color} roughness={0.95} />
        </mesh>
      )}
    </>
  );
}
