/**
 * Scene objects that share a primitive and the kind of their material drawn as one instanced
 * mesh (docs/performance.md DRAW2). A room of a few hundred boxes and spheres in as many colours
 * was a few hundred draw calls, each a fixed cost on software GL (about 0.15 ms in Chromium's GPU
 * process here, DRAW1); as batches it is one call per primitive and material kind.
 *
 * Each object keeps its own node in the scene graph: a `proxy` mesh with the primitive's geometry
 * and a material that is never drawn, inside the node's groups as before. Picking, grabbing,
 * bounds and every transform (the node's, the room's, a hold, a hover's scale) act on it as on a
 * drawn mesh. Before each render (`sync`, after three has updated world matrices) the batches copy
 * the proxies' world matrices, colours and glows into their instances: first the objects inside
 * the camera's view, then the others. Three draws the first group in the view (`count`) and all
 * of them into shadow maps (they cast shadows from outside the view too). Only what changed is
 * written and uploaded; nothing is allocated per frame.
 *
 * Only opaque objects are batched (transparent ones are sorted back to front one by one).
 *
 * @example
 *   const batches = new MeshBatches();
 *   scene.add(batches.root);
 *   const member = batches.add(proxy, look);        // proxy: the object's own mesh (not drawn)
 *   member.setColors('#ff0000', '#ffffff', 0.4);    // colour, emissive colour and intensity
 *   batches.sync(camera);                            // every frame, after updateMatrixWorld
 *   member.remove();
 */
import {
  BufferGeometry,
  type Camera,
  Color,
  Frustum,
  Group,
  InstancedBufferAttribute,
  InstancedMesh,
  Matrix4,
  MeshBasicMaterial,
  MeshStandardMaterial,
  type Object3D,
  type Side,
  Sphere,
  type WebGLProgramParametersWithUniforms,
} from 'three';
import type { Primitive } from '../../scene/model/scene-model.ts';
import { primitiveGeometry } from './primitive-geometry.ts';

/** What objects must share to be drawn together. */
export interface BatchLook {
  primitive: Primitive;
  roughness: number;
  metalness: number;
  wireframe: boolean;
  side: Side;
  castShadow: boolean;
  receiveShadow: boolean;
}

/** One object in a batch. */
export interface BatchMember {
  /** Its colour, emissive colour and intensity, as a MeshStandardMaterial's (CSS colour strings). */
  setColors(color: string, emissive: string, emissiveIntensity: number): void;
  /** The emissive intensity alone (a pulsing glow writes it every frame, TRAIT1). */
  emissiveIntensity: number;
  remove(): void;
}

const FIRST_CAPACITY = 16;
const scratchColor = new Color();
const viewProjection = new Matrix4();
const frustum = new Frustum();
const sphere = new Sphere();

/** Proxies are picked and measured, never drawn: one material per side, so picking sees the side it would. */
const proxyMaterials = new Map<Side, MeshBasicMaterial>();
export function proxyMaterial(side: Side): MeshBasicMaterial {
  let material = proxyMaterials.get(side);
  if (!material) {
    material = new MeshBasicMaterial({ side, visible: false });
    proxyMaterials.set(side, material);
  }
  return material;
}

/** MeshStandardMaterial with the emissive colour per instance (`instanceEmissive`, already times intensity). */
function instancedStandardMaterial(look: BatchLook): MeshStandardMaterial {
  const material = new MeshStandardMaterial({
    roughness: look.roughness,
    metalness: look.metalness,
    wireframe: look.wireframe,
    side: look.side,
  });
  material.onBeforeCompile = (shader: WebGLProgramParametersWithUniforms) => {
    shader.vertexShader = shader.vertexShader
      .replace(
        '#include <common>',
        '#include <common>\nattribute vec3 instanceEmissive;\nvarying vec3 vInstanceEmissive;',
      )
      .replace('#include <begin_vertex>', '#include <begin_vertex>\n\tvInstanceEmissive = instanceEmissive;');
    shader.fragmentShader = shader.fragmentShader
      .replace('#include <common>', '#include <common>\nvarying vec3 vInstanceEmissive;')
      .replace('vec3 totalEmissiveRadiance = emissive;', 'vec3 totalEmissiveRadiance = vInstanceEmissive;');
  };
  material.customProgramCacheKey = () => 'instance-emissive';
  return material;
}

function visibleInWorld(object: Object3D): boolean {
  for (let current: Object3D | null = object; current; current = current.parent) if (!current.visible) return false;
  return true;
}

class Member implements BatchMember {
  /** Linear RGB colour, then emissive colour times intensity. */
  readonly color = new Float32Array(3);
  readonly emissive = new Float32Array(3);
  private readonly emissiveColor = new Color();
  private intensity = 0;
  /** The world matrix last written to a shadow-casting instance, to tell a move from a new order. */
  readonly placed = new Float32Array(16);
  wasShown = false;

  constructor(
    readonly proxy: Object3D,
    private readonly batch: Batch,
  ) {}

  setColors(color: string, emissive: string, emissiveIntensity: number): void {
    scratchColor.set(color);
    // What the screen shows, where a drawn mesh has its material's colour (tests read it).
    this.proxy.userData.drawnColor = `#${scratchColor.getHexString()}`;
    this.color[0] = scratchColor.r;
    this.color[1] = scratchColor.g;
    this.color[2] = scratchColor.b;
    this.emissiveColor.set(emissive);
    this.emissiveIntensity = emissiveIntensity;
  }

  get emissiveIntensity(): number {
    return this.intensity;
  }

  set emissiveIntensity(value: number) {
    this.intensity = value;
    this.emissive[0] = this.emissiveColor.r * value;
    this.emissive[1] = this.emissiveColor.g * value;
    this.emissive[2] = this.emissiveColor.b * value;
  }

  remove(): void {
    this.batch.remove(this);
  }
}

/** Copies `source` into `target` at `offset` if it differs there; true if it did. */
function writeIfChanged(target: Float32Array, offset: number, source: ArrayLike<number>, length: number): boolean {
  let changed = false;
  for (let i = 0; i < length; i++) {
    const value = Math.fround(source[i] as number);
    if (target[offset + i] !== value) {
      target[offset + i] = value;
      changed = true;
    }
  }
  return changed;
}

/** One instanced mesh: the objects of one look. */
class Batch {
  readonly members: Member[] = [];
  private readonly material: MeshStandardMaterial;
  mesh: InstancedMesh;
  private emissive: InstancedBufferAttribute;
  private colors: InstancedBufferAttribute;
  /** Instances in the camera's view this frame: the first `inView` are drawn by the main pass. */
  private inView = 0;
  private shown = 0;

  constructor(
    private readonly root: Group,
    private readonly look: BatchLook,
  ) {
    this.material = instancedStandardMaterial(look);
    [this.mesh, this.colors, this.emissive] = this.create(FIRST_CAPACITY);
  }

  add(proxy: Object3D): Member {
    const member = new Member(proxy, this);
    this.members.push(member);
    if (this.members.length > this.mesh.instanceMatrix.count) this.grow();
    return member;
  }

  remove(member: Member): void {
    const index = this.members.indexOf(member);
    if (index >= 0) this.members.splice(index, 1);
    this.mesh.userData.shadowVersion++;
  }

  /** Writes this frame's instances: those in `view` (null: all) first, then the rest that are shown. */
  sync(view: Frustum | null): void {
    const matrices = this.mesh.instanceMatrix.array as Float32Array;
    const colors = this.colors.array as Float32Array;
    const emissive = this.emissive.array as Float32Array;
    let slot = 0;
    let matricesChanged = false;
    let colorsChanged = false;
    let shadowsChanged = false;
    // Two passes over the members: in view, then shown but out of view.
    for (let pass = 0; pass < 2; pass++) {
      for (const member of this.members) {
        const shown = visibleInWorld(member.proxy);
        if (pass === 0) {
          if (shown !== member.wasShown) shadowsChanged = true;
          member.wasShown = shown;
        }
        if (!shown || this.inViewOf(member, view) !== (pass === 0)) continue;
        const elements = member.proxy.matrixWorld.elements;
        if (writeIfChanged(matrices, slot * 16, elements, 16)) matricesChanged = true;
        if (writeIfChanged(member.placed, 0, elements, 16)) shadowsChanged = true;
        if (writeIfChanged(colors, slot * 3, member.color, 3)) colorsChanged = true;
        if (writeIfChanged(emissive, slot * 3, member.emissive, 3)) colorsChanged = true;
        slot++;
      }
      if (pass === 0) this.inView = slot;
    }
    if (slot !== this.shown) shadowsChanged = true;
    this.shown = slot;
    this.mesh.count = slot;
    this.mesh.visible = slot > 0;
    if (matricesChanged) this.mesh.instanceMatrix.needsUpdate = true;
    if (colorsChanged) {
      this.colors.needsUpdate = true;
      this.emissive.needsUpdate = true;
    }
    // ShadowCasters (DRAW3) reads this, not the buffer's version: a new order of the same instances is no change.
    if (shadowsChanged) this.mesh.userData.shadowVersion++;
  }

  private inViewOf(member: Member, view: Frustum | null): boolean {
    if (!view) return true;
    const geometry = primitiveGeometry(this.look.primitive);
    if (!geometry.boundingSphere) geometry.computeBoundingSphere();
    sphere.copy(geometry.boundingSphere as Sphere).applyMatrix4(member.proxy.matrixWorld);
    return view.intersectsSphere(sphere);
  }

  private create(capacity: number): [InstancedMesh, InstancedBufferAttribute, InstancedBufferAttribute] {
    const base = primitiveGeometry(this.look.primitive);
    // Its own geometry for its own attribute; the primitive's attributes are shared, not copied.
    const geometry = new BufferGeometry();
    geometry.setIndex(base.index);
    for (const [name, attribute] of Object.entries(base.attributes)) geometry.setAttribute(name, attribute);
    const emissive = new InstancedBufferAttribute(new Float32Array(capacity * 3), 3);
    geometry.setAttribute('instanceEmissive', emissive);
    const mesh = new InstancedMesh(geometry, this.material, capacity);
    const colors = new InstancedBufferAttribute(new Float32Array(capacity * 3), 3);
    mesh.instanceColor = colors;
    mesh.count = 0;
    mesh.visible = false;
    // The camera's view is chosen in `sync`; shadow maps take every instance.
    mesh.frustumCulled = false;
    mesh.castShadow = this.look.castShadow;
    mesh.receiveShadow = this.look.receiveShadow;
    mesh.userData.shadowVersion = 0;
    // Never picked: the proxies are.
    mesh.raycast = () => {};
    // The main pass draws the instances in view, a shadow map all shown ones.
    mesh.onBeforeRender = () => {
      mesh.count = this.inView;
    };
    mesh.onBeforeShadow = () => {
      mesh.count = this.shown;
    };
    this.root.add(mesh);
    return [mesh, colors, emissive];
  }

  /** Twice the room: a new instanced mesh (buffers have a fixed size), the old one let go. */
  private grow(): void {
    const old = this.mesh;
    const oldGeometry = old.geometry;
    [this.mesh, this.colors, this.emissive] = this.create(old.instanceMatrix.count * 2);
    this.mesh.userData.shadowVersion = (old.userData.shadowVersion as number) + 1;
    this.root.remove(old);
    old.dispose();
    // Free only this batch's own attribute: the primitive's are shared with every other batch and mesh.
    for (const name of Object.keys(oldGeometry.attributes))
      if (name !== 'instanceEmissive') oldGeometry.deleteAttribute(name);
    oldGeometry.setIndex(null);
    oldGeometry.dispose();
    // Every slot is written again by the next sync.
    for (const member of this.members) member.placed.fill(Number.NaN);
  }
}

function keyOf(look: BatchLook): string {
  return `${look.primitive}|${look.roughness}|${look.metalness}|${look.wireframe}|${look.side}|${look.castShadow}|${look.receiveShadow}`;
}

export class MeshBatches {
  /** Holds the instanced meshes; goes beside the scene's nodes, outside what picking searches. */
  readonly root = new Group();
  private readonly batches = new Map<string, Batch>();

  constructor() {
    this.root.name = 'scene-batches';
  }

  /** Draws `proxy` (a mesh of `look.primitive`'s geometry whose material is not drawn) in its look's batch. */
  add(proxy: Object3D, look: BatchLook): BatchMember {
    const key = keyOf(look);
    let batch = this.batches.get(key);
    if (!batch) {
      batch = new Batch(this.root, look);
      this.batches.set(key, batch);
    }
    return batch.add(proxy);
  }

  /** Draw calls the batches make in the camera's view (one per batch with an instance in it). */
  get size(): number {
    return this.batches.size;
  }

  /**
   * Writes every batch's instances for a render by `camera` (a perspective camera; an XR array
   * camera's two eyes get every instance). Call after the scene's world matrices are updated.
   */
  sync(camera: Camera): void {
    let view: Frustum | null = null;
    if (!(camera as Camera & { isArrayCamera?: boolean }).isArrayCamera) {
      viewProjection.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
      view = frustum.setFromProjectionMatrix(viewProjection);
    }
    for (const batch of this.batches.values()) batch.sync(view);
  }
}
