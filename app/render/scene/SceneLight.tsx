import { useContext, useLayoutEffect, useRef } from 'react';
import type { DirectionalLight, SpotLight } from 'three';
import type { LightNode } from '../../scene/model/scene-model.ts';
import { drawnIntensity } from './light-intensity.ts';
import { SceneContext } from './scene-context.ts';

const DEG = Math.PI / 180;
const SHADOW_EXTENT = 15;

/** Lights (KIND1). Point lights never cast shadows (six shadow renders each); directional and spot may. */
export function SceneLight({ node }: { node: LightNode }) {
  const context = useContext(SceneContext);
  const directional = useRef<DirectionalLight>(null);
  const spot = useRef<SpotLight>(null);
  const { light } = node;
  const castShadow = (context?.shadows ?? true) && light.castShadow;
  const [tx, ty, tz] = light.target;

  // The target is in world space and not part of the scene graph, so its matrix is set here.
  useLayoutEffect(() => {
    const target = (directional.current ?? spot.current)?.target;
    if (!target) return;
    target.position.set(tx, ty, tz);
    target.updateMatrixWorld();
  }, [tx, ty, tz]);

  switch (light.type) {
    case 'ambient':
      return <ambientLight color={light.color} intensity={drawnIntensity(light)} />;
    case 'hemisphere':
      return <hemisphereLight color={light.color} groundColor={light.groundColor} intensity={drawnIntensity(light)} />;
    case 'directional':
      return (
        <directionalLight
          ref={directional}
          color={light.color}
          intensity={drawnIntensity(light)}
          castShadow={castShadow}
          shadow-mapSize={[1024, 1024]}
          shadow-camera-left={-SHADOW_EXTENT}
          shadow-camera-right={SHADOW_EXTENT}
          shadow-camera-top={SHADOW_EXTENT}
          shadow-camera-bottom={-SHADOW_EXTENT}
          shadow-bias={-0.0005}
        />
      );
    case 'point':
      return (
        <pointLight
          color={light.color}
          intensity={drawnIntensity(light)}
          distance={light.distance}
          decay={light.decay}
        />
      );
    case 'spot':
      return (
        <spotLight
          ref={spot}
          color={light.color}
          intensity={drawnIntensity(light)}
          distance={light.distance}
          decay={light.decay}
          angle={light.angle * DEG}
          penumbra={light.penumbra}
          castShadow={castShadow}
          shadow-mapSize={[1024, 1024]}
        />
      );
  }
}
