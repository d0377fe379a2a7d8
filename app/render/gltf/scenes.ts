/**
 * glTF nodes, meshes, skins and scenes (§3.5, §3.7, §3.8) as three objects.
 * The node tree is checked before anything is made: each node has at most
 * one parent, a scene lists only root nodes, and no branch is deeper than
 * GLTF_LIMITS.depth, which also rules out cycles. Every scene of the file is
 * made (a node listed by two scenes is made twice); skinned meshes are bound
 * to a skeleton of the scene's bones, as three's loader binds them.
 * Animations, cameras and lights are not read: a node that holds one is an
 * empty object, and an animated model shows its rest pose.
 */
import { Bone, type BufferGeometry, Group, Matrix4, Mesh, Object3D, Skeleton, SkinnedMesh } from 'three';
import type { AccessorReader } from './accessors.ts';
import { primitiveGeometry } from './geometry.ts';
import { GltfError, integer, type Json, numbers, objects, reference, references, text } from './json-reader.ts';
import { GLTF_LIMITS } from './limits.ts';
import type { MaterialSet } from './materials.ts';

const IDENTITY = new Matrix4();

export interface SceneParts {
  nodes: readonly Json[];
  meshes: readonly Json[];
  skins: readonly Json[];
  scenes: readonly Json[];
  accessors: AccessorReader;
  materials: MaterialSet;
  warnings: string[];
}

/** Every scene of the file, in order. */
export function buildScenes(parts: SceneParts): Group[] {
  const builder = new SceneBuilder(parts);
  return parts.scenes.map((scene, i) => builder.scene(scene, i));
}

/** A node's name as three's loader makes it: no spaces (`_`) and none of `[]./:`, unique in the file. */
function sanitizeName(name: string): string {
  return name.replace(/\s/g, '_').replace(/[[\]./:]/g, '');
}

/** A node's skinned meshes, bound to its skin once the scene's bones exist. */
interface SkinnedUse {
  node: number;
  skin: number;
  meshes: SkinnedMesh[];
}

interface Primitive {
  geometry: BufferGeometry;
  material: number | undefined;
  /** The mesh's name, made unique per primitive as three's loader names them. */
  name: string;
}

class SceneBuilder {
  private readonly children: number[][];
  private readonly joints = new Set<number>();
  private readonly primitives = new Map<number, Primitive[]>();
  private readonly namesUsed = new Map<string, number>();
  private readonly nodeNames = new Map<number, string>();
  /** The largest joint index of each skinned geometry, read once (its weights normalized then too). */
  private readonly maxJoints = new Map<BufferGeometry, number>();
  private objectsMade = 0;
  private readonly parents: (number | undefined)[];

  constructor(private readonly parts: SceneParts) {
    const { nodes, skins } = parts;
    const parents = new Array<number | undefined>(nodes.length);
    this.children = nodes.map((node, i) => {
      const children = references(node, 'children', `nodes[${i}]`, nodes.length, nodes.length);
      for (const child of children) {
        const parent = parents[child];
        if (parent !== undefined)
          throw new GltfError(`nodes[${child}] is a child of both nodes[${parent}] and nodes[${i}]`);
        parents[child] = i;
      }
      return children;
    });
    this.parents = parents;
    skins.forEach((skin, i) => {
      for (const joint of references(skin, 'joints', `skins[${i}]`, nodes.length, GLTF_LIMITS.joints))
        this.joints.add(joint);
    });
  }

  scene(def: Json, index: number): Group {
    const where = `scenes[${index}]`;
    const roots = references(def, 'nodes', where, this.parts.nodes.length, GLTF_LIMITS.nodes);
    for (const root of roots) {
      if (this.parents[root] !== undefined)
        throw new GltfError(`${where} lists nodes[${root}], which is another node's child`);
    }
    const group = new Group();
    const name = text(def, 'name', where, '');
    if (name) group.name = this.uniqueName(name);
    const names = this.checkTree(roots, where);
    const made = new Map<number, Object3D>();
    const skinned: SkinnedUse[] = [];
    for (const root of roots) group.add(this.node(root, names, made, skinned));
    this.bindSkins(made, skinned);
    return group;
  }

  /**
   * The nodes below `roots` in depth-first order, each once and no deeper than the limit (a node reached
   * twice is a cycle or a shared child); their names are reserved in that order, before the meshes' names,
   * as three's loader names them.
   */
  private checkTree(roots: readonly number[], where: string): Map<number, string> {
    const names = new Map<number, string>();
    const seen = new Set<number>();
    const stack = roots.map((node) => ({ node, depth: 1 })).reverse();
    for (let entry = stack.pop(); entry; entry = stack.pop()) {
      if (seen.has(entry.node)) throw new GltfError(`${where} reaches nodes[${entry.node}] twice`);
      seen.add(entry.node);
      if (entry.depth > GLTF_LIMITS.depth) {
        throw new GltfError(`${where}'s node tree is deeper than ${GLTF_LIMITS.depth} levels`);
      }
      let name = this.nodeNames.get(entry.node);
      if (name === undefined) {
        // A node in two scenes is made twice, with one name.
        name = text(this.parts.nodes[entry.node] ?? {}, 'name', `nodes[${entry.node}]`, '');
        name = name ? this.uniqueName(name) : '';
        this.nodeNames.set(entry.node, name);
      }
      names.set(entry.node, name);
      const children = this.children[entry.node] ?? [];
      for (let i = children.length - 1; i >= 0; i--)
        stack.push({ node: children[i] as number, depth: entry.depth + 1 });
    }
    return names;
  }

  /** Node `index` and its subtree (depth checked by `checkTree`). */
  private node(
    index: number,
    names: ReadonlyMap<number, string>,
    made: Map<number, Object3D>,
    skinned: SkinnedUse[],
  ): Object3D {
    const where = `nodes[${index}]`;
    const def = this.parts.nodes[index] ?? {};
    const name = text(def, 'name', where, '');
    const meshIndex = reference(def, 'mesh', where, this.parts.meshes.length);
    const skin = reference(def, 'skin', where, this.parts.skins.length);
    this.objectsMade += 1 + (meshIndex === undefined ? 0 : this.meshPrimitives(meshIndex).length);
    if (this.objectsMade > GLTF_LIMITS.objects) {
      throw new GltfError(`the file's scenes make more than ${GLTF_LIMITS.objects} objects`);
    }
    const meshes = meshIndex === undefined ? [] : this.meshObjects(meshIndex, skin !== undefined);
    if (skin !== undefined) {
      const skinnedMeshes = meshes.filter((mesh): mesh is SkinnedMesh => mesh instanceof SkinnedMesh);
      if (skinnedMeshes.length > 0) skinned.push({ node: index, skin, meshes: skinnedMeshes });
    }
    let node: Object3D;
    if (this.joints.has(index)) node = new Bone();
    else if (meshes.length === 1 && meshes[0]) node = meshes[0];
    else node = meshes.length > 1 ? new Group() : new Object3D();
    if (node !== meshes[0]) for (const mesh of meshes) node.add(mesh);
    if (name) {
      node.name = names.get(index) ?? name;
      node.userData.name = name;
    }
    if (def.matrix !== undefined) {
      node.applyMatrix4(new Matrix4().fromArray(numbers(def, 'matrix', where, 16, [])));
    } else {
      node.position.fromArray(numbers(def, 'translation', where, 3, [0, 0, 0]));
      node.quaternion.fromArray(numbers(def, 'rotation', where, 4, [0, 0, 0, 1]));
      node.scale.fromArray(numbers(def, 'scale', where, 3, [1, 1, 1]));
    }
    made.set(index, node);
    for (const child of this.children[index] ?? []) node.add(this.node(child, names, made, skinned));
    return node;
  }

  /** The meshes of glTF mesh `index` for one node: new objects on the mesh's shared geometries and materials. */
  private meshObjects(index: number, skinned: boolean): Mesh[] {
    return this.meshPrimitives(index).map(({ geometry, material, name }) => {
      const use = {
        vertexColors: geometry.hasAttribute('color'),
        flat: !geometry.hasAttribute('normal'),
        derivedTangents: !geometry.hasAttribute('tangent'),
      };
      const skin = skinned && geometry.hasAttribute('skinIndex') && geometry.hasAttribute('skinWeight');
      const mesh = skin
        ? new SkinnedMesh(geometry, this.parts.materials.get(material, use))
        : new Mesh(geometry, this.parts.materials.get(material, use));
      mesh.name = name;
      return mesh;
    });
  }

  private meshPrimitives(index: number): Primitive[] {
    let primitives = this.primitives.get(index);
    if (primitives) return primitives;
    const where = `meshes[${index}]`;
    const def = this.parts.meshes[index] ?? {};
    const defs = objects(def, 'primitives', where, GLTF_LIMITS.primitives);
    const meshName = text(def, 'name', where, '') || `mesh_${index}`;
    primitives = [];
    defs.forEach((primitive, i) => {
      const at = `${where}.primitives[${i}]`;
      const geometry = primitiveGeometry(primitive, at, this.parts.accessors, this.parts.warnings);
      const material = reference(primitive, 'material', at, this.parts.materials.count);
      if (geometry) primitives?.push({ geometry, material, name: this.uniqueName(meshName) });
    });
    this.primitives.set(index, primitives);
    return primitives;
  }

  private uniqueName(name: string): string {
    const sanitized = sanitizeName(name);
    const used = this.namesUsed.get(sanitized);
    this.namesUsed.set(sanitized, used === undefined ? 0 : used + 1);
    return used === undefined ? sanitized : `${sanitized}_${used + 1}`;
  }

  /** Binds the skinned meshes of the nodes made for one scene to their skin's bones there. */
  private bindSkins(made: ReadonlyMap<number, Object3D>, skinned: readonly SkinnedUse[]): void {
    const skeletons = new Map<number, Skeleton>();
    for (const { node, skin, meshes } of skinned) {
      let skeleton = skeletons.get(skin);
      if (!skeleton) {
        skeleton = this.skeleton(skin, made);
        skeletons.set(skin, skeleton);
      }
      for (const mesh of meshes) {
        const maxJoint = this.maxJoint(mesh);
        if (maxJoint >= skeleton.bones.length) {
          throw new GltfError(`nodes[${node}]: a vertex names joint ${maxJoint} of a skin of ${skeleton.bones.length}`);
        }
        mesh.bind(skeleton, IDENTITY);
      }
    }
  }

  /** The largest joint index a skinned mesh's geometry names; its weights are normalized on first sight. */
  private maxJoint(mesh: SkinnedMesh): number {
    let max = this.maxJoints.get(mesh.geometry);
    if (max === undefined) {
      max = 0;
      for (const joint of mesh.geometry.getAttribute('skinIndex').array) max = Math.max(max, joint);
      // As three's loader does: weights that do not sum to 1 are scaled to.
      mesh.normalizeSkinWeights();
      this.maxJoints.set(mesh.geometry, max);
    }
    return max;
  }

  private skeleton(index: number, made: ReadonlyMap<number, Object3D>): Skeleton {
    const where = `skins[${index}]`;
    const def = this.parts.skins[index] ?? {};
    const joints = references(def, 'joints', where, this.parts.nodes.length, GLTF_LIMITS.joints);
    const bones = joints.map((joint) => {
      const bone = made.get(joint);
      // A joint outside this scene: three's loader makes a bone that nothing moves; so does this.
      return bone instanceof Bone ? bone : new Bone();
    });
    const matricesAt = reference(def, 'inverseBindMatrices', where, this.parts.accessors.count);
    if (matricesAt === undefined)
      return new Skeleton(
        bones,
        joints.map(() => new Matrix4()),
      );
    const matrices = this.parts.accessors.read(matricesAt);
    if (matrices.itemSize !== 16 || !(matrices.array instanceof Float32Array) || matrices.count < joints.length) {
      throw new GltfError(`${where}.inverseBindMatrices must be a float MAT4 for each of its ${joints.length} joints`);
    }
    return new Skeleton(
      bones,
      joints.map((_, i) => new Matrix4().fromArray(matrices.array, i * 16)),
    );
  }
}

/** The index of the scene to show: the file's `scene`, else the first. */
export function defaultScene(json: Json, scenes: number): number {
  if (scenes === 0) throw new GltfError('the file has no scene to show');
  return integer(json, 'scene', 'the file', 0, scenes - 1, 0);
}
