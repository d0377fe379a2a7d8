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
 * of them into shadow maps (they cast shadows from outside the view too). Objects small on the
 * screen are drawn from a second instanced mesh with fewer segments (DRAW4): on software GL a
 * frame's cost follows its triangles, and a 1,024-triangle sphere a few pixels wide is most of
 * them. Only what changed is written and uploaded; nothing is allocated per frame.
 *
 * Only opaque objects are batched (transparent ones are sorted back to front one by one).
 *
 * @example
 *   const batches = new MeshBatches({ full: primitiveGeometry, low: lowDetailGeometry });
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
  Vector3,
  type WebGLProgramParametersWithUniforms,
} from 'three';
import type { Primitive } from '../../scene/model/scene-model.ts';

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
/**
 * DRAW4: an object whose bounds span fewer pixels than this (radius) on the screen is drawn with
 * its primitive's low-detail geometry: at that size the silhouettes differ by under half a pixel.
 */
/**
 * Where a batch gets its primitive's shared geometries (primitive-geometry.ts). Handed in rather
 * than imported: this module is in the chunk that loads after the room is interactive (LOAD24),
 * and a lazy chunk that imports the room's modules makes the bundler split them off (LOAD20).
 */
export interface BatchGeometries {
  /** The full-detail geometry; undefined for a rare primitive whose class has not loaded. */
  full(primitive: Primitive): BufferGeometry | undefined;
  /** The lighter form (DRAW4), or null if the primitive has none. */
  low(primitive: Primitive): BufferGeometry | null;
}

export const LOW_DETAIL_PIXELS = 12;

/** The camera a frame is drawn from, as `sync` needs it. */
interface View {
  frustum: Frustum;
  eye: Vector3;
  /** Pixels a length of one spans, seen at a distance of one. */
  pixelsPerUnitAtOne: number;
}
const eye = new Vector3();
const scratchColor = new Color();
const viewProjection = new Matrix4();
const frustum = new Frustum();
const currentView: View = { frustum, eye, pixelsPerUnitAtOne: 1 };
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
  /** Its world matrix as last written, to tell a move from a new order of the instances. */
  readonly placed = new Float32Array(16);
  /** Where it is drawn this frame (HIDDEN, NEAR, FAR, OUTSIDE). */
  where = HIDDEN;

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

/** Where a member is drawn this frame. */
const HIDDEN = 0;
/** In the camera's view, in full detail. */
const NEAR = 1;
/** In the camera's view, small on the screen: in low detail where its primitive has one (DRAW4). */
const FAR = 2;
/** Shown, outside the camera's view: only in shadow maps. */
const OUTSIDE = 3;

/**
 * One instanced mesh and its per-instance buffers (matrix, colour, emissive). The main pass draws
 * the first `mainCount` instances, a shadow map the first `shadowCount`.
 */
class Instances {
  mesh: InstancedMesh;
  private colors: InstancedBufferAttribute;
  private emissive: InstancedBufferAttribute;
  private slot = 0;
  private matricesChanged = false;
  private colorsChanged = false;
  mainCount = 0;
  shadowCount = 0;

  constructor(
    private readonly root: Group,
    private readonly geometry: BufferGeometry,
    private readonly material: MeshStandardMaterial,
    private readonly look: BatchLook,
    private readonly castShadow: boolean,
  ) {
    [this.mesh, this.colors, this.emissive] = this.create(FIRST_CAPACITY);
  }

  /** Room for `count` instances. */
  reserve(count: number): void {
    let capacity = this.mesh.instanceMatrix.count;
    if (count <= capacity) return;
    while (capacity < count) capacity *= 2;
    const old = this.mesh;
    const oldGeometry = old.geometry;
    [this.mesh, this.colors, this.emissive] = this.create(capacity);
    this.mesh.userData.shadowVersion = (old.userData.shadowVersion as number) + 1;
    this.root.remove(old);
    old.dispose();
    // Free only this mesh's own attribute: the primitive's are shared with every other batch and mesh.
    for (const name of Object.keys(oldGeometry.attributes))
      if (name !== 'instanceEmissive') oldGeometry.deleteAttribute(name);
    oldGeometry.setIndex(null);
    oldGeometry.dispose();
  }

  begin(): void {
    this.slot = 0;
    this.matricesChanged = false;
    this.colorsChanged = false;
  }

  /** Writes `member` into the next slot (only what differs from what is there). */
  write(member: Member): void {
    const offset = this.slot++;
    if (
      writeIfChanged(this.mesh.instanceMatrix.array as Float32Array, offset * 16, member.proxy.matrixWorld.elements, 16)
    )
      this.matricesChanged = true;
    if (writeIfChanged(this.colors.array as Float32Array, offset * 3, member.color, 3)) this.colorsChanged = true;
    if (writeIfChanged(this.emissive.array as Float32Array, offset * 3, member.emissive, 3)) this.colorsChanged = true;
  }

  get written(): number {
    return this.slot;
  }

  /** Ends a frame's writes: `main` instances for the main pass, every written one for shadow maps. */
  end(main: number, shadowsChanged: boolean): void {
    this.mainCount = main;
    this.shadowCount = this.castShadow ? this.slot : 0;
    this.mesh.count = main;
    this.mesh.visible = this.slot > 0;
    if (this.matricesChanged) this.mesh.instanceMatrix.needsUpdate = true;
    if (this.colorsChanged) {
      this.colors.needsUpdate = true;
      this.emissive.needsUpdate = true;
    }
    // ShadowCasters (DRAW3) reads this, not the buffer's version: a new order of the same instances is no change.
    if (shadowsChanged) this.mesh.userData.shadowVersion++;
  }

  private create(capacity: number): [InstancedMesh, InstancedBufferAttribute, InstancedBufferAttribute] {
    // Its own geometry for its own attribute; the primitive's attributes are shared, not copied.
    const geometry = new BufferGeometry();
    geometry.setIndex(this.geometry.index);
    for (const [name, attribute] of Object.entries(this.geometry.attributes)) geometry.setAttribute(name, attribute);
    const emissive = new InstancedBufferAttribute(new Float32Array(capacity * 3), 3);
    geometry.setAttribute('instanceEmissive', emissive);
    const mesh = new InstancedMesh(geometry, this.material, capacity);
    const colors = new InstancedBufferAttribute(new Float32Array(capacity * 3), 3);
    mesh.instanceColor = colors;
    mesh.count = 0;
    mesh.visible = false;
    // The camera's view is chosen in `sync`; shadow maps take every instance written.
    mesh.frustumCulled = false;
    mesh.castShadow = this.castShadow;
    mesh.receiveShadow = this.look.receiveShadow;
    mesh.userData.shadowVersion = 0;
    // Never picked: the proxies are.
    mesh.raycast = () => {};
    mesh.onBeforeRender = () => {
      mesh.count = this.mainCount;
    };
    mesh.onBeforeShadow = () => {
      mesh.count = this.shadowCount;
    };
    this.root.add(mesh);
    return [mesh, colors, emissive];
  }
}

/** The objects of one look: full detail (and every shadow), and low detail for the small ones in view. */
class Batch {
  readonly members: Member[] = [];
  private readonly full: Instances;
  private readonly low: Instances | null;
  private readonly bounds: Sphere;
  private shown = 0;

  constructor(root: Group, look: BatchLook, geometries: BatchGeometries) {
    const material = instancedStandardMaterial(look);
    const geometry = geometries.full(look.primitive);
    // SceneMesh draws a rare primitive only once its class has loaded (LOAD20), so this is a bug.
    if (!geometry) throw new Error(`holoroom: a ${look.primitive} joined a batch before its geometry loaded`);
    if (!geometry.boundingSphere) geometry.computeBoundingSphere();
    this.bounds = geometry.boundingSphere as Sphere;
    this.full = new Instances(root, geometry, material, look, look.castShadow);
    const low = geometries.low(look.primitive);
    this.low = low ? new Instances(root, low, material, look, false) : null;
  }

  add(proxy: Object3D): Member {
    const member = new Member(proxy, this);
    this.members.push(member);
    this.full.reserve(this.members.length);
    this.low?.reserve(this.members.length);
    return member;
  }

  remove(member: Member): void {
    const index = this.members.indexOf(member);
    if (index >= 0) this.members.splice(index, 1);
    this.full.mesh.userData.shadowVersion++;
  }

  /**
   * Writes this frame's instances. Full detail: the members near in view (drawn), then every other
   * shown one (shadows only). Low detail: the members far in view. `view` null: all near.
   */
  sync(view: View | null): void {
    let shadowsChanged = false;
    for (const member of this.members) {
      const where = this.place(member, view);
      if ((where === HIDDEN) !== (member.where === HIDDEN)) shadowsChanged = true;
      member.where = where;
      if (where !== HIDDEN && writeIfChanged(member.placed, 0, member.proxy.matrixWorld.elements, 16))
        shadowsChanged = true;
    }
    const low = this.low;
    this.full.begin();
    low?.begin();
    for (const member of this.members)
      if (member.where === NEAR || (member.where === FAR && !low)) this.full.write(member);
    const drawn = this.full.written;
    for (const member of this.members) {
      if (member.where === HIDDEN || member.where === NEAR || (member.where === FAR && !low)) continue;
      this.full.write(member);
      if (member.where === FAR) low?.write(member);
    }
    if (this.full.written !== this.shown) shadowsChanged = true;
    this.shown = this.full.written;
    this.full.end(drawn, shadowsChanged);
    low?.end(low.written, false);
  }

  private place(member: Member, view: View | null): number {
    if (!visibleInWorld(member.proxy)) return HIDDEN;
    if (!view) return NEAR;
    sphere.copy(this.bounds).applyMatrix4(member.proxy.matrixWorld);
    if (!view.frustum.intersectsSphere(sphere)) return OUTSIDE;
    const distance = Math.max(sphere.center.distanceTo(view.eye), 1e-3);
    return sphere.radius * view.pixelsPerUnitAtOne < LOW_DETAIL_PIXELS * distance ? FAR : NEAR;
  }
}

function keyOf(look: BatchLook): string {
  return `${look.primitive}|${look.roughness}|${look.metalness}|${look.wireframe}|${look.side}|${look.castShadow}|${look.receiveShadow}`;
}

export class MeshBatches {
  /** Holds the instanced meshes; goes beside the scene's nodes, outside what picking searches. */
  readonly root = new Group();
  private readonly batches = new Map<string, Batch>();

  constructor(private readonly geometries: BatchGeometries) {
    this.root.name = 'scene-batches';
  }

  /** The material of a proxy of `side`: picked and measured, never drawn (`proxyMaterial`). */
  proxyMaterial(side: Side): MeshBasicMaterial {
    return proxyMaterial(side);
  }

  /** Draws `proxy` (a mesh of `look.primitive`'s geometry whose material is not drawn) in its look's batch. */
  add(proxy: Object3D, look: BatchLook): BatchMember {
    const key = keyOf(look);
    let batch = this.batches.get(key);
    if (!batch) {
      batch = new Batch(this.root, look, this.geometries);
      this.batches.set(key, batch);
    }
    return batch.add(proxy);
  }

  /**
   * Writes every batch's instances for a render by `camera` into a drawing buffer `height` pixels
   * high (a perspective camera; an XR array camera's two eyes get every instance in full detail).
   * Call after the scene's world matrices are updated.
   */
  sync(camera: Camera, height: number): void {
    let view: View | null = null;
    if (!(camera as Camera & { isArrayCamera?: boolean }).isArrayCamera) {
      viewProjection.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
      frustum.setFromProjectionMatrix(viewProjection);
      eye.setFromMatrixPosition(camera.matrixWorld);
      // A sphere of radius r at distance d spans r * P[5] / d of half the screen's height.
      currentView.pixelsPerUnitAtOne = ((camera.projectionMatrix.elements[5] as number) * height) / 2;
      view = currentView;
    }
    for (const batch of this.batches.values()) batch.sync(view);
  }
}
