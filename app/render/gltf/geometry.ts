/**
 * glTF primitives (§3.7.2) as three geometries. Triangles draw as they are;
 * triangle strips and fans become triangle lists; points and lines are left
 * out with a warning (no model we ship has them, and a scene model is a
 * solid). Every index is checked against the vertex count, and every
 * attribute's count against the positions'. Morph targets are not read: a
 * model shows its base shape.
 */
import { BufferAttribute, BufferGeometry } from 'three';
import type { AccessorReader } from './accessors.ts';
import { GltfError, integer, type Json, object, reference } from './json-reader.ts';

/** glTF attribute names and three's. */
const ATTRIBUTES: ReadonlyArray<readonly [string, string]> = [
  ['POSITION', 'position'],
  ['NORMAL', 'normal'],
  ['TANGENT', 'tangent'],
  ['TEXCOORD_0', 'uv'],
  ['TEXCOORD_1', 'uv1'],
  ['TEXCOORD_2', 'uv2'],
  ['TEXCOORD_3', 'uv3'],
  ['COLOR_0', 'color'],
  ['JOINTS_0', 'skinIndex'],
  ['WEIGHTS_0', 'skinWeight'],
];

const TRIANGLES = 4;
const TRIANGLE_FAN = 6;
const MODE_NAMES = ['points', 'lines', 'line loops', 'line strips'];

/** The geometry of one primitive, or `null` (with a warning) for points and lines. */
export function primitiveGeometry(
  primitive: Json,
  where: string,
  accessors: AccessorReader,
  warnings: string[],
): BufferGeometry | null {
  const mode = integer(primitive, 'mode', where, 0, TRIANGLE_FAN, TRIANGLES);
  if (mode < TRIANGLES) {
    warnings.push(`${where} draws ${MODE_NAMES[mode]}, which the loader leaves out`);
    return null;
  }
  const attributes = object(primitive.attributes, `${where}.attributes`);
  if (attributes.POSITION === undefined) throw new GltfError(`${where} has no POSITION attribute`);
  const geometry = new BufferGeometry();
  let vertices = 0;
  for (const [name, threeName] of ATTRIBUTES) {
    const index = reference(attributes, name, `${where}.attributes`, accessors.count);
    if (index === undefined) continue;
    const accessor = accessors.read(index);
    if (name === 'POSITION') vertices = accessor.count;
    else if (accessor.count !== vertices) {
      throw new GltfError(`${where}.attributes.${name} has ${accessor.count} items, POSITION has ${vertices}`);
    }
    geometry.setAttribute(threeName, new BufferAttribute(accessor.array, accessor.itemSize, accessor.normalized));
  }
  const indicesAt = reference(primitive, 'indices', where, accessors.count);
  let indices: ArrayLike<number> | undefined;
  if (indicesAt !== undefined) {
    const accessor = accessors.read(indicesAt);
    const array = accessor.array;
    if (
      accessor.itemSize !== 1 ||
      !(array instanceof Uint8Array || array instanceof Uint16Array || array instanceof Uint32Array)
    ) {
      throw new GltfError(`${where}.indices must be unsigned integer scalars`);
    }
    for (let i = 0; i < array.length; i++) {
      if ((array[i] ?? 0) >= vertices) {
        throw new GltfError(`${where}.indices[${i}] is ${array[i]}, past the ${vertices} vertices`);
      }
    }
    indices = array;
  }
  if (mode === TRIANGLES) {
    if (indices) geometry.setIndex(new BufferAttribute(indices as Uint32Array, 1));
  } else {
    geometry.setIndex(new BufferAttribute(triangleList(mode, indices, vertices, accessors, where), 1));
  }
  return geometry;
}

/** A strip's or fan's triangles as a list (as three's `toTrianglesDrawMode`, keeping each triangle's winding). */
function triangleList(
  mode: number,
  indices: ArrayLike<number> | undefined,
  vertices: number,
  accessors: AccessorReader,
  where: string,
): Uint32Array {
  const count = indices ? indices.length : vertices;
  const at = (i: number) => (indices ? (indices[i] ?? 0) : i);
  const triangles = Math.max(0, count - 2);
  accessors.claim(triangles * 12, where);
  const list = new Uint32Array(triangles * 3);
  for (let i = 0; i < triangles; i++) {
    if (mode === TRIANGLE_FAN) list.set([at(0), at(i + 1), at(i + 2)], i * 3);
    else if (i % 2 === 0) list.set([at(i), at(i + 1), at(i + 2)], i * 3);
    else list.set([at(i + 2), at(i + 1), at(i)], i * 3);
  }
  return list;
}
