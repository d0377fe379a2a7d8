import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { CubeCamera, HalfFloatType, Scene, WebGLCubeRenderTarget } from 'three';
import type { FrameStats } from '../../room/frame-stats.ts';
import { afterRoomInteractive } from '../../room/frame-stats.ts';
import { contextDrawsInSoftware } from '../software-gl.ts';

/** LOAD11: a room that is not interactive this long after the sky was wanted loads it anyway. */
const SKY_LATEST_MS = 10_000;

/**
 * The daylight sky, whose shader loads once the room is interactive (LOAD11): the first frames show
 * none. It is drawn once into the scene's background (DRAW6, `bakeSkyDome`), counted in `stats.skyBakes`,
 * and again into a restored WebGL context, which brings the cube map back empty (LOAD41).
 */
export function SkyDome({ stats }: { stats: FrameStats }) {
  const gl = useThree((state) => state.gl);
  const scene = useThree((state) => state.scene);
  const get = useThree((state) => state.get);
  useEffect(() => {
    let mounted = true;
    let dispose = () => {};
    afterRoomInteractive(SKY_LATEST_MS)
      .then(() => import('./sky-dome.ts'))
      .then(
        ({ bakeSkyDome, SKY_FACE_PIXELS, SKY_FACE_PIXELS_SOFTWARE }) => {
          if (!mounted) return;
          const software = contextDrawsInSoftware(gl.getContext());
          const parts = { CubeCamera, Scene, WebGLCubeRenderTarget, HalfFloatType };
          const sky = bakeSkyDome(gl, software ? SKY_FACE_PIXELS_SOFTWARE : SKY_FACE_PIXELS, parts);
          stats.skyBakes++;
          scene.background = sky.texture;
          // LOAD41: after three's own listener (added when the renderer was made) has re-initialised its state.
          const onRestored = () => {
            sky.draw();
            stats.skyBakes++;
            get().invalidate();
          };
          gl.domElement.addEventListener('webglcontextrestored', onRestored);
          dispose = () => {
            gl.domElement.removeEventListener('webglcontextrestored', onRestored);
            if (scene.background === sky.texture) scene.background = null;
            sky.dispose();
          };
          // A new background is drawn in the next frame (ROOM5: a change to what is drawn wakes the room).
          get().invalidate();
        },
        (error: unknown) => console.error(`holoroom: the daylight sky could not load: ${String(error)}`),
      );
    return () => {
      mounted = false;
      dispose();
    };
  }, [gl, scene, get, stats]);
  return null;
}
