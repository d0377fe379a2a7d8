/**
 * glTF files made for tests: a builder that lays typed arrays into one binary
 * buffer (4-byte aligned, as the spec asks) and writes a GLB or a .gltf with
 * its .bin, and a PNG writer (zlib from Node, CRC-32 by hand), so a test's
 * model has a known source and every malformed variant is one edit away.
 */
import { deflateSync } from 'node:zlib';

export type JsonObject = Record<string, unknown>;
type Numbers = Int8Array | Uint8Array | Int16Array | Uint16Array | Uint32Array | Float32Array;

const COMPONENT_TYPE = new Map<unknown, number>([
  [Int8Array, 5120],
  [Uint8Array, 5121],
  [Int16Array, 5122],
  [Uint16Array, 5123],
  [Uint32Array, 5125],
  [Float32Array, 5126],
]);

const ITEM_SIZE: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT4: 16 };

export class GltfBuilder {
  readonly json: JsonObject & {
    accessors: JsonObject[];
    bufferViews: JsonObject[];
    buffers: JsonObject[];
    meshes: JsonObject[];
    nodes: JsonObject[];
    scenes: JsonObject[];
    materials: JsonObject[];
  } = {
    asset: { version: '2.0', generator: 'holoroom tests' },
    accessors: [],
    bufferViews: [],
    buffers: [],
    meshes: [],
    nodes: [],
    scenes: [],
    materials: [],
  };
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  /** Appends `bytes` to the binary buffer as a new buffer view; its index. */
  view(bytes: Uint8Array, extra: JsonObject = {}): number {
    const padding = (4 - (this.length % 4)) % 4;
    if (padding) this.parts.push(new Uint8Array(padding));
    this.length += padding;
    this.json.bufferViews.push({ buffer: 0, byteOffset: this.length, byteLength: bytes.byteLength, ...extra });
    this.parts.push(bytes);
    this.length += bytes.byteLength;
    return this.json.bufferViews.length - 1;
  }

  /** A tightly packed accessor over a new buffer view; its index. */
  accessor(array: Numbers, type: keyof typeof ITEM_SIZE, extra: JsonObject = {}): number {
    const view = this.view(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    this.json.accessors.push({
      bufferView: view,
      componentType: COMPONENT_TYPE.get(array.constructor),
      count: array.length / (ITEM_SIZE[type] ?? 1),
      type,
      ...extra,
    });
    return this.json.accessors.length - 1;
  }

  /** A mesh of one triangle primitive; its index. */
  mesh(attributes: JsonObject, extra: JsonObject = {}, name?: string): number {
    this.json.meshes.push({ ...(name ? { name } : {}), primitives: [{ attributes, ...extra }] });
    return this.json.meshes.length - 1;
  }

  node(node: JsonObject): number {
    this.json.nodes.push(node);
    return this.json.nodes.length - 1;
  }

  /** The binary buffer as it stands. */
  bin(): Uint8Array {
    const out = new Uint8Array(this.length + ((4 - (this.length % 4)) % 4));
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.byteLength;
    }
    return out;
  }

  /** The file as GLB, buffer 0 in its BIN chunk. */
  glb(): Uint8Array {
    const bin = this.bin();
    this.json.buffers = [{ byteLength: bin.byteLength }];
    return glb(this.json, bin);
  }

  /** The file as .gltf JSON, buffer 0 at `uri` (a file name, or a data: URI when omitted). */
  gltf(uri?: string): { json: Uint8Array; bin: Uint8Array } {
    const bin = this.bin();
    const dataUri = `data:application/octet-stream;base64,${Buffer.from(bin).toString('base64')}`;
    this.json.buffers = [{ byteLength: bin.byteLength, uri: uri ?? dataUri }];
    return { json: new TextEncoder().encode(JSON.stringify(this.json)), bin };
  }
}

/** A GLB of `json` and `bin` (no BIN chunk when `bin` is empty). */
export function glb(json: unknown, bin: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(json));
  const jsonLength = text.byteLength + ((4 - (text.byteLength % 4)) % 4);
  const binLength = bin.byteLength + ((4 - (bin.byteLength % 4)) % 4);
  const total = 12 + 8 + jsonLength + (binLength ? 8 + binLength : 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x46546c67, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonLength, true);
  view.setUint32(16, 0x4e4f534a, true);
  out.fill(0x20, 20, 20 + jsonLength);
  out.set(text, 20);
  if (binLength) {
    view.setUint32(20 + jsonLength, binLength, true);
    view.setUint32(24 + jsonLength, 0x004e4942, true);
    out.set(bin, 28 + jsonLength);
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.byteLength);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.byteLength, crc32(out.subarray(4, 8 + data.byteLength)));
  return out;
}

/** An RGBA PNG of `width` x `height` pixels of one colour; `claimed` overrides the size its header states. */
export function png(width: number, height: number, rgba: readonly number[], claimed?: [number, number]): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, claimed?.[0] ?? width);
  view.setUint32(4, claimed?.[1] ?? height);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = new Uint8Array(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set(rgba, y * (1 + width * 4) + 1 + x * 4);
  }
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', new Uint8Array(0)),
  ];
  return Buffer.concat(parts);
}
