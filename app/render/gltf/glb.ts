/**
 * The GLB container (glTF 2.0, "GLB File Format Specification"): a 12-byte
 * header (magic `glTF`, version 2, total length), a JSON chunk, then an
 * optional BIN chunk; each chunk is its length, its type and its bytes,
 * little-endian. Unknown chunks after them are skipped, as the spec asks.
 */
import { GltfError } from './json-reader.ts';

const MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a; // "JSON"
const CHUNK_BIN = 0x004e4942; // "BIN\0"
const HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;

export interface GltfContainer {
  /** The JSON text's bytes (UTF-8). */
  json: Uint8Array;
  /** The GLB's BIN chunk: buffer 0 when that buffer has no `uri`. */
  bin?: Uint8Array;
}

/** True when `bytes` start with GLB's magic. */
export function isGlb(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === MAGIC;
}

/** The chunks of a GLB file; every length is checked against the file's. */
export function readGlb(bytes: Uint8Array): GltfContainer {
  if (bytes.byteLength < HEADER_BYTES + CHUNK_HEADER_BYTES)
    throw new GltfError('the GLB file is shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== 2) throw new GltfError(`GLB version ${version} is not supported; glTF 2.0 is`);
  const length = view.getUint32(8, true);
  if (length > bytes.byteLength) {
    throw new GltfError(`the GLB header says ${length} bytes, the file has ${bytes.byteLength}`);
  }
  let json: Uint8Array | undefined;
  let bin: Uint8Array | undefined;
  let offset = HEADER_BYTES;
  while (offset + CHUNK_HEADER_BYTES <= length) {
    const chunkLength = view.getUint32(offset, true);
    const chunkType = view.getUint32(offset + 4, true);
    const start = offset + CHUNK_HEADER_BYTES;
    if (chunkLength > length - start)
      throw new GltfError(`a GLB chunk at byte ${offset} runs past the end of the file`);
    const chunk = bytes.subarray(start, start + chunkLength);
    if (json === undefined) {
      if (chunkType !== CHUNK_JSON) throw new GltfError("the GLB file's first chunk is not JSON");
      json = chunk;
    } else if (chunkType === CHUNK_BIN && bin === undefined) {
      bin = chunk;
    }
    // Chunks are 4-byte aligned; a length that is not leaves the rest unread rather than misread.
    offset = start + chunkLength + ((4 - (chunkLength % 4)) % 4);
  }
  if (json === undefined) throw new GltfError('the GLB file has no JSON chunk');
  return bin === undefined ? { json } : { json, bin };
}
