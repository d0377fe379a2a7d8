/**
 * LOCO3's arc while the right stick aims: a line through the arc's points
 * (the arc result's own buffer, drawn in place, nothing allocated per frame)
 * and a ring where it lands, green when one may stand there, red when not.
 * Plain three.js: the room updates it every frame, the renderer mounts `root`.
 */
import {
  BufferAttribute,
  BufferGeometry,
  Color,
  Group,
  Line,
  LineBasicMaterial,
  Mesh,
  MeshBasicMaterial,
  RingGeometry,
} from 'three';
import type { XRControls } from './xr-controls.ts';

const VALID = new Color('#3ddc97');
const INVALID = new Color('#ef476f');
const noRaycast = () => {};

export class TeleportArcDrawing {
  /** Mount this in the scene. */
  readonly root = new Group();
  private readonly line: Line<BufferGeometry, LineBasicMaterial>;
  private readonly marker = new Group();
  private readonly ringMaterial = new MeshBasicMaterial({
    color: VALID,
    transparent: true,
    opacity: 0.85,
    depthWrite: false,
  });

  constructor(private readonly controls: XRControls) {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(controls.arc.points, 3));
    geometry.setDrawRange(0, 0);
    this.line = new Line(geometry, new LineBasicMaterial({ color: VALID, transparent: true, opacity: 0.9 }));
    this.line.frustumCulled = false;
    this.line.name = 'teleport-arc';
    // Pointer rays and grabbing must never hit the arc.
    this.line.raycast = noRaycast;
    const ring = new Mesh(new RingGeometry(0.22, 0.3, 40), this.ringMaterial);
    ring.rotation.x = -Math.PI / 2;
    ring.position.y = 0.01;
    ring.raycast = noRaycast;
    this.marker.name = 'teleport-marker';
    this.marker.visible = false;
    this.marker.add(ring);
    this.root.add(this.line, this.marker);
  }

  /** Once per frame, after the XR input moved the arc. */
  draw(): void {
    const { arc, aiming } = this.controls;
    const shown = aiming && arc.count > 1;
    const geometry = this.line.geometry;
    geometry.setDrawRange(0, shown ? arc.count : 0);
    if (shown) (geometry.getAttribute('position') as BufferAttribute).needsUpdate = true;
    const color = arc.valid ? VALID : INVALID;
    this.line.material.color.copy(color);
    this.marker.visible = shown;
    if (shown) this.marker.position.copy(arc.landing);
    this.ringMaterial.color.copy(color);
  }

  dispose(): void {
    this.line.geometry.dispose();
    this.line.material.dispose();
    (this.marker.children[0] as Mesh).geometry.dispose();
    this.ringMaterial.dispose();
  }
}
