/**
 * Accessors (glTF 2.0 §3.6): typed views of the file's buffers. Every offset,
 * stride and count is checked against the buffer view and the buffer it
 * reads, sparse indices against the accessor's count, and what the accessors
 * decode is bounded in total (GLTF_LIMITS.decodedBytes), so a file cannot
 * claim more memory than the limit whatever its counts say.
 */
import { GltfError, integer, type Json, object, reference, text } from './json-reader.ts';
import { GLTF_LIMITS } from './limits.ts';

export type ComponentArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Uint32Array | Float32Array;
type ComponentArrayType = {
  new (length: number): ComponentArray;
  new (buffer: ArrayBuffer): ComponentArray;
  readonly BYTES_PER_ELEMENT: number;
};

const COMPONENT_TYPES: Readonly<Record<number, ComponentArrayType>> = {
  5120: Int8Array,
  5121: Uint8Array,
  5122: Int16Array,
  5123: Uint16Array,
  5125: Uint32Array,
  5126: Float32Array,
};

const ITEM_SIZES: Readonly<Record<string, number>> = {
  SCALAR: 1,
  VEC2: 2,
  VEC3: 3,
  VEC4: 4,
  MAT2: 4,
  MAT3: 9,
  MAT4: 16,
};

export interface Accessor {
  array: ComponentArray;
  itemSize: number;
  count: number;
  normalized: boolean;
}

/** Reads the accessors of one file, each once, within one budget of decoded bytes. */
export class AccessorReader {
  private readonly cache = new Map<number, Accessor>();
  private decoded = 0;

  constructor(
    private readonly accessors: readonly Json[],
    private readonly bufferViews: readonly Json[],
    private readonly buffers: readonly Uint8Array[],
  ) {}

  get count(): number {
    return this.accessors.length;
  }

  /** Accessor `index`, decoded (shared: callers must not write into it unless they own a copy). */
  read(index: number): Accessor {
    const cached = this.cache.get(index);
    if (cached) return cached;
    const accessor = this.decode(index);
    this.cache.set(index, accessor);
    return accessor;
  }

  /** The bytes of buffer view `index`, checked against its buffer. */
  view(index: number): { bytes: Uint8Array; stride: number | undefined } {
    const where = `bufferViews[${index}]`;
    const def = this.bufferViews[index];
    if (!def) throw new GltfError(`${where} does not exist`);
    const buffer = this.buffers[integer(def, 'buffer', where, 0, this.buffers.length - 1)];
    if (!buffer) throw new GltfError(`${where}.buffer does not exist`);
    const byteOffset = integer(def, 'byteOffset', where, 0, buffer.byteLength, 0);
    const byteLength = integer(def, 'byteLength', where, 1, buffer.byteLength - byteOffset);
    const stride = def.byteStride === undefined ? undefined : integer(def, 'byteStride', where, 4, 252);
    if (stride !== undefined && stride % 4 !== 0) throw new GltfError(`${where}.byteStride must be a multiple of 4`);
    return { bytes: buffer.subarray(byteOffset, byteOffset + byteLength), stride };
  }

  /** Counts `bytes` against the file's budget of decoded bytes. */
  claim(bytes: number, where: string): void {
    this.decoded += bytes;
    if (this.decoded > GLTF_LIMITS.decodedBytes) {
      throw new GltfError(`${where} would take the decoded data past ${GLTF_LIMITS.decodedBytes / 2 ** 20} MiB`);
    }
  }

  private decode(index: number): Accessor {
    const where = `accessors[${index}]`;
    const def = this.accessors[index];
    if (!def) throw new GltfError(`${where} does not exist`);
    const componentType = integer(def, 'componentType', where, 5120, 5126);
    const Type = COMPONENT_TYPES[componentType];
    if (!Type) throw new GltfError(`${where}.componentType ${componentType} is not a glTF component type`);
    const kind = text(def, 'type', where, '');
    const itemSize = ITEM_SIZES[kind];
    if (itemSize === undefined)
      throw new GltfError(`${where}.type ${JSON.stringify(kind)} is not a glTF accessor type`);
    // MAT2 and MAT3 of bytes or shorts pad each column to 4 bytes; no attribute the loader reads uses them.
    if ((kind === 'MAT2' || kind === 'MAT3') && Type.BYTES_PER_ELEMENT < 4) {
      throw new GltfError(`${where}: ${kind} of ${Type.BYTES_PER_ELEMENT}-byte components is not supported`);
    }
    const count = integer(def, 'count', where, 1, GLTF_LIMITS.decodedBytes);
    const normalized = def.normalized === true;
    const elements = count * itemSize;
    this.claim(elements * Type.BYTES_PER_ELEMENT, where);
    const viewIndex = reference(def, 'bufferView', where, this.bufferViews.length);
    const array =
      viewIndex === undefined
        ? new Type(elements)
        : this.copy(Type, itemSize, count, integer(def, 'byteOffset', where, 0, 2 ** 31, 0), viewIndex, where);
    if (def.sparse !== undefined)
      this.applySparse(object(def.sparse, `${where}.sparse`), array, itemSize, count, Type, where);
    return { array, itemSize, count, normalized };
  }

  /** `count` items of `itemSize` components from a buffer view, packed tightly into a new array. */
  private copy(
    Type: ComponentArrayType,
    itemSize: number,
    count: number,
    byteOffset: number,
    viewIndex: number,
    where: string,
  ): ComponentArray {
    const { bytes, stride } = this.view(viewIndex);
    const size = Type.BYTES_PER_ELEMENT;
    const itemBytes = itemSize * size;
    const step = stride ?? itemBytes;
    if (step < itemBytes) throw new GltfError(`${where}: the buffer view's stride is smaller than one element`);
    if (byteOffset % size !== 0) throw new GltfError(`${where}.byteOffset is not a multiple of its component size`);
    const end = byteOffset + step * (count - 1) + itemBytes;
    if (end > bytes.byteLength) {
      throw new GltfError(`${where} reads ${end} bytes of a buffer view of ${bytes.byteLength}`);
    }
    if (step === itemBytes) {
      // Tightly packed: one copy of the bytes (also aligns them, whatever the buffer's offset in the file).
      return new Type(bytes.slice(byteOffset, end).buffer);
    }
    const out = new Type(count * itemSize);
    const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const get = reader(Type, data);
    for (let i = 0; i < count; i++) {
      const base = byteOffset + i * step;
      for (let c = 0; c < itemSize; c++) out[i * itemSize + c] = get(base + c * size);
    }
    return out;
  }

  private applySparse(
    sparse: Json,
    array: ComponentArray,
    itemSize: number,
    count: number,
    Type: ComponentArrayType,
    where: string,
  ): void {
    const at = `${where}.sparse`;
    const changed = integer(sparse, 'count', at, 1, count);
    const indicesDef = object(sparse.indices, `${at}.indices`);
    const valuesDef = object(sparse.values, `${at}.values`);
    const indexType = integer(indicesDef, 'componentType', `${at}.indices`, 5121, 5125);
    const IndexType = COMPONENT_TYPES[indexType];
    if (IndexType !== Uint8Array && IndexType !== Uint16Array && IndexType !== Uint32Array) {
      throw new GltfError(`${at}.indices.componentType must be an unsigned integer type`);
    }
    this.claim(changed * (IndexType.BYTES_PER_ELEMENT + itemSize * Type.BYTES_PER_ELEMENT), at);
    const indices = this.copy(
      IndexType,
      1,
      changed,
      integer(indicesDef, 'byteOffset', `${at}.indices`, 0, 2 ** 31, 0),
      integer(indicesDef, 'bufferView', `${at}.indices`, 0, this.bufferViews.length - 1),
      `${at}.indices`,
    );
    const values = this.copy(
      Type,
      itemSize,
      changed,
      integer(valuesDef, 'byteOffset', `${at}.values`, 0, 2 ** 31, 0),
      integer(valuesDef, 'bufferView', `${at}.values`, 0, this.bufferViews.length - 1),
      `${at}.values`,
    );
    for (let i = 0; i < changed; i++) {
      const target = indices[i] ?? count;
      if (target >= count) throw new GltfError(`${at}.indices[${i}] is ${target}, past the accessor's ${count} items`);
      for (let c = 0; c < itemSize; c++) array[target * itemSize + c] = values[i * itemSize + c] ?? 0;
    }
  }
}

function reader(Type: ComponentArrayType, data: DataView): (byteOffset: number) => number {
  switch (Type) {
    case Int8Array:
      return (o) => data.getInt8(o);
    case Uint8Array:
      return (o) => data.getUint8(o);
    case Int16Array:
      return (o) => data.getInt16(o, true);
    case Uint16Array:
      return (o) => data.getUint16(o, true);
    case Uint32Array:
      return (o) => data.getUint32(o, true);
    default:
      return (o) => data.getFloat32(o, true);
  }
}
