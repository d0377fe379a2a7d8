/**
 * COMFORT3's vignette: while the left stick moves the person (LOCO1) and they
 * chose it, the edges of the view go dark, leaving a clear circle ahead, which
 * lessens the sense of motion the eyes report and the body does not. A flat
 * ring just in front of each eye, faded from clear on its inside to black on
 * its outside, drawn over everything. Plain three.js: the room updates it every
 * frame, the renderer mounts `root`.
 */
import {
  BufferAttribute,
  type Camera,
  DoubleSide,
  Matrix4,
  Mesh,
  MeshBasicMaterial,
  type Object3D,
  RingGeometry,
} from 'three';
import { type Comfort, showVignette } from '../move/comfort.ts';
import type { XRControls } from './xr-controls.ts';

/** In front of the eye, metres; the clear circle's radius, where the fade ends, and the dark edge's. */
const DISTANCE = 0.2;
const CLEAR_RADIUS = 0.07;
const FADE_RADIUS = 0.12;
const OUTER_RADIUS = 0.6;
const SEGMENTS = 48;
const noRaycast = () => {};
const ahead = new Matrix4().makeTranslation(0, 0, -DISTANCE);

/**
 * Three rings of vertices (RingGeometry's order: ring by ring, inside out):
 * clear at `CLEAR_RADIUS`, black and opaque from `FADE_RADIUS` to `OUTER_RADIUS`.
 */
function vignetteGeometry(): RingGeometry {
  const geometry = new RingGeometry(CLEAR_RADIUS, OUTER_RADIUS, SEGMENTS, 2);
  const position = geometry.getAttribute('position');
  const colors = new Float32Array(position.count * 4); // black; alpha below
  for (let i = 0; i < position.count; i++) {
    const ring = Math.floor(i / (SEGMENTS + 1));
    if (ring === 1) {
      const scale = FADE_RADIUS / Math.hypot(position.getX(i), position.getY(i));
      position.setXY(i, position.getX(i) * scale, position.getY(i) * scale);
    }
    colors[i * 4 + 3] = ring === 0 ? 0 : 1;
  }
  geometry.setAttribute('color', new BufferAttribute(colors, 4));
  return geometry;
}

export class ComfortVignette {
  /** Mount this in the scene. */
  readonly root: Mesh<RingGeometry, MeshBasicMaterial>;

  constructor(
    private readonly controls: XRControls,
    private readonly comfort: () => Comfort,
  ) {
    this.root = new Mesh(
      vignetteGeometry(),
      new MeshBasicMaterial({
        vertexColors: true,
        transparent: true,
        depthTest: false,
        depthWrite: false,
        side: DoubleSide,
        toneMapped: false,
      }),
    );
    this.root.name = 'comfort-vignette';
    this.root.visible = false;
    this.root.renderOrder = Number.MAX_SAFE_INTEGER;
    this.root.frustumCulled = false;
    this.root.matrixAutoUpdate = false;
    this.root.raycast = noRaycast;
    // Placed for each eye as it is drawn, so it sits centred in front of both.
    this.root.onBeforeRender = (_renderer, _scene, camera: Camera) => placeBefore(this.root, camera);
  }

  /** After this frame's input: shown only while moving smoothly with the vignette chosen. */
  draw(): void {
    this.root.visible = showVignette(this.comfort(), this.controls.smoothMoving);
  }

  dispose(): void {
    this.root.geometry.dispose();
    this.root.material.dispose();
  }
}

function placeBefore(object: Object3D, camera: Camera): void {
  object.matrixWorld.multiplyMatrices(camera.matrixWorld, ahead);
}
