/**
 * The daylight sky (ENV1): three's `Sky` shader, drawn once into a cube map
 * that is then the scene's background (docs/performance.md DRAW6). Its own
 * chunk, loaded once the room is interactive (LOAD11).
 *
 * The shader works out the sky's scattering and its clouds in every pixel it
 * covers, which is most of the view: in software GL it was about 60 % of a
 * lobby frame (DRAW6). Nothing of it changes while the room is open (the sun
 * stands still, the clouds do not drift), so it is drawn once and every frame
 * looks the sky up in the cube map instead.
 *
 * @example
 *   const sky = bakeSkyDome(renderer, SKY_FACE_PIXELS, { CubeCamera, Scene, WebGLCubeRenderTarget, HalfFloatType });
 *   scene.background = sky.texture;
 *   sky.draw(); // into a restored WebGL context, whose cube map came back empty (LOAD41)
 *   sky.dispose(); // when the sky goes
 */
import type { CubeCamera, CubeTexture, HalfFloatType, Scene, WebGLCubeRenderTarget, WebGLRenderer } from 'three';
import { Vector3 } from 'three';
import { Sky } from 'three/examples/jsm/objects/Sky.js';
import { SUN_DIRECTION } from './sky.ts';

/** DRAW6: a cube face's size, in pixels; smaller where WebGL draws on the CPU, which pays per pixel of the one draw. */
export const SKY_FACE_PIXELS = 512;
export const SKY_FACE_PIXELS_SOFTWARE = 256;

/** Half of the dome's size, far beyond the room; the shader puts it at the far plane anyway. */
const DOME_SCALE = 450;

function createSkyDome(): Sky {
  const dome = new Sky();
  dome.scale.setScalar(DOME_SCALE);
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
}

/**
 * The three classes the bake needs, handed in by the room's own chunk, which has them already (the
 * renderer uses cube render targets itself): imported here, they would split the classes the two
 * chunks share into a chunk of their own, loaded before the room is interactive.
 */
export interface SkyBakeParts {
  CubeCamera: typeof CubeCamera;
  Scene: typeof Scene;
  WebGLCubeRenderTarget: typeof WebGLCubeRenderTarget;
  HalfFloatType: typeof HalfFloatType;
}

export interface BakedSky {
  /** The sky as seen from the room's centre, for `scene.background`. */
  texture: CubeTexture;
  /** Draws the sky into the cube map again: a restored WebGL context has lost its pixels (LOAD41). */
  draw(): void;
  dispose(): void;
}

/**
 * Draws the sky dome once into a cube map of `facePixels` a face. Half floats keep the shader's
 * bright values (the sun) above 1 for the tone mapping the background gets when drawn, as the dome
 * got it; the cube map holds linear colour, so three tone-maps and encodes it as it did the dome.
 */
export function bakeSkyDome(renderer: WebGLRenderer, facePixels: number, parts: SkyBakeParts): BakedSky {
  const { CubeCamera, Scene, WebGLCubeRenderTarget, HalfFloatType } = parts;
  const target = new WebGLCubeRenderTarget(facePixels, { type: HalfFloatType });
  const scene = new Scene();
  // The camera at the room's centre; the dome is so much larger than the room that a person
  // anywhere in it sees the sky in the same direction.
  const camera = new CubeCamera(1, DOME_SCALE * 2, target);
  const draw = () => {
    const dome = createSkyDome();
    scene.add(dome);
    camera.update(renderer, scene);
    scene.remove(dome);
    // The shader's program is not needed again (until a restored context needs the sky drawn again).
    dome.geometry.dispose();
    dome.material.dispose();
  };
  draw();
  return { texture: target.texture, draw, dispose: () => target.dispose() };
}
