/**
 * Images of a glTF file: PNG or JPEG (the two the core spec allows), told by
 * their bytes, not by the `mimeType` the file claims; their size is read from
 * the header and refused above GLTF_LIMITS.imageSide before anything decodes
 * them, so a small file cannot ask for gigabytes of pixels.
 */
import { GltfError } from './json-reader.ts';
import { GLTF_LIMITS } from './limits.ts';

export interface ImageHeader {
  mimeType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

/** Decodes an image's bytes into what a three `Texture` draws (an ImageBitmap in the browser). */
export type ImageDecoder = (bytes: Uint8Array, header: ImageHeader) => Promise<unknown>;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format and size of a PNG or JPEG, or `undefined` for anything else or a header cut short. */
function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength >= 24 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    return { mimeType: 'image/png', width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (bytes.byteLength >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return readJpegSize(bytes, view);
  return undefined;
}

/** A JPEG's size from its first start-of-frame segment; each step moves forward, so the walk ends. */
function readJpegSize(bytes: Uint8Array, view: DataView): ImageHeader | undefined {
  let offset = 2;
  while (offset + 4 <= bytes.byteLength) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a segment
      continue;
    }
    const length = view.getUint16(offset + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (offset + 9 > bytes.byteLength) return undefined;
      return { mimeType: 'image/jpeg', height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    if (length < 2) return undefined;
    offset += 2 + length;
  }
  return undefined;
}

/**
 * The header of image `where`: `undefined` when it is not PNG or JPEG (the texture is left out), refused when
 * it is larger than the limit.
 */
export function checkedImageHeader(bytes: Uint8Array, where: string): ImageHeader | undefined {
  const header = readImageHeader(bytes);
  if (!header) return undefined;
  const { width, height } = header;
  if (width === 0 || height === 0 || width > GLTF_LIMITS.imageSide || height > GLTF_LIMITS.imageSide) {
    throw new GltfError(`${where} is ${width}x${height} pixels; images may be up to ${GLTF_LIMITS.imageSide} a side`);
  }
  return header;
}

/** The browser's decoder: an ImageBitmap as three's glTF loader makes it (no premultiplied alpha, no colour conversion). */
export const decodeImageBitmap: ImageDecoder = (bytes, header) =>
  createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: header.mimeType }), {
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
  });
